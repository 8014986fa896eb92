/**
 * Direct illuminance on the horizontal work plane, point by point:
 * E = MF · I(θ) · cos θ / d², θ measured from the downward vertical. Direct light only (no
 * inter-reflections), which makes every figure conservative compared with a full radiosity
 * calculation.
 */
import { blockedByWalls, boundingBox, distanceToBoundary, isConvex, pointInPolygon, wallArray, type Point2 } from "./geometry";

export type Distribution = "isotropic" | "lambertian";

export interface Luminaire {
  x: number;
  y: number;
  /** Height of the light centre above the floor, metres. */
  z: number;
  /** Lamp luminous flux, lumens. */
  flux: number;
  distribution: Distribution;
  /** Light loss over the maintenance cycle (EN 12464-1 maintained values). */
  maintenanceFactor: number;
}

export interface WorkPlaneGrid {
  xs: Float64Array;
  ys: Float64Array;
  /** Height of the work plane above the floor, metres. */
  z: number;
  spacing: number;
}

/**
 * Luminous intensity (cd) towards a direction at angle θ from straight down.
 * isotropic: Φ/4π everywhere. lambertian (cosine downlight): I₀·cos θ in the lower
 * hemisphere with I₀ = Φ/π, so all of Φ goes downwards.
 */
export function intensity(distribution: Distribution, flux: number, cosTheta: number): number {
  if (distribution === "isotropic") return flux / (4 * Math.PI);
  return cosTheta > 0 ? (flux / Math.PI) * cosTheta : 0;
}

/** Illuminance (lx) at one point of a horizontal plane at height `planeZ` from one luminaire. */
export function pointIlluminance(luminaire: Luminaire, x: number, y: number, planeZ: number): number {
  const h = luminaire.z - planeZ;
  if (h <= 0) return 0; // a source at or below the plane does not light its upper face
  const dx = luminaire.x - x;
  const dy = luminaire.y - y;
  const distanceSq = h * h + dx * dx + dy * dy;
  const cosTheta = h / Math.sqrt(distanceSq);
  return (luminaire.maintenanceFactor * intensity(luminaire.distribution, luminaire.flux, cosTheta) * cosTheta) / distanceSq;
}

/**
 * Calculation points at the centres of a square mesh, inside the room and at least `margin`
 * from every wall (EN 12464-1 leaves a border band out of the task area).
 */
export function workPlaneGrid(floor: readonly Point2[], z: number, spacing: number, margin: number): WorkPlaneGrid {
  const box = boundingBox(floor);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = box.minY + spacing / 2; y < box.maxY; y += spacing) {
    for (let x = box.minX + spacing / 2; x < box.maxX; x += spacing) {
      if (!pointInPolygon(x, y, floor)) continue;
      if (margin > 0 && distanceToBoundary(x, y, floor) < margin) continue;
      xs.push(x);
      ys.push(y);
    }
  }
  return { xs: Float64Array.from(xs), ys: Float64Array.from(ys), z, spacing };
}

/** Number of grid points without building the grid (for request-size limits). */
export function estimateGridPoints(floor: readonly Point2[], spacing: number): number {
  const box = boundingBox(floor);
  return Math.ceil((box.maxX - box.minX) / spacing) * Math.ceil((box.maxY - box.minY) / spacing);
}

/** Adds one luminaire's contribution to `out`; `walls` (of a non-convex room) cast shadows. */
export function addLuminaire(out: Float64Array, grid: WorkPlaneGrid, luminaire: Luminaire, walls: Float64Array | undefined, sign = 1): void {
  const h = luminaire.z - grid.z;
  if (h <= 0) return;
  const hSq = h * h;
  const k = sign * luminaire.maintenanceFactor;
  const isotropic = luminaire.distribution === "isotropic";
  const i0 = isotropic ? luminaire.flux / (4 * Math.PI) : luminaire.flux / Math.PI;
  for (let i = 0; i < out.length; i++) {
    const dx = luminaire.x - grid.xs[i]!;
    const dy = luminaire.y - grid.ys[i]!;
    const dSq = hSq + dx * dx + dy * dy;
    if (walls && blockedByWalls(luminaire.x, luminaire.y, grid.xs[i]!, grid.ys[i]!, walls)) continue;
    // isotropic: I·cosθ/d² = I₀·h/d³ ; lambertian: I₀·cos²θ/d² = I₀·h²/d⁴
    out[i]! += isotropic ? (k * i0 * h) / (dSq * Math.sqrt(dSq)) : (k * i0 * hSq) / (dSq * dSq);
  }
}

export function illuminanceGrid(grid: WorkPlaneGrid, luminaires: readonly Luminaire[], floor: readonly Point2[]): Float64Array {
  const out = new Float64Array(grid.xs.length);
  const walls = isConvex(floor) ? undefined : wallArray(floor);
  for (const luminaire of luminaires) addLuminaire(out, grid, luminaire, walls);
  return out;
}

export interface GridSummary {
  mean: number;
  min: number;
  max: number;
  /** Uo = Emin / Ē (0 when Ē is 0). */
  uniformity: number;
}

export function summarize(values: ArrayLike<number>): GridSummary {
  if (values.length === 0) return { mean: 0, min: 0, max: 0, uniformity: 0 };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / values.length;
  return { mean, min, max, uniformity: mean > 0 ? min / mean : 0 };
}
