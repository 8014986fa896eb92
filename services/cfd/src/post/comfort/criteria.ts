/**
 * Named pedestrian wind criteria (see shared/reference/DOMAIN.md). Vendors name these sets
 * inconsistently, so every result stores the whole set: name, classes, thresholds, limits.
 *
 * A set is an ordered list of classes, most comfortable (or safest) first. A point belongs to
 * the first class whose condition holds: P(V > speed) ≤ limit (`inclusive`) or < limit; the last
 * class has no condition and takes the rest. "At the limit" means within a relative 1e-9 of it:
 * percentages such as 0.022 % have no exact binary fraction, and the exceedance itself is only
 * computed to ~1e-13.
 */

export interface CriteriaClass {
  name: string;
  /** Wind speed threshold, m/s; absent on the last class. */
  speed?: number;
  /** Largest allowed exceedance of `speed`, percent of the time; absent on the last class. */
  maxExceedancePercent?: number;
  /** true: exceedance ≤ limit qualifies; false: exceedance < limit. */
  inclusive?: boolean;
}

export interface CriteriaSet {
  name: string;
  title: string;
  kind: "comfort" | "safety";
  classes: CriteriaClass[];
  /** The safety set reported alongside by default (comfort sets only). */
  defaultSafety?: string;
  notes: string;
}

export const CRITERIA_SETS: Record<string, CriteriaSet> = {
  lawson: {
    name: "lawson",
    title: "Lawson (LDDC / 2001 as commonly used)",
    kind: "comfort",
    classes: [
      { name: "sitting", speed: 4, maxExceedancePercent: 5, inclusive: true },
      { name: "standing", speed: 6, maxExceedancePercent: 5, inclusive: true },
      { name: "walking", speed: 8, maxExceedancePercent: 5, inclusive: true },
      { name: "business walking", speed: 10, maxExceedancePercent: 5, inclusive: true },
      { name: "uncomfortable" },
    ],
    defaultSafety: "lawson-safety",
    notes: "A class holds when its threshold is exceeded no more than 5 % of the time.",
  },
  "city-of-london-2019": {
    name: "city-of-london-2019",
    title: "City of London Wind Microclimate Guidelines (2019)",
    kind: "comfort",
    classes: [
      { name: "frequent sitting", speed: 2.5, maxExceedancePercent: 5, inclusive: true },
      { name: "occasional sitting", speed: 4, maxExceedancePercent: 5, inclusive: true },
      { name: "standing", speed: 6, maxExceedancePercent: 5, inclusive: true },
      { name: "walking", speed: 8, maxExceedancePercent: 5, inclusive: true },
      { name: "uncomfortable" },
    ],
    defaultSafety: "lawson-safety",
    notes: "A class holds when its threshold is exceeded no more than 5 % of the time; safety by default with the Lawson 15 / 20 m/s criteria.",
  },
  "nen-8100": {
    name: "nen-8100",
    title: "NEN 8100 wind comfort",
    kind: "comfort",
    classes: [
      { name: "A", speed: 5, maxExceedancePercent: 2.5, inclusive: false },
      { name: "B", speed: 5, maxExceedancePercent: 5, inclusive: false },
      { name: "C", speed: 5, maxExceedancePercent: 10, inclusive: false },
      { name: "D", speed: 5, maxExceedancePercent: 20, inclusive: false },
      { name: "E" },
    ],
    defaultSafety: "nen-8100-danger",
    notes: "Classes by the share of time 5 m/s is exceeded: A < 2.5 %, B 2.5–5 %, C 5–10 %, D 10–20 %, E ≥ 20 %.",
  },
  "lawson-safety": {
    name: "lawson-safety",
    title: "Lawson safety",
    kind: "safety",
    classes: [
      { name: "safe", speed: 15, maxExceedancePercent: 0.022, inclusive: true },
      { name: "unsafe for frail pedestrians and cyclists", speed: 20, maxExceedancePercent: 0.022, inclusive: true },
      { name: "unsafe for all" },
    ],
    notes: "Unsafe when 15 m/s (frail pedestrians, cyclists) or 20 m/s (able-bodied) is exceeded more than 0.022 % of the time (about 2 h a year).",
  },
  "nen-8100-danger": {
    name: "nen-8100-danger",
    title: "NEN 8100 danger",
    kind: "safety",
    classes: [
      { name: "no risk", speed: 15, maxExceedancePercent: 0.05, inclusive: false },
      { name: "limited risk", speed: 15, maxExceedancePercent: 0.3, inclusive: true },
      { name: "dangerous" },
    ],
    notes: "By the share of time 15 m/s is exceeded: no risk < 0.05 %, limited risk 0.05–0.3 %, dangerous > 0.3 %.",
  },
};

const LIMIT_TOLERANCE = 1e-9;

export const CRITERIA_NAMES = Object.keys(CRITERIA_SETS);
export const SAFETY_NAMES = CRITERIA_NAMES.filter((n) => CRITERIA_SETS[n].kind === "safety");

/** The distinct speed thresholds of the given sets, ascending. */
export function thresholdsOf(...sets: (CriteriaSet | undefined)[]): number[] {
  const speeds = new Set<number>();
  for (const set of sets) for (const c of set?.classes ?? []) if (c.speed !== undefined) speeds.add(c.speed);
  return [...speeds].sort((a, b) => a - b);
}

/**
 * The class of each point. `exceedance` holds one block of `points` fractions (0–1) per
 * threshold, in the order of `thresholds`.
 */
export function classify(set: CriteriaSet, thresholds: readonly number[], exceedance: Float64Array, points: number): Uint8Array {
  const out = new Uint8Array(points);
  const last = set.classes.length - 1;
  const rules = set.classes.slice(0, last).map((c) => {
    const t = thresholds.indexOf(c.speed as number);
    if (t < 0) throw new Error(`threshold ${c.speed} of ${set.name} was not computed`);
    const limit = (c.maxExceedancePercent as number) / 100;
    // Inclusive: anything up to just above the limit qualifies; exclusive: only clearly below.
    return { offset: t * points, bound: c.inclusive === true ? limit * (1 + LIMIT_TOLERANCE) : limit * (1 - LIMIT_TOLERANCE) };
  });
  for (let i = 0; i < points; i++) {
    let k = 0;
    for (; k < rules.length; k++) {
      const rule = rules[k];
      if (exceedance[rule.offset + i] <= rule.bound) break;
    }
    out[i] = k < rules.length ? k : last;
  }
  return out;
}
