/** The local runner with real processes: OpenFOAM tools, process groups, MPI. */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { planDomain } from "../src/case/domain";
import { sectorFiles } from "../src/case/sector";
import { boxMesh } from "../src/geometry/boxes";
import { createLocalRunner, resolveOnPath } from "../src/runner/local";
import type { RunStep } from "../src/runner/types";

const openfoamDir = process.env.WM_PROJECT_DIR || "/usr/share/openfoam";
const runner = createLocalRunner({ openfoamDir, killGraceMs: 1000 });
let root: string;

beforeAll(async () => {
  if (!(await resolveOnPath("blockMesh"))) throw new Error("OpenFOAM not found: blockMesh is not on PATH (apt-get install --no-install-recommends openfoam)");
  root = mkdtempSync(path.join(os.tmpdir(), "cfd-runner-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh case directory with the files of a coarse single-building sector. */
function prepareCase(name: string, processes = 1): string {
  const dir = path.join(root, name);
  const buildings = boxMesh({ x: 0, y: 0, width: 10, depth: 10, height: 10 });
  const files = sectorFiles({ buildings, domain: planDomain(buildings, 270, "coarse"), maxCells: 100_000, processes });
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

function run(caseDir: string, steps: RunStep[], processes = 1) {
  const lines: string[] = [];
  const running = runner.start({ caseId: "test", caseDir, steps, processes, estimatedCells: 1000, onLog: (line) => lines.push(line) });
  return { running, lines };
}

/** Process ids whose whole command line is `sleep <seconds>`. */
function sleepers(seconds: string): string[] {
  try {
    return execFileSync("pgrep", ["-f", `^sleep ${seconds}$`], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

test("runs the steps in order, each logging to log.<command> and streaming every line", async () => {
  const dir = prepareCase("ok");
  const { running, lines } = run(dir, [
    { command: "blockMesh", args: [] },
    { command: "checkMesh", args: ["-constant"], log: "checkMesh.background" },
  ]);
  expect(await running.done).toEqual({ status: "succeeded" });
  expect(lines).toContain("Exec   : blockMesh");
  expect(lines).toContain("Exec   : checkMesh -constant");
  expect(readFileSync(path.join(dir, "log.blockMesh"), "utf8")).toContain("Writing polyMesh");
  expect(readFileSync(path.join(dir, "log.checkMesh.background"), "utf8")).toContain("Mesh OK.");
  expect(existsSync(path.join(dir, "constant/polyMesh/points"))).toBe(true);
  // The tools ran in the case directory (no PWD mismatch warnings).
  expect(lines.some((l) => l.includes("PWD is not the cwd()"))).toBe(false);
});

test("a failing step stops the run: its exit, the log tail, no later step", async () => {
  const dir = prepareCase("fail");
  rmSync(path.join(dir, "system/blockMeshDict"));
  const { running } = run(dir, [
    { command: "blockMesh", args: [] },
    { command: "checkMesh", args: [] },
  ]);
  const outcome = await running.done;
  expect(outcome).toMatchObject({ status: "failed", reason: "blockMesh exited with code 1" });
  if (outcome.status !== "failed") throw new Error("unreachable");
  expect(outcome.logTail.join("\n")).toContain("FOAM FATAL ERROR");
  expect(existsSync(path.join(dir, "log.checkMesh"))).toBe(false);
});

test("a missing tool is named", async () => {
  const { running } = run(prepareCase("missing"), [{ command: "noSuchFoam", args: [] }]);
  expect(await running.done).toMatchObject({ status: "failed", reason: "noSuchFoam: command not found (is OpenFOAM installed and on PATH?)" });
});

test("cancel kills the whole process group, grandchildren included, and skips later steps", async () => {
  const dir = prepareCase("cancel");
  const { running } = run(dir, [
    { command: "sh", args: ["-c", "sleep 341 & sleep 342 & wait"], log: "sleepers" },
    { command: "blockMesh", args: [] },
  ]);
  try {
    for (let i = 0; i < 100 && sleepers("34[12]").length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(sleepers("34[12]")).toHaveLength(2);
  } finally {
    await running.cancel();
  }
  expect(await running.done).toEqual({ status: "cancelled" });
  expect(sleepers("34[12]")).toEqual([]);
  expect(existsSync(path.join(dir, "log.blockMesh"))).toBe(false);
});

test("parallel steps run under mpirun -np N with -parallel; cancelling stops every rank", async () => {
  const dir = prepareCase("parallel", 2);
  const { running, lines } = run(
    dir,
    [
      { command: "blockMesh", args: [] },
      { command: "decomposePar", args: ["-force"] },
      { command: "checkMesh", args: [], parallel: true },
    ],
    2,
  );
  expect(await running.done).toEqual({ status: "succeeded" });
  expect(lines).toContain("nProcs : 2");
  expect(readFileSync(path.join(dir, "log.checkMesh"), "utf8")).toContain("Mesh OK.");

  // `sh -c '…' -parallel`: the ranks are plain shells, so the test controls how long they live.
  const mpi = run(dir, [{ command: "sh", args: ["-c", "sleep 353"], parallel: true, log: "ranks" }], 2);
  try {
    for (let i = 0; i < 200 && sleepers("353").length < 2; i++) await new Promise((r) => setTimeout(r, 25));
    expect(sleepers("353")).toHaveLength(2);
  } finally {
    await mpi.running.cancel();
  }
  expect(await mpi.running.done).toEqual({ status: "cancelled" });
  expect(sleepers("353")).toEqual([]);
}, 60_000);

test("readiness names what is missing", async () => {
  expect(await runner.readiness!()).toBeUndefined();
  const noTools = createLocalRunner({ openfoamDir, env: { PATH: "/nonexistent" } });
  expect(await noTools.readiness!()).toBe("OpenFOAM tools not found on PATH: blockMesh, surfaceFeatureExtract, snappyHexMesh, checkMesh, simpleFoam, postProcess");
  const wrongDir = createLocalRunner({ openfoamDir: root });
  expect(await wrongDir.readiness!()).toBe(`WM_PROJECT_DIR=${root} has no etc/controlDict`);
});
