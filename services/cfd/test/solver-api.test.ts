/** The solver's HTTP contract for bad input, uploads, limits and readiness (no case runs here). */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { boxMesh, boxesMesh } from "../src/geometry/boxes";
import { writeObj } from "../src/geometry/obj";
import { writable } from "../src/case/routes";
import { createLocalRunner } from "../src/runner/local";
import { asciiStl, binaryStl } from "./geometry-fixtures";
import { startSolver, type Api } from "./solver-helpers";

const cube = { x: 0, y: 0, width: 10, depth: 10, height: 10 };
const valid = { geometry: { boxes: [cube] }, referenceSpeed: 10, referenceHeight: 10, directions: [270], z0: 0.1, meshLevel: "coarse", iterations: 20 };

let dir: string;
let api: Api;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "cfd-api-"));
  // No case may start here: the queue takes none.
  api = await startSolver({ casesDir: dir, maxQueued: 0, maxCells: 50_000, maxUploadBytes: 64 * 1024 });
});
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

const fieldsOf = (body: any) => (body.fields as { field: string }[]).map((f) => f.field).sort();

describe("400 naming each bad field", () => {
  test("missing and out-of-range fields", async () => {
    const res = await api.post("/cases", { geometry: { boxes: [{ ...cube, height: -1 }] }, referenceSpeed: 0, directions: [360, 90.5], z0: 0.1 });
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual(["directions[0]", "directions[1]", "geometry.boxes[0].height", "referenceHeight", "referenceSpeed"]);
  });

  test("repeated directions, unknown keys, an unknown mesh level", async () => {
    const res = await api.post("/cases", { ...valid, directions: [90, 90], meshLevel: "ultra", colour: "red" });
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual(["colour", "directions", "meshLevel"]);
  });

  test("roughness as exactly one of z0 and terrain; geometry as exactly one of boxes and geometryId", async () => {
    const both = await api.post("/cases", { ...valid, terrain: "open" });
    expect(both.status).toBe(400);
    expect(both.body.fields).toEqual([{ field: "z0", message: "give the terrain roughness as either z0 (metres) or terrain (a class name)" }]);
    const { z0: _z0, ...neither } = valid;
    expect((await api.post("/cases", neither)).status).toBe(400);
    const geometry = await api.post("/cases", { ...valid, geometry: { boxes: [cube], geometryId: "7d5b0f9e-55a4-4d5e-9d1c-1f0e0b7f6a11" } });
    expect(geometry.status).toBe(400);
    expect(fieldsOf(geometry.body)).toEqual(["geometry"]);
    expect((await api.post("/cases", { ...valid, terrain: "swamp", z0: undefined })).body.fields[0].field).toBe("terrain");
  });

  test("not JSON", async () => {
    expect((await api.post("/cases", "{ nope", "application/json")).status).toBe(400);
  });
});

describe("422 for cases that cannot run", () => {
  test("a site too wide to model", async () => {
    const res = await api.post("/cases", { ...valid, geometry: { boxes: [{ ...cube, x: -3000 }, { ...cube, x: 3000 }] } });
    expect(res.status).toBe(422);
    expect(res.body.message).toBe("geometry: out of bounds: site is 6010 m across (limit 5000 m)");
    expect(res.body.field).toBe("geometry.boxes");
  });

  test("a mesh estimate above the cell limit, with the estimate per sector", async () => {
    const res = await api.post("/cases", { ...valid, meshLevel: "fine", directions: [0, 45] });
    expect(res.status).toBe(422);
    expect(res.body.error).toBe("mesh_too_large");
    expect(res.body.message).toMatch(/^mesh estimate of \d+ cells exceeds the limit of 50000 \(CFD_MAX_CELLS\)/);
    expect(res.body.sectors.map((s: any) => s.direction)).toEqual([0, 45]);
    expect(res.body.estimatedCells).toBeGreaterThan(50_000);
  });

  test("a reference height above the domain", async () => {
    const res = await api.post("/cases", { ...valid, referenceHeight: 80 });
    expect(res.status).toBe(422);
    expect(res.body.message).toBe("referenceHeight 80 m is above the domain top at 60 m (6 x the tallest building)");
  });

  test("an unknown uploaded geometry", async () => {
    const res = await api.post("/cases", { ...valid, geometry: { geometryId: "7d5b0f9e-55a4-4d5e-9d1c-1f0e0b7f6a11" } });
    expect(res.status).toBe(422);
    expect(res.body.field).toBe("geometry.geometryId");
  });
});

test("a full queue is 503, and nothing was started", async () => {
  const res = await api.post("/cases", valid);
  expect(res.status).toBe(503);
  expect(res.body.error).toBe("queue_full");
  expect((await api.get("/cases")).body).toEqual({ cases: [] });
});

describe("geometry uploads", () => {
  const tower = boxesMesh([cube, { x: 20, y: 0, width: 8, depth: 8, height: 25 }]);

  test.each([
    ["ASCII STL", "model/stl", () => Buffer.from(asciiStl(tower)), "stl"],
    ["binary STL", "application/octet-stream", () => binaryStl(tower, "solid but binary"), "stl"],
    ["OBJ", "model/obj", () => Buffer.from(writeObj(tower)), "obj"],
    ["OBJ sent as text", "text/plain", () => Buffer.from(writeObj(tower)), "obj"],
  ])("%s is stored with its summary", async (_name, type, body, format) => {
    const res = await api.post("/geometry", body(), type);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ format, triangles: 24, vertices: 16, bounds: { min: { z: 0 }, max: { z: 25 } } });
    expect(res.body.geometryId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("an open surface is 422 naming its open edges and where", async () => {
    const open = boxMesh(cube);
    const res = await api.post("/geometry", Buffer.from(writeObj({ positions: open.positions, triangles: open.triangles.slice(0, 30) })), "model/obj");
    expect(res.status).toBe(422);
    expect(res.body.message).toMatch(/^geometry: \d+ open edges \(surface not closed\), first at \(/);
    expect(res.body.problems).toHaveLength(1);
  });

  test("empty, unreadable, wrong type, too large", async () => {
    expect((await api.post("/geometry", Buffer.alloc(0), "model/stl")).status).toBe(400);
    const junk = await api.post("/geometry", Buffer.from("GIF89a..."), "application/octet-stream");
    expect(junk.status).toBe(400);
    expect(junk.body.message).toMatch(/unknown format/);
    expect((await api.post("/geometry", "{}", "application/json")).status).toBe(415);
    expect((await api.post("/geometry", Buffer.alloc(65 * 1024, 32), "model/stl")).status).toBe(413);
    expect((await api.post("/geometry?format=step", Buffer.from(writeObj(tower)), "model/obj")).status).toBe(400);
  });
});

describe("unknown cases", () => {
  test("404 for a case that does not exist or an id that is not one", async () => {
    for (const id of ["7d5b0f9e-55a4-4d5e-9d1c-1f0e0b7f6a11", "..%2F..%2Fetc", "not-an-id"]) {
      expect((await api.get(`/cases/${id}`)).status).toBe(404);
      expect((await api.del(`/cases/${id}`)).status).toBe(404);
      expect((await api.get(`/cases/${id}/log`)).status).toBe(404);
    }
  });

  test("a bad log tail is 400", async () => {
    expect((await api.get("/cases/7d5b0f9e-55a4-4d5e-9d1c-1f0e0b7f6a11/log?tail=0")).status).toBe(400);
  });
});

test("without OpenFOAM: /readyz is 503 with the reason, and cases are refused with it", async () => {
  const noFoam = await startSolver({ casesDir: path.join(dir, "nofoam"), runner: createLocalRunner({ openfoamDir: "/usr/share/openfoam", env: { PATH: "/nonexistent" } }) });
  try {
    const ready = await noFoam.get("/readyz");
    expect(ready.status).toBe(503);
    expect(ready.body.reasons).toEqual(["runner: OpenFOAM tools not found on PATH: blockMesh, surfaceFeatureExtract, snappyHexMesh, checkMesh, simpleFoam, postProcess"]);
    const res = await noFoam.post("/cases", valid);
    expect(res.status).toBe(503);
    expect(res.body.message).toMatch(/^Cannot run cases now: OpenFOAM tools not found/);
  } finally {
    await noFoam.close();
  }
});

test("a cases volume that takes no writes: readiness says so, and the service does not start on it", async () => {
  const file = path.join(dir, "a-file");
  writeFileSync(file, "");
  expect(await writable(path.join(file, "cases"))).toBe(`${path.join(file, "cases")} is not writable: ENOTDIR`);
  expect(await writable(path.join(dir, "fine"))).toBeUndefined();
  await expect(startSolver({ casesDir: path.join(file, "cases") })).rejects.toThrow(/ENOTDIR/);
});
