/**
 * Comfort classification against hand-computed cases: the arithmetic is written out next to
 * each expectation. Exceedance P(V > v) = Σ_s f_s · P_s(V_ref > v / r_s).
 */
import { alignClimate, logLawFactor, scaleClimate, sectorExceedance, type Climate, type SectorModel } from "../src/post/comfort/climate";
import { classify, CRITERIA_SETS, thresholdsOf } from "../src/post/comfort/criteria";
import { exceedance } from "../src/post/comfort/exceedance";

const lawson = CRITERIA_SETS.lawson;
const safety = CRITERIA_SETS["lawson-safety"];

/** Exceedance fractions at one point, keyed by threshold. */
function atOnePoint(ratios: number[], models: (SectorModel | undefined)[], thresholds: number[]) {
  const out = exceedance(
    ratios.map((r) => Float64Array.of(r)),
    models,
    thresholds,
    1,
  );
  return Object.fromEntries(thresholds.map((t, k) => [t, out[k]]));
}

describe("Weibull climate", () => {
  test("one sector, f = 1, k = 2, c = 5 m/s, ratio 0.8: walking and safe", () => {
    const models = alignClimate({ type: "weibull", sectors: [{ direction: 0, frequency: 1, k: 2, c: 5 }] }, [0]).models;
    const thresholds = thresholdsOf(lawson, safety);
    expect(thresholds).toEqual([4, 6, 8, 10, 15, 20]);
    const p = atOnePoint([0.8], models, thresholds);
    // r·c = 0.8 × 5 = 4 m/s, so P(V > v) = exp(−(v/4)²):
    expect(p[4]).toBeCloseTo(0.367879, 6); //  exp(−1)       = 36.79 % > 5 %  → not sitting
    expect(p[6]).toBeCloseTo(0.105399, 6); //  exp(−2.25)    = 10.54 % > 5 %  → not standing
    expect(p[8]).toBeCloseTo(0.0183156, 7); // exp(−4)       =  1.83 % ≤ 5 %  → walking
    expect(p[10]).toBeCloseTo(0.00193045, 8); // exp(−6.25)
    expect(p[15]).toBeCloseTo(7.81149e-7, 11); // exp(−14.0625) = 7.8e−5 % ≤ 0.022 % → safe
    expect(p[20]).toBeCloseTo(1.38879e-11, 15); // exp(−25)
    const all = Float64Array.from(thresholds, (t) => p[t]);
    expect(lawson.classes[classify(lawson, thresholds, all, 1)[0]].name).toBe("walking");
    expect(safety.classes[classify(safety, thresholds, all, 1)[0]].name).toBe("safe");
  });

  test("two sectors with different shapes and ratios: 8 m/s exceeded 5.15 % → business walking", () => {
    const climate: Climate = {
      type: "weibull",
      sectors: [
        { direction: 0, frequency: 0.6, k: 2, c: 5 },
        { direction: 90, frequency: 0.4, k: 1.5, c: 6 },
      ],
    };
    const models = alignClimate(climate, [0, 90]).models;
    const thresholds = thresholdsOf(lawson, safety);
    // Ratios at the point: 1.0 from north (r·c = 5), 0.5 from east (r·c = 3).
    const p = atOnePoint([1.0, 0.5], models, thresholds);
    // P(V > 4) = 0.6·exp(−(4/5)²) + 0.4·exp(−(4/3)^1.5) = 0.6·exp(−0.64) + 0.4·exp(−1.539601)
    //          = 0.6 × 0.527292 + 0.4 × 0.214472 = 0.316375 + 0.085787 = 0.402162
    expect(p[4]).toBeCloseTo(0.402162, 6);
    // P(V > 6) = 0.6·exp(−1.44) + 0.4·exp(−2^1.5 = −2.828427) = 0.142157 + 0.023642 = 0.165799
    expect(p[6]).toBeCloseTo(0.165799, 6);
    // P(V > 8) = 0.6·exp(−2.56) + 0.4·exp(−4.354648) = 0.046383 + 0.005139 = 0.051522 > 0.05
    expect(p[8]).toBeCloseTo(0.051522, 6);
    // P(V > 10) = 0.6·exp(−4) + 0.4·exp(−6.085806) = 0.010989 + 0.000910 = 0.011899 ≤ 0.05
    expect(p[10]).toBeCloseTo(0.011899, 6);
    // P(V > 15) = 0.6·exp(−9) + 0.4·exp(−11.180340) = 7.4046e−5 + 5.578e−6 = 7.9624e−5 (0.0080 %)
    expect(p[15]).toBeCloseTo(7.9624e-5, 9);
    const all = Float64Array.from(thresholds, (t) => p[t]);
    expect(lawson.classes[classify(lawson, thresholds, all, 1)[0]].name).toBe("business walking");
    expect(safety.classes[classify(safety, thresholds, all, 1)[0]].name).toBe("safe");
  });

  test("no flow at a point (ratio 0) exceeds nothing; a sector with no wind contributes nothing", () => {
    const climate: Climate = { type: "weibull", sectors: [{ direction: 0, frequency: 1, k: 2, c: 5 }] };
    const models = alignClimate(climate, [0, 180]).models;
    expect(models[1]).toBeUndefined();
    const p = atOnePoint([0, 3], models, [4]);
    expect(p[4]).toBe(0);
    expect(lawson.classes[classify(lawson, thresholdsOf(lawson), new Float64Array(4), 1)[0]].name).toBe("sitting");
  });

  test("the vectorised kernel equals the scalar formula on 16 sectors × 2000 points", () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const directions = Array.from({ length: 16 }, (_, s) => s * 22.5);
    const sectors = directions.map((direction) => ({ direction, frequency: 1 / 16, k: 1.2 + random() * 1.6, c: 3 + random() * 5 }));
    const models = alignClimate({ type: "weibull", sectors }, directions).models;
    const n = 2000;
    const ratios = directions.map(() => Float64Array.from({ length: n }, (_, i) => (i % 97 === 0 ? 0 : random() * 1.8)));
    const thresholds = thresholdsOf(lawson, safety);
    const fast = exceedance(ratios, models, thresholds, n);
    let worst = 0;
    thresholds.forEach((t, k) => {
      for (let i = 0; i < n; i++) {
        let expected = 0;
        models.forEach((m, s) => {
          const r = ratios[s][i];
          if (m && r > 0) expected += sectorExceedance(m, t / r);
        });
        const got = fast[k * n + i];
        // Terms below e^−40 are dropped by design: absolute floor 16 × 4.3e−18.
        const error = Math.abs(got - expected) / Math.max(expected, 1e-15);
        if (expected > 1e-15) worst = Math.max(worst, error);
        else expect(Math.abs(got - expected)).toBeLessThan(1e-15);
      }
    });
    expect(worst).toBeLessThan(1e-12);
  });
});

describe("frequency-table climate", () => {
  // Speed bins 0–2–4–6–8–10–12 m/s, one sector holding all the time:
  // shares 0.1, 0.2, 0.3, 0.2, 0.1, 0.1 → tails from bin b up: 1.0, 0.9, 0.7, 0.4, 0.2, 0.1, 0.
  const climate: Climate = { type: "table", speedBins: [0, 2, 4, 6, 8, 10, 12], sectors: [{ direction: 270, frequencies: [0.1, 0.2, 0.3, 0.2, 0.1, 0.1] }] };

  test("ratio 1.5: linear within bins, nothing above the last edge", () => {
    const models = alignClimate(climate, [270]).models;
    const p = atOnePoint([1.5], models, [4, 6, 8, 10, 15, 20]);
    // v = 4 → V_ref > 4/1.5 = 2.667, in bin 2–4: tail(4–) 0.7 + 0.2 × (4 − 2.667)/2 = 0.7 + 0.13333 = 0.83333
    expect(p[4]).toBeCloseTo(0.833333, 6);
    // v = 6 → V_ref > 4 (a bin edge): tail(4–) = 0.3 + 0.2 + 0.1 + 0.1 = 0.7
    expect(p[6]).toBeCloseTo(0.7, 12);
    // v = 8 → V_ref > 5.333, in bin 4–6: 0.4 + 0.3 × (6 − 5.333)/2 = 0.4 + 0.1 = 0.5
    expect(p[8]).toBeCloseTo(0.5, 12);
    // v = 10 → V_ref > 6.667, in bin 6–8: 0.2 + 0.2 × (8 − 6.667)/2 = 0.2 + 0.13333 = 0.33333
    expect(p[10]).toBeCloseTo(0.333333, 6);
    // v = 15 → V_ref > 10, bin 10–12: 0 + 0.1 × (12 − 10)/2 = 0.1
    expect(p[15]).toBeCloseTo(0.1, 12);
    // v = 20 → V_ref > 13.333 ≥ 12 (the last edge): 0
    expect(p[20]).toBe(0);
  });

  test.each([
    ["equal 1 m/s bins", Array.from({ length: 26 }, (_, i) => i)],
    ["uneven bins", [0, 0.5, 1.5, 3, 4, 6, 9, 13, 18, 25]],
  ])("the kernel equals the scalar formula with %s, 8 sectors × 3000 points", (_label, edges) => {
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const directions = Array.from({ length: 8 }, (_, s) => s * 45);
    const raw = directions.map(() => (edges as number[]).slice(1).map(() => random()));
    const total = raw.flat().reduce((a, b) => a + b, 0);
    const table: Climate = { type: "table", speedBins: edges as number[], sectors: directions.map((direction, s) => ({ direction, frequencies: raw[s].map((q) => q / total) })) };
    const models = alignClimate(table, directions).models;
    const n = 3000;
    const ratios = directions.map(() => Float64Array.from({ length: n }, (_, i) => (i % 101 === 0 ? 0 : random() * 2.5)));
    const thresholds = [1, 2.5, 4, 5, 6, 8, 10, 15, 20];
    const fast = exceedance(ratios, models, thresholds, n);
    let worst = 0;
    thresholds.forEach((t, k) => {
      for (let i = 0; i < n; i++) {
        let expected = 0;
        models.forEach((m, s) => {
          if (m && ratios[s][i] > 0) expected += sectorExceedance(m, t / ratios[s][i]);
        });
        worst = Math.max(worst, Math.abs(fast[k * n + i] - expected));
      }
    });
    expect(worst).toBeLessThan(1e-12);
  });

  test("below the first edge everything exceeds; frequencies are normalised by their total", () => {
    const doubled: Climate = { ...climate, speedBins: [1, 2, 4, 6, 8, 10, 12] } as Climate;
    const models = alignClimate(doubled, [270]).models;
    // v = 1, r = 2 → V_ref > 0.5 < the first edge 1 → the sector's whole share, 1.
    expect(atOnePoint([2], models, [1])[1]).toBeCloseTo(1, 12);
    const halfTable: Climate = {
      type: "table",
      speedBins: [0, 10],
      sectors: [
        { direction: 0, frequencies: [0.25] },
        { direction: 180, frequencies: [0.75] },
      ],
    };
    const aligned = alignClimate(halfTable, [0, 180]).models;
    // v = 5, r = 1 in both: each sector V_ref > 5 is half its bin: 0.25 × 0.5 + 0.75 × 0.5 = 0.5
    expect(atOnePoint([1, 1], aligned, [5])[5]).toBeCloseTo(0.5, 12);
  });
});

describe("classes at their limits", () => {
  const classOf = (setName: string, byThreshold: Record<number, number>) => {
    const set = CRITERIA_SETS[setName];
    const thresholds = thresholdsOf(set);
    const block = Float64Array.from(thresholds, (t) => byThreshold[t] ?? 0);
    return set.classes[classify(set, thresholds, block, 1)[0]].name;
  };

  test("Lawson: exceeded exactly 5 % still qualifies (≤)", () => {
    expect(classOf("lawson", { 4: 0.05 })).toBe("sitting");
    expect(classOf("lawson", { 4: 0.0501, 6: 0.05 })).toBe("standing");
    expect(classOf("lawson", { 4: 1, 6: 1, 8: 1, 10: 0.0500001 })).toBe("uncomfortable");
  });

  test("City of London 2019: 2.5 / 4 / 6 / 8 m/s", () => {
    expect(classOf("city-of-london-2019", { 2.5: 0.04 })).toBe("frequent sitting");
    expect(classOf("city-of-london-2019", { 2.5: 0.2, 4: 0.06, 6: 0.01 })).toBe("standing");
    expect(classOf("city-of-london-2019", { 2.5: 1, 4: 1, 6: 1, 8: 0.2 })).toBe("uncomfortable");
  });

  test("NEN 8100: A < 2.5 %, B 2.5–5 %, C 5–10 %, D 10–20 %, E ≥ 20 % of the time above 5 m/s", () => {
    expect(classOf("nen-8100", { 5: 0.0249 })).toBe("A");
    expect(classOf("nen-8100", { 5: 0.025 })).toBe("B");
    expect(classOf("nen-8100", { 5: 0.05 })).toBe("C");
    expect(classOf("nen-8100", { 5: 0.1999 })).toBe("D");
    expect(classOf("nen-8100", { 5: 0.2 })).toBe("E");
  });

  test("NEN 8100 danger: < 0.05 % no risk, 0.05–0.3 % limited, > 0.3 % dangerous (15 m/s)", () => {
    expect(classOf("nen-8100-danger", { 15: 0.000499 })).toBe("no risk");
    expect(classOf("nen-8100-danger", { 15: 0.0005 })).toBe("limited risk");
    expect(classOf("nen-8100-danger", { 15: 0.003 })).toBe("limited risk");
    expect(classOf("nen-8100-danger", { 15: 0.00301 })).toBe("dangerous");
  });

  test("Lawson safety: 15 m/s then 20 m/s, each at 0.022 %", () => {
    expect(classOf("lawson-safety", { 15: 0.00022, 20: 0 })).toBe("safe");
    expect(classOf("lawson-safety", { 15: 0.00023, 20: 0.0002 })).toBe("unsafe for frail pedestrians and cyclists");
    expect(classOf("lawson-safety", { 15: 0.01, 20: 0.00023 })).toBe("unsafe for all");
  });
});

describe("climate and CFD directions", () => {
  const weibull = (directions: number[], frequencies: number[]): Climate => ({
    type: "weibull",
    sectors: directions.map((direction, i) => ({ direction, frequency: frequencies[i], k: 2, c: 5 })),
  });

  test("directions the CFD did not run are missing; zero-frequency ones are not", () => {
    const a = alignClimate(weibull([0, 45, 90, 135], [0.4, 0.2, 0.4, 0]), [0, 90, 180]);
    expect(a.missing).toEqual([45]);
    expect(a.unused).toEqual([180]);
  });

  test("359.8° matches 0° (within 0.5°); frequencies are normalised", () => {
    const a = alignClimate(weibull([359.8, 180], [0.505, 0.5]), [0, 180]);
    expect(a.missing).toEqual([]);
    expect(a.models[0]?.frequency).toBeCloseTo(0.505 / 1.005, 12);
    expect(a.models[1]?.frequency).toBeCloseTo(0.5 / 1.005, 12);
  });

  test("log law from 20 m down to 10 m over z0 = 0.1 m: speeds × ln(100)/ln(200) = 0.869176", () => {
    // ln(10/0.1) / ln(20/0.1) = 4.605170 / 5.298317 = 0.869176
    const factor = logLawFactor(20, 10, 0.1);
    expect(factor).toBeCloseTo(0.869176, 6);
    const scaled = scaleClimate(weibull([0], [1]), factor);
    expect(scaled.type === "weibull" && scaled.sectors[0].c).toBeCloseTo(5 * 0.869176, 5);
    const table = scaleClimate({ type: "table", speedBins: [0, 10], sectors: [{ direction: 0, frequencies: [1] }] }, 2);
    expect(table.type === "table" && table.speedBins).toEqual([0, 20]);
    expect(() => logLawFactor(0.05, 10, 0.1)).toThrow(/exceed the roughness length/);
  });
});
