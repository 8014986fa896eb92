/** Statistics, nearest-cell lookups and the pedestrian band, on hand-made and real cell centres. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { cellsInBand, nearestHeights, ratiosOf, speedsAt } from "../src/post/analysis/pedestrian";
import { PointIndex } from "../src/post/analysis/point-index";
import { describe as stats, describeField } from "../src/post/analysis/stats";
import { parseFoamField } from "../src/post/foam/field";

const centres = (file: string) => parseFoamField(readFileSync(path.join(__dirname, "fixtures/openfoam", file))).internalField.values;

describe("statistics", () => {
  test("min, max, mean and linear-interpolated percentiles, NaN left out and counted", () => {
    const s = stats(Float64Array.of(4, 1, NaN, 3, 2, 5), [0, 10, 50, 90, 100]);
    // Sorted 1 2 3 4 5 (n = 5): rank h = 4p/100; p10 → h 0.4 → 1 + 0.4 × 1 = 1.4; p90 → h 3.6 → 4.6.
    expect(s).toEqual({ count: 5, nonFinite: 1, min: 1, max: 5, mean: 3, percentiles: { "0": 1, "10": 1.4, "50": 3, "90": 4.6, "100": 5 } });
    expect(stats(new Float64Array(0)).mean).toBeNull();
  });

  test("vectors: magnitude and each component", () => {
    const s = describeField(Float64Array.of(3, 4, 0, 0, 0, 2), 3, [50]);
    expect(Object.keys(s)).toEqual(["magnitude", "x", "y", "z"]);
    expect(s.magnitude).toMatchObject({ min: 2, max: 5, mean: 3.5 }); // |(3,4,0)| = 5, |(0,0,2)| = 2
    expect(s.y).toMatchObject({ min: 0, max: 4, mean: 2 });
  });
});

describe("nearest cell centre", () => {
  const brute = (points: Float64Array, x: number, y: number, z: number) => {
    let best = -1;
    let bestD2 = Infinity;
    const n = points.length / 3;
    for (let i = 0; i < n; i++) {
      const dx = points[3 * i] - x;
      const dy = points[3 * i + 1] - y;
      const dz = points[3 * i + 2] - z;
      const d2 = dx * dx + dy * dy + dz * dz;
      if (d2 < bestD2) {
        bestD2 = d2;
        best = i;
      }
    }
    return { index: best, distance: Math.sqrt(bestD2) };
  };

  test.each([
    ["cube-in-wind/mesh/C", 50],
    ["pitzDaily-coarse/C", 0.3],
  ])("agrees with a brute-force search on %s, inside and far outside the mesh", (file, span) => {
    const c = centres(file as string);
    const index = new PointIndex(c);
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 3 * (span as number);
    let worst = 0;
    let mismatched = 0;
    for (let q = 0; q < 400; q++) {
      const [x, y, z] = [random(), random(), random() / 3];
      const got = index.nearest(x, y, z);
      const want = brute(c, x, y, z);
      worst = Math.max(worst, Math.abs(got.distance - want.distance));
      if (got.index !== want.index && got.distance !== want.distance) mismatched++;
    }
    expect(worst).toBeLessThan(1e-12);
    expect(mismatched).toBe(0);
  });

  test("a cloud of 20,000 random points: the same nearest point as brute force", () => {
    let seed = 3;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const points = Float64Array.from({ length: 60_000 }, (_, i) => random() * (i % 3 === 2 ? 5 : 100));
    const index = new PointIndex(points);
    for (let q = 0; q < 200; q++) {
      const [x, y, z] = [random() * 120 - 10, random() * 120 - 10, random() * 8 - 1];
      if (index.nearest(x, y, z).index !== brute(points, x, y, z).index) throw new Error(`query ${q} differs`);
    }
  });

  test("a point on a cell centre finds that cell at distance 0", () => {
    const c = centres("cube-in-wind/mesh/C");
    const index = new PointIndex(c);
    expect(index.nearest(c[3 * 123], c[3 * 123 + 1], c[3 * 123 + 2])).toEqual({ index: 123, distance: 0 });
    expect(new PointIndex(new Float64Array(0)).nearest(0, 0, 0)).toEqual({ index: -1, distance: Infinity });
  });
});

describe("pedestrian level", () => {
  test("the band picks the first cell layer (z = 1.5 m): 100 columns minus the 4 under the building", () => {
    const c = centres("cube-in-wind/mesh/C");
    const cells = cellsInBand(c, { height: 1.5, halfWidth: 0.5 });
    expect(cells.length).toBe(96);
    for (const i of cells) expect(c[3 * i + 2]).toBe(1.5);
    expect(cellsInBand(c, { height: 3, halfWidth: 1 }).length).toBe(0);
    expect(nearestHeights(c, 3)).toEqual([1.5, 4.5, 7.5]);
  });

  test("speed |U| and ratio |U| / U_ref at the picked cells", () => {
    const u = Float64Array.of(3, 4, 0, 6, 8, 0, 0, 0, 0);
    const speeds = speedsAt(u, Int32Array.of(1, 2));
    expect(Array.from(speeds)).toEqual([10, 0]);
    expect(Array.from(ratiosOf(speeds, 5))).toEqual([2, 0]);
  });
});
