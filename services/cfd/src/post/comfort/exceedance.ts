/**
 * Exceedance of wind speed thresholds at many points, combining CFD sectors with a wind climate.
 *
 * At a point, the CFD of sector s gives the speed ratio r_s = |U_s| / U_ref (the flow scales
 * with the reference speed: Reynolds-number independence). The wind from s with reference speed
 * V_ref gives V = r_s · V_ref there, so
 *
 *     P(V > v) = Σ_s P(direction s, V_ref > v / r_s)
 *
 * and for a Weibull sector that term is f_s · exp(−(v / (r_s c_s))^k_s).
 *
 * Speed: (v / (r c))^k = (v / c)^k · r^(−k), so per point and sector one log and one exp give
 * r^(−k), and each threshold costs a multiply and an exp(−x). That exp comes from a table at
 * 1/1024 steps with a cubic correction (relative error < 1e-13), cheaper than Math.exp; terms
 * below e^(−40) ≈ 4e−18 are dropped. Thresholds ascend, so once one term is dropped
 * the higher thresholds' terms are too.
 */
import type { SectorModel } from "./climate";

const STEPS = 1024;
const X_MAX = 40;
const LIMIT = X_MAX * STEPS;
const INV_STEPS = 1 / STEPS;
const ONE_SIXTH = 1 / 6;
/** exp(−j / STEPS) for j = 0 … LIMIT. */
const EXP_NEG = Float64Array.from({ length: LIMIT + 1 }, (_, j) => Math.exp(-j / STEPS));

/**
 * `ratios[s]` are the speed ratios of CFD sector s at each of `points` points; `models[s]` its
 * climate (undefined: no wind from there). Returns one block of `points` exceedance fractions
 * (0–1) per threshold, in the order of `thresholds` (which must ascend).
 */
export function exceedance(
  ratios: readonly (Float64Array | undefined)[],
  models: readonly (SectorModel | undefined)[],
  thresholds: readonly number[],
  points: number,
): Float64Array {
  for (let t = 1; t < thresholds.length; t++) {
    if (!(thresholds[t] > thresholds[t - 1])) throw new Error("thresholds must ascend");
  }
  const out = new Float64Array(thresholds.length * points);
  models.forEach((model, s) => {
    if (!model) return;
    const ratio = ratios[s];
    if (!ratio || ratio.length !== points) throw new Error(`sector ${model.direction}: expected ${points} ratios`);
    if (model.kind === "weibull") addWeibull(out, ratio, model.frequency, model.k, model.c, thresholds, points);
    else addTable(out, ratio, model.edges, model.shares, model.tail, thresholds, points);
  });
  return out;
}

function addWeibull(out: Float64Array, ratio: Float64Array, frequency: number, k: number, c: number, thresholds: readonly number[], n: number): void {
  const count = thresholds.length;
  // (v / c)^k, pre-scaled to table steps.
  const scaled = Float64Array.from(thresholds, (v) => Math.pow(v / c, k) * STEPS);
  const negK = -k;
  for (let i = 0; i < n; i++) {
    const r = ratio[i];
    if (!(r > 0)) continue; // no flow there (or NaN): no exceedance from this sector
    const y = Math.exp(negK * Math.log(r));
    for (let t = 0, o = i; t < count; t++, o += n) {
      const x = scaled[t] * y;
      if (!(x < LIMIT)) break;
      const j = x | 0;
      const d = (x - j) * INV_STEPS;
      out[o] += frequency * EXP_NEG[j] * (1 - d * (1 - d * (0.5 - d * ONE_SIXTH)));
    }
  }
}

function addTable(out: Float64Array, ratio: Float64Array, edges: Float64Array, shares: Float64Array, tail: Float64Array, thresholds: readonly number[], n: number): void {
  const count = thresholds.length;
  const bins = shares.length;
  const first = edges[0];
  const last = edges[bins];
  // P within bin b: tail[b + 1] + slope[b] · (edges[b + 1] − x).
  const slope = Float64Array.from(shares, (q, b) => q / (edges[b + 1] - edges[b]));
  // Equal-width bins (the usual 1 m/s table): the bin is an index computation, not a search.
  const width = (last - first) / bins;
  const uniform = Array.from(shares, (_, b) => edges[b + 1] - edges[b]).every((w) => Math.abs(w - width) <= 1e-9 * width);
  const inverseWidth = 1 / width;
  for (let i = 0; i < n; i++) {
    const r = ratio[i];
    if (!(r > 0)) continue;
    const inverse = 1 / r;
    let b = 0;
    for (let t = 0, o = i; t < count; t++, o += n) {
      const x = thresholds[t] * inverse;
      if (x >= last) break;
      if (x <= first) {
        out[o] += tail[0];
        continue;
      }
      if (uniform) {
        b = ((x - first) * inverseWidth) | 0;
        if (b >= bins) b = bins - 1;
        // Rounding at an edge: step to the bin that really holds x.
        while (b > 0 && x < edges[b]) b--;
        while (edges[b + 1] <= x) b++;
      } else {
        // x ascends with t, so the search resumes where the last one stopped.
        while (edges[b + 1] <= x) b++;
      }
      out[o] += tail[b + 1] + slope[b] * (edges[b + 1] - x);
    }
  }
}
