/**
 * The mesher API end to end on real OpenFOAM: an uploaded STL meshed under MPI (the serial
 * meshing path runs in every solver e2e case), with checkMesh's report.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { boxesMesh } from "../src/geometry/boxes";
import { binaryStl } from "./geometry-fixtures";
import { finished, processesIn, requireOpenFoam, startMesher, waitFor } from "./solver-helpers";

const openfoamDir = process.env.WM_PROJECT_DIR || "/usr/share/openfoam";
// An L-shaped block: a podium and a tower sharing a face, as one closed surface per box.
const site = boxesMesh([
  { x: 0, y: 0, width: 24, depth: 8, height: 6 },
  { x: 8, y: 8, width: 8, depth: 8, height: 14, rotation: 0 },
]);

let root: string;
beforeAll(async () => {
  await requireOpenFoam();
  root = mkdtempSync(path.join(os.tmpdir(), "cfd-e2e-mesher-"));
});
afterAll(() => root && rmSync(root, { recursive: true, force: true }));

test("an uploaded binary STL, meshed in parallel (decomposePar, mpirun snappyHexMesh -parallel, reconstructParMesh), with the checkMesh quality report", async () => {
  const processes = 2;
  const mesher = await startMesher({ casesDir: path.join(root, `p${processes}`), processes, openfoamDir });
  try {
    const upload = await mesher.post("/geometry", binaryStl(site), "model/stl");
    expect(upload.status).toBe(201);
    const created = await mesher.post("/meshes", { geometry: { geometryId: upload.body.geometryId }, direction: 30, meshLevel: "coarse" });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ kind: "mesh", status: "queued", geometry: { source: "upload", format: "stl", triangles: 24 } });
    const done = await waitFor(mesher, `/meshes/${created.body.id}`, finished, 90_000);
    expect(done.reason).toBeUndefined();
    expect(done.status).toBe("succeeded");
    const [sector] = done.sectors;
    expect(sector.direction).toBe(30);
    const quality = sector.quality;
    expect(quality.cells).toBe(sector.cells);
    expect(Math.abs(quality.cells - sector.estimatedCells) / quality.cells).toBeLessThan(0.2);
    expect(quality.faces).toBeGreaterThan(quality.cells);
    expect(quality.points).toBeGreaterThan(0);
    expect(quality.maxNonOrthogonality).toBeGreaterThan(0);
    expect(quality.maxSkewness).toBeGreaterThan(0);
    expect(quality.maxAspectRatio).toBeGreaterThanOrEqual(1);
    expect(quality.failedChecks).toEqual([]);
    expect(["ok", "warnings"]).toContain(quality.verdict);
    expect(quality.thresholds).toEqual({ maxNonOrthogonality: 65, maxSkewness: 4, maxAspectRatio: 100 });

    const log = await mesher.get(`/meshes/${created.body.id}/log?tail=6`);
    expect(log.text).toMatch(/(Mesh OK\.|Failed \d+ mesh checks\.)\n\nEnd\n/);
    const snappy = await mesher.get(`/meshes/${created.body.id}/log?tail=10000`);
    expect(snappy.text).toContain("Exec   : snappyHexMesh -overwrite -parallel");
    expect(snappy.text).toContain("nProcs : 2");
    expect((await mesher.get("/meshes")).body.meshes.map((m: any) => m.id)).toEqual([created.body.id]);
    expect(processesIn(path.join(root, `p${processes}`))).toEqual([]);
  } finally {
    await mesher.close();
  }
}, 120_000);
