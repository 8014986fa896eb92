/**
 * The case Job's entry point: which files count as results, and the compiled
 * `services/cfd/dist/job/main.js` as a real process against a local S3 server, running real
 * OpenFOAM (as the pod does; compiled first with the Dockerfile's commands).
 */
import { execFileSync, spawn } from "node:child_process";
import { promises as fs, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildService, REPO_ROOT } from "../../kit/test/process";
import { resultFiles } from "../src/job/run";
import { regularFiles } from "../src/storage/s3";
import { writeBlockCase, writeLidDrivenCase } from "./job-cases";
import { startFakeS3, TEST_CREDENTIALS, type FakeS3 } from "./storage-s3-server";

const root = REPO_ROOT;
const main = path.join(root, "services/cfd/dist/job/main.js");

describe("resultFiles", () => {
  const files = [
    "system/controlDict",
    "constant/polyMesh/points",
    "0/U",
    "0.5/U",
    "100/U",
    "200/U",
    "200/uniform/time",
    "processor0/200/U",
    "processor1/constant/polyMesh/points",
    "postProcessing/probes/0/U",
    "log.simpleFoam",
    "case.foam",
  ];

  test("what the run produced: the latest time, the mesh, probes and logs — not older times, decomposed copies or unchanged input", () => {
    const unchanged = new Set(["system/controlDict", "0/U", "case.foam"]);
    expect(resultFiles(files, (f) => unchanged.has(f))).toEqual(["constant/polyMesh/points", "200/U", "200/uniform/time", "postProcessing/probes/0/U", "log.simpleFoam"]);
  });

  test("0 is kept when the run changed it (a mesh run that maps fields), and is the latest when nothing later exists", () => {
    expect(resultFiles(["0/U", "constant/polyMesh/faces", "processor0/0/U"], () => false)).toEqual(["0/U", "constant/polyMesh/faces"]);
  });
});

describe("dist/job/main.js as a process", () => {
  let s3: FakeS3;
  let work: string;

  beforeAll(async () => {
    buildService("cfd");
    s3 = await startFakeS3({ bucket: "cases" });
  }, 180_000);
  afterAll(() => s3.close());
  beforeEach(async () => {
    s3.objects.clear();
    work = await fs.mkdtemp(path.join(os.tmpdir(), "cfd-job-"));
  });
  afterEach(() => fs.rm(work, { recursive: true, force: true }));

  /** Uploads a prepared case as the solver would, and starts the Job's process with the manifest's kind of environment. */
  async function startJob(prepare: (dir: string) => Promise<string>, steps: unknown[], processes = 1) {
    const input = await prepare(path.join(work, "input"));
    for (const file of await regularFiles(input)) s3.objects.set(`cases/case-1/input/sectors/0/${file}`, await fs.readFile(path.join(input, file)));
    const child = spawn(process.execPath, [main], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        PATH: process.env.PATH ?? "",
        WM_PROJECT_DIR: "/usr/share/openfoam",
        HOME: work,
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        CFD_CASE_ID: "case-1",
        CFD_RUN_DIR: "sectors/0",
        CFD_RUN: JSON.stringify({ steps, processes }),
        CFD_SCRATCH_DIR: path.join(work, "scratch"),
        CFD_JOB_UID: "9d4b0c3e-job-uid",
        CFD_S3_BUCKET: "cases",
        CFD_S3_REGION: "eu-west-1",
        CFD_S3_ENDPOINT: s3.url,
        CFD_S3_FORCE_PATH_STYLE: "true",
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    return { child, exited, out: () => stdout, err: () => stderr };
  }

  test("a bad environment: exit 1 with one fatal line naming every bad variable", async () => {
    const child = spawn(process.execPath, [main], { cwd: root, env: { PATH: process.env.PATH ?? "", CFD_RUN: '{"steps":[],"processes":0}', CFD_SCRATCH_DIR: "scratch" }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    expect(await new Promise((resolve) => child.on("exit", resolve))).toBe(1);
    const fatal = JSON.parse(stderr.trim().split("\n").at(-1)!);
    expect(fatal).toMatchObject({ level: "fatal", service: "cfd-job" });
    expect((fatal.problems as string[]).map((p) => p.split(":")[0]).sort()).toEqual(
      ["CFD_CASE_ID", "CFD_JOB_UID", "CFD_RUN", "CFD_RUN", "CFD_RUN_DIR", "CFD_S3_BUCKET", "CFD_S3_REGION", "CFD_SCRATCH_DIR"].sort(),
    );
    expect(fatal.msg).toMatch(/CFD_RUN: steps: Too small/);
  });

  test("a run: downloads its input, prints OpenFOAM's log, uploads the results and its outcome, exits 0", async () => {
    const job = await startJob(writeBlockCase, [{ command: "blockMesh", args: [] }, { command: "checkMesh", args: [] }]);
    expect(await job.exited).toBe(0);
    const lines = job.out().split("\n");
    expect(lines[0]).toBe("[cfd-job] downloaded the prepared case (5 files); running blockMesh, checkMesh on 1 process(es)");
    expect(lines).toContain("Mesh OK.");
    const results = [...s3.objects.keys()].filter((k) => k.startsWith("cases/case-1/sectors/0/")).sort();
    expect(results).toEqual(
      ["boundary", "faces", "neighbour", "owner", "points"].map((f) => `cases/case-1/sectors/0/constant/polyMesh/${f}`).concat(["cases/case-1/sectors/0/log.blockMesh", "cases/case-1/sectors/0/log.checkMesh"]).sort(),
    );
    expect(JSON.parse(s3.objects.get("cases/case-1/jobs/sectors/0/outcome.json")!.toString())).toMatchObject({ status: "succeeded", jobUid: "9d4b0c3e-job-uid", resultFiles: 7 });
  }, 60_000);

  test("SIGTERM (Job deleted, deadline, node drained): the solver's whole process group stops, nothing is recorded, exit 143", async () => {
    const job = await startJob((dir) => writeLidDrivenCase(dir, 1e6), [{ command: "blockMesh", args: [] }, { command: "icoFoam", args: [] }]);
    for (let i = 0; i < 300 && !job.out().includes("Courant Number"); i++) await new Promise((r) => setTimeout(r, 20));
    expect(job.out()).toContain("Courant Number");
    // The solver is the Job process's child, in its own process group.
    const solver = Number(execFileSync("pgrep", ["-P", String(job.child.pid), "-x", "icoFoam"], { encoding: "utf8" }).trim());
    expect(solver).toBeGreaterThan(0);
    job.child.kill("SIGTERM");
    expect(await job.exited).toBe(143);
    expect(job.out()).toContain("[cfd-job] stopped by SIGTERM; nothing recorded");
    expect(s3.objects.has("cases/case-1/jobs/sectors/0/outcome.json")).toBe(false);
    const alive = () => {
      try {
        process.kill(solver, 0);
        return !/^State:\s+Z/m.test(readFileSync(`/proc/${solver}/status`, "utf8"));
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 50 && alive(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive()).toBe(false);
  }, 60_000);
});
