/**
 * The wind climate at the CFD reference height, per direction sector: how often the wind comes
 * from each sector and how its reference speed V_ref is distributed there.
 *
 * - Weibull: sector s has frequency f_s, shape k_s, scale c_s; P_s(V_ref > x) = exp(−(x / c_s)^k_s).
 * - Frequency table: speed bins [e_0, e_1), …, [e_{B−1}, e_B) × sectors; q_{s,b} is the share of
 *   all time with the wind from s and V_ref in bin b (f_s = Σ_b q_{s,b}). Within a bin speeds are
 *   taken as uniformly spread, so P_s(V_ref > x) is piecewise linear between the bin edges, and no
 *   speed exceeds the last edge.
 *
 * Frequencies are normalised to sum to 1 (the request must already sum to 1 ± 0.01).
 */

export interface WeibullClimate {
  type: "weibull";
  sectors: { direction: number; frequency: number; k: number; c: number }[];
}

export interface TableClimate {
  type: "table";
  /** Ascending bin edges of V_ref, m/s (B + 1 edges for B bins). */
  speedBins: number[];
  /** Per sector, the share of all time in each bin (B numbers). */
  sectors: { direction: number; frequencies: number[] }[];
}

export type Climate = WeibullClimate | TableClimate;

/** One climate sector, ready for the exceedance kernel. */
export type SectorModel =
  | { kind: "weibull"; direction: number; frequency: number; k: number; c: number }
  | {
      kind: "table";
      direction: number;
      frequency: number;
      edges: Float64Array;
      /** Normalised share of all time per bin. */
      shares: Float64Array;
      /** tail[b] = Σ_{j ≥ b} shares[j]; tail[B] = 0. */
      tail: Float64Array;
    };

/** How far two directions may differ and still be the same sector, degrees. */
export const DIRECTION_TOLERANCE = 0.5;

export function sameDirection(a: number, b: number): boolean {
  const d = Math.abs((((a - b) % 360) + 540) % 360 - 180);
  return d <= DIRECTION_TOLERANCE;
}

/** Each sector's total frequency as given (before normalisation). */
export function sectorFrequencies(climate: Climate): number[] {
  return climate.type === "weibull"
    ? climate.sectors.map((s) => s.frequency)
    : climate.sectors.map((s) => s.frequencies.reduce((a, b) => a + b, 0));
}

export function totalFrequency(climate: Climate): number {
  return sectorFrequencies(climate).reduce((a, b) => a + b, 0);
}

export interface Alignment {
  /** One model per CFD sector (by CFD sector index); undefined where the climate has no wind. */
  models: (SectorModel | undefined)[];
  /** Climate directions with wind that no CFD sector simulated. */
  missing: number[];
  /** CFD directions the climate gives no wind to (not used). */
  unused: number[];
}

/**
 * Pairs climate sectors with the CFD sectors that simulated them. A climate direction with
 * non-zero frequency and no CFD run is `missing`: the caller refuses (no interpolation between
 * directions — the flow around buildings does not interpolate between sectors reliably).
 */
export function alignClimate(climate: Climate, cfdDirections: readonly number[]): Alignment {
  const total = totalFrequency(climate);
  const models: (SectorModel | undefined)[] = cfdDirections.map(() => undefined);
  const missing: number[] = [];
  const frequencies = sectorFrequencies(climate);
  climate.sectors.forEach((sector, i) => {
    const frequency = frequencies[i] / total;
    if (frequency <= 0) return;
    const at = cfdDirections.findIndex((d) => sameDirection(d, sector.direction));
    if (at < 0) {
      missing.push(sector.direction);
      return;
    }
    models[at] = modelOf(climate, i, frequency, total);
  });
  const unused = cfdDirections.filter((_, i) => models[i] === undefined);
  return { models, missing, unused };
}

function modelOf(climate: Climate, i: number, frequency: number, total: number): SectorModel {
  if (climate.type === "weibull") {
    const s = climate.sectors[i];
    return { kind: "weibull", direction: s.direction, frequency, k: s.k, c: s.c };
  }
  const s = climate.sectors[i];
  const shares = Float64Array.from(s.frequencies, (q) => q / total);
  const tail = new Float64Array(shares.length + 1);
  for (let b = shares.length - 1; b >= 0; b--) tail[b] = tail[b + 1] + shares[b];
  return { kind: "table", direction: s.direction, frequency, edges: Float64Array.from(climate.speedBins), shares, tail };
}

/** P(direction = s and V_ref > x) for one sector: the scalar form of the kernel's formulas. */
export function sectorExceedance(model: SectorModel, x: number): number {
  if (model.kind === "weibull") return model.frequency * Math.exp(-Math.pow(x / model.c, model.k));
  const { edges, shares, tail } = model;
  const last = edges.length - 1;
  if (x <= edges[0]) return tail[0];
  if (x >= edges[last]) return 0;
  let b = 0;
  while (edges[b + 1] <= x) b++;
  return tail[b + 1] + (shares[b] * (edges[b + 1] - x)) / (edges[b + 1] - edges[b]);
}

/**
 * Log-law ratio of mean wind speeds over the same terrain, V(to) / V(from) =
 * ln(to / z0) / ln(from / z0): moves a climate measured at one height to the CFD reference height.
 */
export function logLawFactor(from: number, to: number, z0: number): number {
  if (!(from > z0 && to > z0)) throw new Error(`both heights must exceed the roughness length ${z0} m`);
  return Math.log(to / z0) / Math.log(from / z0);
}

/** The climate with every reference speed multiplied by `factor` (Weibull scales, table bin edges). */
export function scaleClimate(climate: Climate, factor: number): Climate {
  if (climate.type === "weibull") return { ...climate, sectors: climate.sectors.map((s) => ({ ...s, c: s.c * factor })) };
  return { ...climate, speedBins: climate.speedBins.map((e) => e * factor) };
}
