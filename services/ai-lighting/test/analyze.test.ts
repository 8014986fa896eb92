import { luminaireArray, rectangle, startLighting } from "./helpers";

let svc: Awaited<ReturnType<typeof startLighting>>;
beforeAll(async () => (svc = await startLighting()));
afterAll(() => svc.close());

const office = (luminaires: unknown[], extra: Record<string, unknown> = {}) => ({
  room: { floor: rectangle(10, 8), height: 3, workPlaneHeight: 0.75, type: "office" },
  luminaires,
  grid: { spacing: 0.5, margin: 0 },
  ...extra,
});

type Grid = { x: number[]; y: number[]; lux: number[]; daylightFactorPercent: number[] };
const at = (grid: Grid, x: number, y: number) => {
  const i = grid.x.findIndex((gx, k) => Math.abs(gx - x) < 1e-9 && Math.abs(grid.y[k]! - y) < 1e-9);
  if (i < 0) throw new Error(`no grid point at (${x}, ${y})`);
  return i;
};

describe("POST /analyze — point-by-point illuminance", () => {
  test("a single isotropic source gives E = I·cosθ/d² at known points", async () => {
    const flux = 10_000;
    const source = { x: 5.25, y: 4.25, z: 2.75, flux, distribution: "isotropic", maintenanceFactor: 1 };
    const { status, body } = await svc.post("/analyze", office([source]));
    expect(status).toBe(200);
    const I = flux / (4 * Math.PI);
    const h = 2; // 2.75 − 0.75
    for (const [x, y] of [[5.25, 4.25], [7.25, 4.25], [0.25, 0.25], [9.75, 7.75]] as const) {
      const d = Math.hypot(x - 5.25, y - 4.25, h);
      const expected = (I * (h / d)) / d ** 2;
      expect(body.grid.lux[at(body.grid, x, y)]).toBeCloseTo(expected, 1); // the grid is rounded to 0.01 lx
    }
    // Directly below: I/h².
    expect(body.electric.max).toBeCloseTo(I / 4, 6);
  });

  test("a cosine downlight gives E = (Φ/π)·cos²θ/d², maintenance factor applied", async () => {
    const source = { x: 5.25, y: 4.25, z: 2.75, flux: 3000, distribution: "lambertian", maintenanceFactor: 0.8 };
    const { body } = await svc.post("/analyze", office([source]));
    const d = Math.hypot(3, 0, 2);
    const expected = (0.8 * (3000 / Math.PI) * (2 / d) ** 2) / d ** 2;
    expect(body.grid.lux[at(body.grid, 8.25, 4.25)]).toBeCloseTo(expected, 1);
    expect(body.electric.max).toBeCloseTo((0.8 * 3000) / (Math.PI * 4), 6);
  });

  test("doubling every luminaire's flux doubles Ē, Emin and Emax and keeps Uo", async () => {
    const base = luminaireArray(10, 8, 4, 3, 2.8, 3000);
    const once = (await svc.post("/analyze", office(base))).body;
    const twice = (await svc.post("/analyze", office(base.map((l) => ({ ...l, flux: l.flux * 2 }))))).body;
    expect(twice.electric.mean / once.electric.mean).toBeCloseTo(2, 12);
    expect(twice.electric.min / once.electric.min).toBeCloseTo(2, 12);
    expect(twice.electric.max / once.electric.max).toBeCloseTo(2, 12);
    expect(twice.electric.uniformity).toBeCloseTo(once.electric.uniformity, 12);
  });

  test("a symmetric layout gives a mirror-symmetric field; Uo = Emin/Ē", async () => {
    const { body } = await svc.post("/analyze", office(luminaireArray(10, 8, 4, 3, 2.8, 3000)));
    for (let i = 0; i < body.grid.x.length; i += 7) {
      const mirror = at(body.grid, 10 - body.grid.x[i], body.grid.y[i]);
      expect(body.grid.lux[mirror]).toBeCloseTo(body.grid.lux[i], 1);
    }
    expect(body.electric.uniformity).toBeCloseTo(body.electric.min / body.electric.mean, 12);
  });

  test("in an L-shaped room the inner corner's walls shadow the far wing", async () => {
    const floor = [{ x: 0, y: 0 }, { x: 8, y: 0 }, { x: 8, y: 3 }, { x: 3, y: 3 }, { x: 3, y: 8 }, { x: 0, y: 8 }];
    const source = { x: 7, y: 1.5, z: 2.8, flux: 5000, distribution: "isotropic", maintenanceFactor: 1 };
    const { body } = await svc.post("/analyze", { room: { floor, height: 3, type: "corridor" }, luminaires: [source], grid: { spacing: 0.5, margin: 0 } });
    expect(body.grid.lux[at(body.grid, 1.25, 7.75)]).toBe(0); // round the corner, no line of sight
    expect(body.grid.lux[at(body.grid, 1.25, 1.25)]).toBeGreaterThan(0);
  });
});

describe("POST /analyze — EN 12464-1", () => {
  test("a well-lit office is compliant", async () => {
    const { body } = await svc.post("/analyze", office(luminaireArray(10, 8, 5, 4, 2.8, 5200), { grid: { spacing: 0.25, margin: 0.5 } }));
    expect(body.verdict).toMatchObject({ standard: "EN 12464-1", compliant: true, meetsIlluminance: true, meetsUniformity: true });
    expect(body.verdict.target).toMatchObject({ illuminanceLux: 500, uniformity: 0.6 });
    expect(body.electric.mean).toBeGreaterThanOrEqual(500);
    expect(body.recommendations.filter((r: { kind: string }) => r.kind === "add-flux" || r.kind === "add-luminaire")).toEqual([]);
  });

  test("an under-lit office fails, and following the add-flux advice makes it pass on Ē", async () => {
    const layout = luminaireArray(10, 8, 3, 2, 2.8, 3000);
    const { body } = await svc.post("/analyze", office(layout, { grid: { spacing: 0.25, margin: 0.5 } }));
    expect(body.verdict.compliant).toBe(false);
    expect(body.verdict.meetsIlluminance).toBe(false);
    const addFlux = body.recommendations.find((r: { kind: string }) => r.kind === "add-flux");
    expect(addFlux.lumens).toBeGreaterThan(0);
    const k = 1 + addFlux.lumens / body.installedFlux;
    const fixed = (await svc.post("/analyze", office(layout.map((l) => ({ ...l, flux: l.flux * k })), { grid: { spacing: 0.25, margin: 0.5 } }))).body;
    expect(fixed.verdict.meetsIlluminance).toBe(true);
  });

  test("a bright but patchy office fails on Uo and is told where the dark area is", async () => {
    // Everything in the left half: the right half is dark.
    const layout = luminaireArray(5, 8, 3, 4, 2.8, 9000);
    const { body } = await svc.post("/analyze", office(layout, { grid: { spacing: 0.25, margin: 0.5 } }));
    expect(body.verdict.meetsUniformity).toBe(false);
    const add = body.recommendations.find((r: { kind: string }) => r.kind === "add-luminaire");
    expect(add.at.x).toBeGreaterThan(7);
    expect(add.region.minX).toBeGreaterThan(5);
    expect(add.lumens).toBeGreaterThan(0);
    // Adding the advised luminaire at the advised spot lifts that point to the required minimum.
    const extra = { x: add.at.x, y: add.at.y, z: 2.8, flux: add.lumens, distribution: "lambertian", maintenanceFactor: 0.8 };
    const after = (await svc.post("/analyze", office([...layout, extra], { grid: { spacing: 0.25, margin: 0.5 } }))).body;
    const i = at(after.grid, add.at.x, add.at.y);
    expect(after.grid.lux[i]).toBeGreaterThanOrEqual(0.6 * Math.max(500, body.electric.mean) - 0.01);
  });
});

describe("POST /analyze — daylight factor under the CIE overcast sky", () => {
  const window = (transmittance: number) => ({
    polygon: [{ x: 3, y: 0, z: 0.9 }, { x: 7, y: 0, z: 0.9 }, { x: 7, y: 0, z: 2.4 }, { x: 3, y: 0, z: 2.4 }],
    transmittance,
  });

  test("falls with distance from the window and scales with glazing transmittance", async () => {
    const a = (await svc.post("/analyze", office([], { windows: [window(0.35)] }))).body;
    const b = (await svc.post("/analyze", office([], { windows: [window(0.7)] }))).body;
    const near = a.grid.daylightFactorPercent[at(a.grid, 5.25, 0.75)];
    const far = a.grid.daylightFactorPercent[at(a.grid, 5.25, 7.25)];
    expect(near).toBeGreaterThan(far);
    expect(far).toBeGreaterThan(0);
    expect(b.daylight.meanFactorPercent / a.daylight.meanFactorPercent).toBeCloseTo(2, 9);
    expect(a.electric.mean).toBe(0);
    expect(a.daylight.class).toMatch(/gloomy|adequate|well-lit/);
    expect(a.daylight.meanLux).toBeCloseTo((a.daylight.meanFactorPercent / 100) * 10_000, 6);
  });

  test("a window polygon that is not on a wall is refused with its field", async () => {
    const off = { polygon: [{ x: 3, y: 2, z: 1 }, { x: 7, y: 2, z: 1 }, { x: 7, y: 2, z: 2 }], transmittance: 0.6 };
    const { status, body } = await svc.post("/analyze", office([], { windows: [window(0.6), off] }));
    expect(status).toBe(400);
    expect(body.fields).toEqual([{ field: "windows[1].polygon", message: expect.stringContaining("wall") }]);
  });
});
