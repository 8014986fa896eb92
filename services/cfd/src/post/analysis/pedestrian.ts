/**
 * Pedestrian-level wind: the cells whose centre lies in a horizontal band around a height above
 * the (flat, z = 0) ground, their wind speed |U| and speed ratio |U| / U_ref.
 */

export interface Band {
  /** Height of the band's middle above the ground, m. */
  height: number;
  /** Half-width: a cell is in when |z − height| ≤ halfWidth, m. */
  halfWidth: number;
}

export const DEFAULT_BAND: Band = { height: 1.5, halfWidth: 0.5 };

/** Indices of the cells whose centre (x y z triples) lies in the band, ascending. */
export function cellsInBand(centres: Float64Array, band: Band): Int32Array {
  const n = centres.length / 3;
  const lo = band.height - band.halfWidth;
  const hi = band.height + band.halfWidth;
  const picked = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const z = centres[3 * i + 2];
    if (z >= lo && z <= hi) picked[count++] = i;
  }
  return picked.slice(0, count);
}

/** The distinct cell-centre heights nearest to `height` (to tell a client where the cells are). */
export function nearestHeights(centres: Float64Array, height: number, howMany = 3): number[] {
  const seen = new Set<number>();
  for (let i = 2; i < centres.length; i += 3) seen.add(Math.round(centres[i] * 1e4) / 1e4);
  return [...seen].sort((a, b) => Math.abs(a - height) - Math.abs(b - height) || a - b).slice(0, howMany);
}

/** |U| at the given cells; `map[i]` is the cell of `velocity` to read for output i. */
export function speedsAt(velocity: Float64Array, map: Int32Array): Float64Array {
  const out = new Float64Array(map.length);
  for (let i = 0; i < map.length; i++) {
    const c = 3 * map[i];
    const x = velocity[c];
    const y = velocity[c + 1];
    const z = velocity[c + 2];
    out[i] = Math.sqrt(x * x + y * y + z * z);
  }
  return out;
}

/** Speed ratios |U| / U_ref. */
export function ratiosOf(speeds: Float64Array, referenceSpeed: number): Float64Array {
  const out = new Float64Array(speeds.length);
  const inverse = 1 / referenceSpeed;
  for (let i = 0; i < speeds.length; i++) out[i] = speeds[i] * inverse;
  return out;
}
