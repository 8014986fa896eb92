import { rectangle, startLighting } from "./helpers";

let svc: Awaited<ReturnType<typeof startLighting>>;
beforeAll(async () => (svc = await startLighting()));
afterAll(() => svc.close());

const catalogue = [
  { id: "panel-3600", flux: 3600, powerW: 30, distribution: "lambertian" },
  { id: "downlight-1800", flux: 1800, powerW: 18, distribution: "lambertian" },
];

/** Re-checks a returned layout through /analyze, independently of the optimizer's own figures. */
async function verify(room: Record<string, unknown>, result: { layout: { x: number; y: number; z: number }[]; luminaire: { flux: number; distribution: string; maintenanceFactor: number } }, grid = { spacing: 0.25, margin: 0.5 }) {
  const luminaires = result.layout.map((p) => ({ ...p, flux: result.luminaire.flux, distribution: result.luminaire.distribution, maintenanceFactor: result.luminaire.maintenanceFactor }));
  const { status, body } = await svc.post("/analyze", { room, luminaires, grid });
  expect(status).toBe(200);
  return body;
}

const rooms = [
  { name: "10 × 8 m office", room: { floor: rectangle(10, 8), height: 3, type: "office" }, goal: "even" },
  { name: "6 × 4 m conference room", room: { floor: rectangle(6, 4), height: 2.8, type: "conference" }, goal: "natural" },
  { name: "2 × 15 m corridor", room: { floor: rectangle(2, 15), height: 2.7, type: "corridor" }, goal: "even" },
  {
    name: "L-shaped technical drawing office",
    room: { floor: [{ x: 0, y: 0 }, { x: 9, y: 0 }, { x: 9, y: 4 }, { x: 4, y: 4 }, { x: 4, y: 9 }, { x: 0, y: 9 }], height: 3, type: "technical-drawing" },
    goal: "even",
  },
];

describe("POST /optimize", () => {
  test.each(rooms)("meets the target on the $name, as /analyze confirms", async ({ room, goal }) => {
    const { status, body } = await svc.post("/optimize", { room, goal, catalogue });
    expect(status).toBe(200);
    expect(body.achieved.mean).toBeGreaterThanOrEqual(body.target.illuminanceLux);
    expect(body.achieved.uniformity).toBeGreaterThanOrEqual(body.target.uniformity);
    expect(body.installedPowerW).toBe(body.count * body.luminaire.powerW);
    const check = await verify(room, body);
    expect(check.electric.mean).toBeGreaterThanOrEqual(body.target.illuminanceLux - 1e-6);
    expect(check.electric.uniformity).toBeGreaterThanOrEqual(body.target.uniformity - 1e-9);
    if (goal === "even") expect(body.target.uniformity).toBeGreaterThanOrEqual(0.7);
  });

  test("the count is the smallest the search can make work: one fewer of that type is infeasible", async () => {
    const room = rooms[0]!.room;
    const one = [catalogue[0]!];
    const best = (await svc.post("/optimize", { room, goal: "even", catalogue: one })).body;
    const fewer = await svc.post("/optimize", { room, goal: "even", catalogue: [{ ...one[0], maxCount: best.count - 1 }] });
    expect(fewer.status).toBe(422);
  });

  test("prefers the type with less installed power for the same light", async () => {
    const room = rooms[0]!.room;
    const hungry = { id: "old-panel", flux: 3600, powerW: 60, distribution: "lambertian" };
    const { body } = await svc.post("/optimize", { room, goal: "even", catalogue: [hungry, catalogue[0]] });
    expect(body.luminaire.id).toBe("panel-3600");
  });

  test("a looser uniformity target (dramatic) never needs more power than an even one", async () => {
    const room = rooms[0]!.room;
    const even = (await svc.post("/optimize", { room, goal: "even", catalogue })).body;
    const dramatic = (await svc.post("/optimize", { room, goal: "dramatic", catalogue })).body;
    expect(dramatic.target.uniformity).toBe(0.4);
    expect(dramatic.installedPowerW).toBeLessThanOrEqual(even.installedPowerW);
  });

  test("natural goal counts daylight: electric plus design-sky daylight meets the target, electric alone need not", async () => {
    const room = { floor: rectangle(6, 4), height: 2.8, type: "conference" };
    const windows = [{ polygon: [{ x: 0, y: 0, z: 0.8 }, { x: 6, y: 0, z: 0.8 }, { x: 6, y: 0, z: 2.6 }, { x: 0, y: 0, z: 2.6 }], transmittance: 0.7 }];
    const lit = (await svc.post("/optimize", { room, goal: "natural", catalogue, windows, designSkyIlluminance: 15_000 })).body;
    expect(lit.daylightCounted).toBe(true);
    const luminaires = lit.layout.map((p: object) => ({ ...p, flux: lit.luminaire.flux, distribution: "lambertian", maintenanceFactor: 0.8 }));
    const check = (await svc.post("/analyze", { room, luminaires, windows, designSkyIlluminance: 15_000 })).body;
    expect(check.combined.mean).toBeGreaterThanOrEqual(lit.target.illuminanceLux);
    expect(check.combined.uniformity).toBeGreaterThanOrEqual(lit.target.uniformity - 1e-9);
    expect(check.daylight.meanLux).toBeGreaterThan(0);
  });

  test("an unreachable target is a 422 that says why", async () => {
    const { status, body } = await svc.post("/optimize", {
      room: rooms[0]!.room,
      goal: "even",
      target: { illuminanceLux: 5000 },
      catalogue: [{ id: "small", flux: 800, powerW: 9, distribution: "lambertian", maxCount: 10 }],
    });
    expect(status).toBe(422);
    expect(body.error).toBe("unprocessable");
    expect(body.message).toMatch(/Infeasible: .*5000 lx/);
    expect(body.target.illuminanceLux).toBe(5000);
  });

  test("an unreachable uniformity is a 422 too", async () => {
    const { status, body } = await svc.post("/optimize", {
      room: { floor: rectangle(4, 4), height: 6, type: "office" },
      goal: "even",
      target: { uniformity: 1 },
      catalogue: [{ id: "spot", flux: 20000, powerW: 150, distribution: "lambertian", maxCount: 3 }],
    });
    expect(status).toBe(422);
    expect(body.message).toMatch(/Uo ≥ 1/);
  });

  test("a mounting height below the work plane is a 400 naming it", async () => {
    const { status, body } = await svc.post("/optimize", { room: rooms[0]!.room, goal: "even", catalogue, mountingHeight: 0.5 });
    expect(status).toBe(400);
    expect(body.fields).toEqual([{ field: "mountingHeight", message: "must be above the work plane" }]);
  });
});
