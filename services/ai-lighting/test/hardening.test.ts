import fc from "fast-check";
import { rectangle, startLighting } from "./helpers";

let svc: Awaited<ReturnType<typeof startLighting>>;
beforeAll(async () => (svc = await startLighting()));
afterAll(() => svc.close());

const validBodies: Record<string, Record<string, unknown>> = {
  "/natural-lighting": { latitude: 51.5, longitude: -0.12, time: "2024-06-21T12:00:00+01:00" },
  "/analyze": {
    room: { floor: rectangle(6, 4), height: 3, type: "office" },
    luminaires: [{ x: 3, y: 2, z: 2.8, flux: 4000, distribution: "lambertian" }],
    grid: { spacing: 0.5 },
  },
  "/optimize": {
    room: { floor: rectangle(4, 3), height: 2.8, type: "archive" },
    goal: "even",
    catalogue: [{ id: "a", flux: 2000, powerW: 20, distribution: "lambertian", maxCount: 12 }],
    grid: { spacing: 0.5 },
  },
};
const routes = Object.keys(validBodies);

const fields = (body: { fields?: { field: string }[] }) => (body.fields ?? []).map((f) => f.field).sort();

describe("bad input never yields a 5xx, and 400s name the bad fields", () => {
  test("the valid reference bodies are accepted", async () => {
    for (const route of routes) expect((await svc.post(route, validBodies[route])).status).toBe(200);
  });

  test("/analyze names each out-of-range field", async () => {
    const { status, body } = await svc.post("/analyze", {
      room: { floor: rectangle(6, 4), height: -3, workPlaneHeight: 0.8, type: "kitchen" },
      luminaires: [{ x: 3, y: 2, z: 2.8, flux: 0, distribution: "spot", maintenanceFactor: 1.5 }],
      grid: { spacing: 0.001 },
    });
    expect(status).toBe(400);
    expect(fields(body)).toEqual(["grid.spacing", "luminaires[0].distribution", "luminaires[0].flux", "luminaires[0].maintenanceFactor", "room.height", "room.type"]);
  });

  test("cross-field problems are named too: self-crossing floor, luminaire outside, above the ceiling", async () => {
    const bowtie = [{ x: 0, y: 0 }, { x: 4, y: 4 }, { x: 4, y: 0 }, { x: 0, y: 4 }];
    const crossed = await svc.post("/analyze", { room: { floor: bowtie, height: 3, type: "office" }, luminaires: [] });
    expect(crossed.body.fields).toEqual([{ field: "room.floor", message: expect.stringContaining("simple polygon") }]);
    const misplaced = await svc.post("/analyze", {
      room: { floor: rectangle(6, 4), height: 3, type: "office" },
      luminaires: [
        { x: 30, y: 2, z: 2.5, flux: 1000, distribution: "isotropic" },
        { x: 3, y: 2, z: 3.5, flux: 1000, distribution: "isotropic" },
      ],
    });
    expect(misplaced.status).toBe(400);
    expect(fields(misplaced.body)).toEqual(["luminaires[0]", "luminaires[1].z"]);
  });

  test("a grid too fine for the room is refused before any work is done", async () => {
    const { status, body } = await svc.post("/analyze", { room: { floor: rectangle(100, 100), height: 3, type: "office" }, luminaires: [], grid: { spacing: 0.1 } });
    expect(status).toBe(400);
    expect(fields(body)).toEqual(["grid.spacing"]);
  });

  test("oversized bodies are 413 on every route", async () => {
    const huge = JSON.stringify({ padding: "x".repeat(300 * 1024) });
    for (const route of routes) expect((await svc.post(route, huge)).status).toBe(413);
  });

  test("malformed JSON and non-objects are 400", async () => {
    for (const route of routes) {
      for (const raw of ["{", "[]", "null", "42", '"text"', "{\"latitude\": NaN}", "\u0000"]) {
        const { status } = await svc.post(route, raw);
        expect(status).toBe(400);
      }
    }
  });

  test("fuzz: arbitrary JSON values", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.jsonValue({ maxDepth: 4 }), async (route, value) => {
        const { status, body } = await svc.post(route, JSON.stringify(value));
        expect(status).toBeLessThan(500);
        expect([400, 200, 422]).toContain(status);
        if (status === 400) expect(typeof body.message).toBe("string");
      }),
      { numRuns: 150 },
    );
  });

  test("fuzz: valid bodies with one field replaced by anything", async () => {
    const leafPaths = (value: unknown, prefix: (string | number)[] = []): (string | number)[][] => {
      if (value === null || typeof value !== "object") return [prefix];
      const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
      return [prefix, ...entries.flatMap(([k, v]) => leafPaths(v, [...prefix, k]))];
    };
    const setAt = (value: unknown, path: (string | number)[], replacement: unknown): unknown => {
      if (path.length === 0) return replacement;
      const copy = structuredClone(value) as Record<string | number, unknown>;
      let cursor = copy;
      for (const key of path.slice(0, -1)) cursor = cursor[key] as Record<string | number, unknown>;
      cursor[path[path.length - 1]!] = replacement;
      return copy;
    };
    const weird = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.double(),
      fc.constantFrom(-1e308, 1e308, -0, 0, 1e-320, "", "NaN", [], {}, null, true),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.nat(), weird, async (route, pick, replacement) => {
        const valid = validBodies[route]!;
        const paths = leafPaths(valid).filter((p) => p.length > 0);
        const path = paths[pick % paths.length]!;
        const mutated = setAt(valid, path, replacement);
        const { status, body } = await svc.post(route, JSON.stringify(mutated));
        expect([200, 400, 422]).toContain(status);
        if (status === 400) expect(body.fields.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
