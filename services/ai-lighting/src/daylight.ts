/**
 * Daylight: outdoor illuminance by sky type, the CIE standard overcast sky, the daylight
 * factor of a point behind windows, and the HDRI/sky-map choice by sun elevation.
 */
import { blockedByWalls, isConvex, pointInPolygon, signedArea, wallArray, type Point2 } from "./geometry";
import type { WorkPlaneGrid } from "./illuminance";

const RAD = Math.PI / 180;

/** Solar illuminance outside the atmosphere at 1 AU, lux (IES Lighting Handbook). */
export const SOLAR_ILLUMINANCE_CONSTANT_LX = 127_500;

/**
 * IES daylight-availability model: direct normal E = E₀·exp(−c·m); sky (diffuse) horizontal
 * E = A + B·sin(h)^C klx. Clear: c = 0.21, A 0.8, B 15.5, C 0.5. Overcast: no direct sun,
 * A 0.3, B 21, C 1. These are design estimates, not measurements of a given day.
 */
export const SKY_MODELS = {
  clear: { extinction: 0.21, a: 800, b: 15_500, c: 0.5 },
  overcast: { a: 300, b: 21_000, c: 1 },
} as const;

/** Relative optical air mass, Kasten & Young (1989); valid down to the horizon. */
export function airMass(elevationDeg: number): number {
  return 1 / (Math.sin(elevationDeg * RAD) + 0.50572 * (elevationDeg + 6.07995) ** -1.6364);
}

/** CIE standard overcast sky: L(γ) = Lz·(1 + 2 sin γ)/3 for a sky element at elevation γ. */
export function overcastLuminance(zenithLuminance: number, elevationDeg: number): number {
  return (zenithLuminance * (1 + 2 * Math.sin(elevationDeg * RAD))) / 3;
}

/** Unobstructed horizontal illuminance under the CIE overcast sky: ∫L sinγ dω = 7π·Lz/9. */
export function overcastHorizontalIlluminance(zenithLuminance: number): number {
  return (7 * Math.PI * zenithLuminance) / 9;
}

export interface SkyIlluminance {
  /** False when the sun is at or below the horizon: these daytime models do not apply. */
  applicable: boolean;
  clear: { directNormal: number; directHorizontal: number; diffuseHorizontal: number; globalHorizontal: number };
  overcast: { zenithLuminance: number; globalHorizontal: number };
}

/** Outdoor horizontal illuminance (lx) for a clear and a CIE overcast sky at a sun elevation. */
export function skyIlluminance(elevationDeg: number, earthSunDistanceAu = 1): SkyIlluminance {
  if (elevationDeg <= 0) {
    return {
      applicable: false,
      clear: { directNormal: 0, directHorizontal: 0, diffuseHorizontal: 0, globalHorizontal: 0 },
      overcast: { zenithLuminance: 0, globalHorizontal: 0 },
    };
  }
  const sinH = Math.sin(elevationDeg * RAD);
  const extraterrestrial = SOLAR_ILLUMINANCE_CONSTANT_LX / earthSunDistanceAu ** 2;
  const directNormal = extraterrestrial * Math.exp(-SKY_MODELS.clear.extinction * airMass(elevationDeg));
  const directHorizontal = directNormal * sinH;
  const diffuseHorizontal = SKY_MODELS.clear.a + SKY_MODELS.clear.b * sinH ** SKY_MODELS.clear.c;
  const overcastGlobal = SKY_MODELS.overcast.a + SKY_MODELS.overcast.b * sinH ** SKY_MODELS.overcast.c;
  return {
    applicable: true,
    clear: { directNormal, directHorizontal, diffuseHorizontal, globalHorizontal: directHorizontal + diffuseHorizontal },
    overcast: { zenithLuminance: (9 * overcastGlobal) / (7 * Math.PI), globalHorizontal: overcastGlobal },
  };
}

export type HdriBand = "night" | "twilight" | "golden-hour" | "low-sun" | "midday";

/** Sky-map choice by sun elevation (a convention): night < −6°, twilight −6..0°, golden 0..6°, low 6..30°, midday above. */
export function hdriBand(elevationDeg: number): HdriBand {
  if (elevationDeg < -6) return "night";
  if (elevationDeg < 0) return "twilight";
  if (elevationDeg < 6) return "golden-hour";
  if (elevationDeg < 30) return "low-sun";
  return "midday";
}

/** Daylight factor class: < 2 % gloomy, 2–5 % adequate, > 5 % well lit. */
export function daylightClass(dfPercent: number): "gloomy" | "adequate" | "well-lit" {
  if (dfPercent < 2) return "gloomy";
  if (dfPercent <= 5) return "adequate";
  return "well-lit";
}

export interface Point3 {
  x: number;
  y: number;
  z: number;
}

/** A window resolved onto one wall: its outline in wall coordinates (u along the wall, z up). */
export interface PlacedWindow {
  wall: number;
  /** Wall start point and unit direction along the wall. */
  origin: Point2;
  along: Point2;
  /** Unit normal pointing out of the room. */
  outward: Point2;
  outline: { u: number; z: number }[];
  transmittance: number;
  area: number;
}

const ON_WALL_TOLERANCE_M = 0.02;

/**
 * Finds the wall a window polygon lies in. Returns a reason instead when its points are not
 * all in one wall's plane, within the wall's length, and between floor and ceiling.
 */
export function placeWindow(floor: readonly Point2[], height: number, polygon: readonly Point3[], transmittance: number): PlacedWindow | string {
  const ccw = signedArea(floor) > 0;
  for (let wall = 0; wall < floor.length; wall++) {
    const a = floor[wall]!;
    const b = floor[(wall + 1) % floor.length]!;
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    const along = { x: (b.x - a.x) / length, y: (b.y - a.y) / length };
    const onWall = polygon.every((p) => {
      const u = (p.x - a.x) * along.x + (p.y - a.y) * along.y;
      const offset = Math.abs((p.x - a.x) * along.y - (p.y - a.y) * along.x);
      return offset <= ON_WALL_TOLERANCE_M && u >= -ON_WALL_TOLERANCE_M && u <= length + ON_WALL_TOLERANCE_M;
    });
    if (!onWall) continue;
    if (polygon.some((p) => p.z < -ON_WALL_TOLERANCE_M || p.z > height + ON_WALL_TOLERANCE_M)) {
      return "window points must be between the floor (z = 0) and the ceiling";
    }
    const outline = polygon.map((p) => ({ u: (p.x - a.x) * along.x + (p.y - a.y) * along.y, z: p.z }));
    const area = Math.abs(signedArea(outline.map((p) => ({ x: p.u, y: p.z }))));
    if (area < 1e-4) return "window polygon has no area";
    // For a counter-clockwise floor the room is on the left of each edge, so outward is the right normal.
    const outward = ccw ? { x: along.y, y: -along.x } : { x: -along.y, y: along.x };
    return { wall, origin: a, along, outward, outline, transmittance, area };
  }
  return "window points do not all lie in the plane of one wall of the floor polygon (within 2 cm)";
}

/** Small patches covering a window, each a source of sky light. */
function windowPatches(window: PlacedWindow, patchSize: number) {
  const us = window.outline.map((p) => p.u);
  const zs = window.outline.map((p) => p.z);
  const minU = Math.min(...us);
  const maxU = Math.max(...us);
  const minZ = Math.min(...zs);
  const maxZ = Math.max(...zs);
  const outline2 = window.outline.map((p) => ({ x: p.u, y: p.z }));
  const patches: Point3[] = [];
  for (let z = minZ + patchSize / 2; z < maxZ; z += patchSize) {
    for (let u = minU + patchSize / 2; u < maxU; u += patchSize) {
      if (!pointInPolygon(u, z, outline2)) continue;
      patches.push({ x: window.origin.x + u * window.along.x, y: window.origin.y + u * window.along.y, z });
    }
  }
  // Scale so the patches add up to the exact window area.
  const patchArea = patches.length > 0 ? window.area / patches.length : 0;
  return { patches, patchArea };
}

/** At most this many patches per window: bounds the cost of large glazing. */
const MAX_PATCHES_PER_WINDOW = 1500;

/**
 * Daylight factor (%) at each grid point under the CIE overcast sky: the sky component seen
 * through the glazing, DF = Σ τ·L(γ)·cosθ_plane·cosθ_window·dA/d² ÷ (7π·Lz/9). Externally and
 * internally reflected components are not included, so the figure is a lower bound.
 */
export function daylightFactorGrid(grid: WorkPlaneGrid, floor: readonly Point2[], windows: readonly PlacedWindow[]): Float64Array {
  const out = new Float64Array(grid.xs.length);
  const walls = isConvex(floor) ? undefined : wallArray(floor);
  const normaliser = (7 * Math.PI) / 9;
  for (const window of windows) {
    const patchSize = Math.max(0.1, Math.sqrt(window.area / MAX_PATCHES_PER_WINDOW));
    const { patches, patchArea } = windowPatches(window, patchSize);
    for (let i = 0; i < out.length; i++) {
      const px = grid.xs[i]!;
      const py = grid.ys[i]!;
      let sum = 0;
      for (const q of patches) {
        const vz = q.z - grid.z;
        if (vz <= 0) continue; // below the work plane the window sees ground, not sky
        const vx = q.x - px;
        const vy = q.y - py;
        const dSq = vx * vx + vy * vy + vz * vz;
        const d = Math.sqrt(dSq);
        const cosWindow = (vx * window.outward.x + vy * window.outward.y) / d;
        if (cosWindow <= 0) continue;
        if (walls && blockedByWalls(px, py, q.x, q.y, walls, window.wall)) continue;
        const sinGamma = vz / d;
        sum += (((1 + 2 * sinGamma) / 3) * sinGamma * cosWindow) / dSq;
      }
      out[i]! += (100 * window.transmittance * patchArea * sum) / normaliser;
    }
  }
  return out;
}
