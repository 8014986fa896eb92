/** Summary statistics of cell values (per cell, not volume-weighted). */

export interface Stats {
  /** Finite values counted. */
  count: number;
  /** Values left out because they are NaN or infinite. */
  nonFinite: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Keyed by the percentile ("5", "50", "95"); linear between order statistics (numpy's default). */
  percentiles: Record<string, number | null>;
}

export const DEFAULT_PERCENTILES = [5, 25, 50, 75, 95] as const;

export function describe(values: Float64Array, percentiles: readonly number[] = DEFAULT_PERCENTILES): Stats {
  const finite = new Float64Array(values.length);
  let count = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      finite[count++] = v;
      sum += v;
    }
  }
  const sorted = finite.subarray(0, count).sort();
  const out: Record<string, number | null> = {};
  for (const p of percentiles) out[String(p)] = count === 0 ? null : percentileOfSorted(sorted, p);
  return {
    count,
    nonFinite: values.length - count,
    min: count === 0 ? null : sorted[0],
    max: count === 0 ? null : sorted[count - 1],
    mean: count === 0 ? null : sum / count,
    percentiles: out,
  };
}

/** The p-th percentile (0–100) of ascending `sorted`, interpolating linearly between ranks. */
export function percentileOfSorted(sorted: Float64Array, p: number): number {
  const h = ((sorted.length - 1) * p) / 100;
  const below = Math.floor(h);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (h - below) * (sorted[above] - sorted[below]);
}

/** Names of a value's components, by count. */
export function componentNames(components: number): string[] {
  switch (components) {
    case 1:
      return ["value"];
    case 3:
      return ["x", "y", "z"];
    case 6:
      return ["xx", "xy", "xz", "yy", "yz", "zz"];
    case 9:
      return ["xx", "xy", "xz", "yx", "yy", "yz", "zx", "zy", "zz"];
    default:
      return Array.from({ length: components }, (_, i) => `c${i}`);
  }
}

/** One component of interleaved values. */
export function component(values: Float64Array, components: number, which: number): Float64Array {
  const n = values.length / components;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = values[i * components + which];
  return out;
}

/** Euclidean (Frobenius for tensors) magnitude of each value. */
export function magnitudes(values: Float64Array, components: number): Float64Array {
  const n = values.length / components;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < components; c++) {
      const v = values[i * components + c];
      s += v * v;
    }
    out[i] = Math.sqrt(s);
  }
  return out;
}

/** Statistics of a field's cell values: per component, plus the magnitude for non-scalars. */
export function describeField(values: Float64Array, components: number, percentiles?: readonly number[]): Record<string, Stats> {
  if (components === 1) return { value: describe(values, percentiles) };
  const out: Record<string, Stats> = { magnitude: describe(magnitudes(values, components), percentiles) };
  componentNames(components).forEach((name, c) => (out[name] = describe(component(values, components, c), percentiles)));
  return out;
}
