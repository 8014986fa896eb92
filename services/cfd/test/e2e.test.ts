/**
 * The solver API end to end on real OpenFOAM: a tiny wind case through blockMesh,
 * surfaceFeatureExtract, snappyHexMesh, simpleFoam and postProcess, for two sectors; a cancel;
 * a diverging solver; a timeout. Fails (does not skip) when OpenFOAM is not installed.
 */
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { speedAt } from "../src/case/wind";
import { createLocalRunner } from "../src/runner/local";
import type { CaseRunner } from "../src/runner/types";
import { finished, internalField, processesIn, requireOpenFoam, startSolver, waitFor, type Api } from "./solver-helpers";

const openfoamDir = process.env.WM_PROJECT_DIR || "/usr/share/openfoam";
const tinyCase = {
  geometry: { boxes: [{ x: 0, y: 0, width: 10, depth: 10, height: 10 }] },
  referenceSpeed: 10,
  referenceHeight: 10,
  z0: 0.1,
  meshLevel: "coarse",
  iterations: 30,
};

let root: string;
let api: Api;
beforeAll(async () => {
  await requireOpenFoam();
  root = mkdtempSync(path.join(os.tmpdir(), "cfd-e2e-"));
  api = await startSolver({ casesDir: path.join(root, "cases"), concurrency: 1, openfoamDir });
});
afterAll(async () => {
  await api?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe("a two-sector case", () => {
  let id: string;
  let done: any;

  beforeAll(async () => {
    const created = await api.post("/cases", { ...tinyCase, directions: [270, 0] });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ status: "queued", kind: "solve", frame: "world", request: { referenceSpeed: 10, referenceHeight: 10, z0: 0.1, directions: [270, 0] } });
    id = created.body.id;
    done = await waitFor(api, `/cases/${id}`, finished);
  }, 150_000);

  test("succeeds, every sector with its mesh, iterations and residuals", () => {
    expect(done.reason).toBeUndefined();
    expect(done.status).toBe("succeeded");
    expect(done.progress).toBe(1);
    expect(done.sectors.map((s: any) => [s.direction, s.status, s.path])).toEqual([
      [270, "succeeded", "sectors/270"],
      [0, "succeeded", "sectors/0"],
    ]);
    for (const sector of done.sectors) {
      expect(sector.iteration).toBe(30);
      expect(sector.iterations).toBe(30);
      expect(Object.keys(sector.residuals).sort()).toEqual(["Ux", "Uy", "Uz", "epsilon", "k", "p"]);
      for (const r of Object.values<number>(sector.residuals)) expect(r).toBeGreaterThan(0);
      for (const r of Object.values<number>(sector.residuals)) expect(r).toBeLessThan(1);
      expect(Math.abs(sector.cells - sector.estimatedCells) / sector.cells).toBeLessThan(0.15);
      expect(sector.results.latestTime).toBe("30");
      expect(sector.results.fields).toEqual(expect.arrayContaining(["C", "U", "V", "epsilon", "k", "nut", "p"]));
    }
  });

  test("the approaching flow at the reference height has the reference speed, along the sector's wind", () => {
    for (const sector of done.sectors) {
      const { velocity, ratioToReference, location } = sector.results.approachFlow;
      expect(location.z).toBe(10);
      expect(ratioToReference).toBeGreaterThan(0.85);
      expect(ratioToReference).toBeLessThan(1.15);
      const speed = Math.hypot(velocity.x, velocity.y, velocity.z);
      const along = (velocity.x * sector.flowDirection.x + velocity.y * sector.flowDirection.y) / speed;
      expect(along).toBeGreaterThan(0.99);
    }
    // Northerly: the air moves towards -y.
    expect(done.sectors[1].results.approachFlow.velocity.y).toBeLessThan(-8);
  });

  test("fields on disk, world coordinates: C, V and U per cell; U near the north inlet follows the log profile", () => {
    const sectorDir = path.join(root, "cases", id, "sectors", "0", "30");
    const centres = internalField(readFileSync(path.join(sectorDir, "C"), "utf8"));
    const velocity = internalField(readFileSync(path.join(sectorDir, "U"), "utf8"));
    const volumes = internalField(readFileSync(path.join(sectorDir, "V"), "utf8"));
    const sector = done.sectors[1];
    expect(centres).toHaveLength(sector.cells);
    expect(velocity).toHaveLength(sector.cells);
    expect(volumes).toHaveLength(sector.cells);
    // The domain's inlet faces north: the first layer of cells below y = 55 m.
    const inlet = centres.map((c, i) => ({ c, u: velocity[i] })).filter(({ c }) => c[1] > 50 && Math.abs(c[0]) < 30);
    expect(inlet.length).toBeGreaterThan(10);
    for (const { c, u } of inlet) {
      expect(u[1]).toBeLessThan(0);
      expect(Math.hypot(...u) / speedAt({ referenceSpeed: 10, referenceHeight: 10, z0: 0.1 }, c[2])).toBeGreaterThan(0.8);
      expect(Math.hypot(...u) / speedAt({ referenceSpeed: 10, referenceHeight: 10, z0: 0.1 }, c[2])).toBeLessThan(1.2);
    }
    const record = JSON.parse(readFileSync(path.join(root, "cases", id, "case.json"), "utf8"));
    expect(record.request).toMatchObject({ referenceSpeed: 10, referenceHeight: 10, z0: 0.1 });
    expect(record.status).toBe("succeeded");
  });

  test("GET log: the last lines of a sector's logs, as text", async () => {
    const log = await api.get(`/cases/${id}/log?tail=12`);
    expect(log.status).toBe(200);
    expect(log.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(log.headers.get("x-sector")).toBe("0");
    const lines = log.text.split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(12);
    expect(lines).toContain("End");
    expect(log.text).toContain("Writing cell-volumes field V to 30");
    const west = await api.get(`/cases/${id}/log?sector=270&tail=10000`);
    expect(west.text).toContain("Exec   : blockMesh");
    expect(west.text).toContain("Exec   : simpleFoam");
    expect((await api.get(`/cases/${id}/log?sector=90`)).status).toBe(400);
  });

  test("listed, and a finished case cannot be cancelled", async () => {
    const list = await api.get("/cases");
    expect(list.body.cases.map((c: any) => c.id)).toContain(id);
    const cancel = await api.del(`/cases/${id}`);
    expect(cancel.status).toBe(409);
    expect(cancel.body.status).toBe("succeeded");
  });
});

test("DELETE during the run kills its process group: cancelled, no OpenFOAM process left", async () => {
  const created = await api.post("/cases", { ...tinyCase, directions: [90, 180], iterations: 2000 });
  expect(created.status).toBe(202);
  const id = created.body.id;
  const caseDir = path.join(root, "cases", id);
  await waitFor(api, `/cases/${id}`, (c) => c.status === "solving" && c.sectors[0].iteration > 2, 60_000);
  expect(processesIn(caseDir).length).toBeGreaterThan(0);

  const cancelled = await api.del(`/cases/${id}`);
  expect(cancelled.status).toBe(200);
  expect(cancelled.body.status).toBe("cancelled");
  expect(cancelled.body.sectors.map((s: any) => s.status)).toEqual(["cancelled", "cancelled"]);
  expect(processesIn(caseDir)).toEqual([]);
  expect((await api.get(`/cases/${id}`)).body.status).toBe("cancelled");
}, 90_000);

describe("failures end the case with the reason and the log tail, never a hang", () => {
  /** The real local runner, on a case made unstable first (relaxation 1, central differencing). */
  const unstable: CaseRunner = (() => {
    const local = createLocalRunner({ openfoamDir });
    return {
      start(run) {
        const solution = path.join(run.caseDir, "system/fvSolution");
        writeFileSync(solution, readFileSync(solution, "utf8").replace(/(\s)0\.[37];/g, "$11;"));
        const schemes = path.join(run.caseDir, "system/fvSchemes");
        writeFileSync(schemes, readFileSync(schemes, "utf8").replace("bounded Gauss linearUpwind limited", "bounded Gauss linear"));
        return local.start(run);
      },
    };
  })();

  test("a diverging solver", async () => {
    const diverging = await startSolver({ casesDir: path.join(root, "diverging"), runner: unstable, openfoamDir });
    try {
      const created = await diverging.post("/cases", { ...tinyCase, directions: [270, 90], iterations: 300 });
      const failed = await waitFor(diverging, `/cases/${created.body.id}`, finished, 90_000);
      expect(failed.status).toBe("failed");
      expect(failed.reason).toMatch(/^sector 270: solver diverged: floating point exception/);
      expect(failed.sectors.map((s: any) => s.status)).toEqual(["failed", "cancelled"]);
      expect(failed.sectors[0].iteration).toBeGreaterThan(1);
      expect(failed.logTail.length).toBeGreaterThan(5);
      expect(failed.logTail.join("\n")).toMatch(/sigFpe|Solving for/);
      expect(processesIn(path.join(root, "diverging"))).toEqual([]);
    } finally {
      await diverging.close();
    }
  }, 120_000);

  test("a run over its time limit", async () => {
    const slow = await startSolver({ casesDir: path.join(root, "slow"), runTimeoutSeconds: 2, openfoamDir });
    try {
      const created = await slow.post("/cases", { ...tinyCase, directions: [270], iterations: 5000 });
      const failed = await waitFor(slow, `/cases/${created.body.id}`, finished, 60_000);
      expect(failed.status).toBe("failed");
      expect(failed.reason).toBe("sector 270: timed out after 2 s (CFD_RUN_TIMEOUT_SECONDS)");
      expect(processesIn(path.join(root, "slow"))).toEqual([]);
    } finally {
      await slow.close();
    }
  }, 90_000);
});
