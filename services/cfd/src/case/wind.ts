/**
 * The approaching wind: direction convention and the neutral atmospheric boundary layer of
 * Richards & Hoxey (1993), the profile OpenFOAM's `atmBoundaryLayerInlet*` conditions impose.
 */
import type { Vec3 } from "../geometry/mesh";

/** von Kármán constant and k-epsilon Cmu: OpenFOAM's atmBoundaryLayer defaults. */
export const KAPPA = 0.41;
export const CMU = 0.09;

/**
 * Davenport terrain classes with their effective roughness length z0, metres
 * (Wieringa 1992, as revised by Davenport et al. 2000 and the WMO guide).
 */
export const TERRAIN_ROUGHNESS = {
  sea: 0.0002,
  smooth: 0.005,
  open: 0.03,
  "roughly-open": 0.1,
  rough: 0.25,
  "very-rough": 0.5,
  closed: 1.0,
  chaotic: 2.0,
} as const;


/**
 * Meteorological convention: `direction` is where the wind comes FROM, degrees clockwise from
 * north, north = +y, east = +x (270 = westerly wind blowing towards +x). Returns the angle,
 * counter-clockwise from +x, of the direction the air moves in.
 */
export function flowAngle(direction: number): number {
  return (((270 - direction) % 360) + 360) % 360;
}

/** The unit vector the air moves along, world coordinates. */
export function flowDirection(direction: number): Vec3 {
  const a = (flowAngle(direction) * Math.PI) / 180;
  return { x: clean(Math.cos(a)), y: clean(Math.sin(a)), z: 0 };
}

/** sin/cos of multiples of 90° come out as 6e-17; write 0. */
const clean = (v: number) => (Math.abs(v) < 1e-12 ? 0 : v);

export interface AtmosphericBoundaryLayer {
  /** Reference speed at `referenceHeight`, m/s. */
  referenceSpeed: number;
  referenceHeight: number;
  /** Aerodynamic roughness length, metres. */
  z0: number;
}

/** Friction velocity u* = κ Uref / ln((Zref + z0) / z0). */
export const frictionVelocity = (abl: AtmosphericBoundaryLayer) => (KAPPA * abl.referenceSpeed) / Math.log((abl.referenceHeight + abl.z0) / abl.z0);

/** Mean speed at height z (log law, zero at the ground). */
export const speedAt = (abl: AtmosphericBoundaryLayer, z: number) => (frictionVelocity(abl) / KAPPA) * Math.log((z + abl.z0) / abl.z0);

/** Turbulent kinetic energy, uniform with height in this profile: k = u*² / √Cμ. */
export const turbulentKineticEnergy = (abl: AtmosphericBoundaryLayer) => frictionVelocity(abl) ** 2 / Math.sqrt(CMU);

/** Dissipation rate at height z: ε = u*³ / (κ (z + z0)). */
export const dissipationAt = (abl: AtmosphericBoundaryLayer, z: number) => frictionVelocity(abl) ** 3 / (KAPPA * (z + abl.z0));
