/**
 * The built solver as a real process (`node …/solver/main.js`, compiled with the Dockerfile's
 * tsc commands): environment validation, and a case that survives a restart — SIGTERM stops
 * its OpenFOAM processes, the next start re-queues it from the interrupted sector.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { finished, processesIn, requireOpenFoam, waitFor } from "./solver-helpers";

const root = path.resolve(__dirname, "../../..");
let work: string;
let main: string;

beforeAll(async () => {
  await requireOpenFoam();
  work = mkdtempSync(path.join(os.tmpdir(), "cfd-process-"));
  const tsc = path.join(root, "node_modules/typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", "services/kit/tsconfig.build.json"], { cwd: root });
  // Its own output directory: other suites may be building services/cfd/dist at the same time.
  execFileSync(process.execPath, [tsc, "-p", "services/cfd/tsconfig.build.json", "--outDir", path.join(work, "dist")], { cwd: root });
  main = path.join(work, "dist/solver/main.js");
}, 180_000);
const children: ChildProcess[] = [];
afterAll(() => {
  // A failed assertion must not leave a service (and its pipes) keeping jest alive.
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  if (work) rmSync(work, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  exited: Promise<number | null>;
  url: () => Promise<string>;
}

function start(env: Record<string, string>): Running {
  const child = spawn(process.execPath, [main], {
    cwd: root,
    // The compiled files live outside the repository: resolve packages from its node_modules.
    env: { PATH: process.env.PATH ?? "", NODE_PATH: path.join(root, "node_modules"), WM_PROJECT_DIR: process.env.WM_PROJECT_DIR || "/usr/share/openfoam", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const lines: Record<string, unknown>[] = [];
  let buffered = "";
  const onData = (chunk: Buffer) => {
    buffered += chunk.toString();
    let nl: number;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.trim()) lines.push(JSON.parse(line));
    }
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = async () => {
    for (let i = 0; i < 400; i++) {
      const listening = lines.find((l) => l.msg === "listening");
      if (listening) return `http://127.0.0.1:${listening.port}`;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`service did not start: ${JSON.stringify(lines)}`);
  };
  return { child, lines, exited, url };
}

const api = (url: string) => ({
  get: async (p: string) => {
    const res = await fetch(`${url}${p}`);
    return { status: res.status, body: (await res.json()) as any };
  },
});

test("bad environment: exit 1 listing every problem", async () => {
  const run = start({ CFD_CASES_DIR: "", CFD_MAX_CELLS: "lots", CFD_RUNNER: "slurm" });
  expect(await run.exited).toBe(1);
  const fatal = run.lines.find((l) => l.level === "fatal");
  expect((fatal!.problems as string[]).map((p) => p.split(":")[0]).sort()).toEqual(["CFD_CASES_DIR", "CFD_MAX_CELLS", "CFD_RUNNER"]);
});

test("a case interrupted by a restart is re-queued from its interrupted sector and finishes", async () => {
  const casesDir = path.join(work, "cases");
  const env = { PORT: "0", HOST: "127.0.0.1", CFD_CASES_DIR: casesDir };
  const first = start(env);
  const url = await first.url();
  expect((await api(url).get("/readyz")).status).toBe(200);
  const created = await fetch(`${url}/cases`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      geometry: { boxes: [{ x: 0, y: 0, width: 10, depth: 10, height: 10 }] },
      referenceSpeed: 5,
      referenceHeight: 10,
      terrain: "rough",
      directions: [270, 180],
      meshLevel: "coarse",
      iterations: 15,
    }),
  });
  expect(created.status).toBe(202);
  const { id } = (await created.json()) as { id: string };
  const before = await waitFor(api(url), `/cases/${id}`, (c) => c.sectors[1].status === "meshing" || finished(c), 120_000);
  expect(before.sectors.map((s: any) => s.status)).toEqual(["succeeded", "meshing"]);

  first.child.kill("SIGTERM");
  expect(await first.exited).toBe(0);
  expect(processesIn(casesDir)).toEqual([]);
  const onDisk = JSON.parse(readFileSync(path.join(casesDir, id, "case.json"), "utf8"));
  expect(onDisk.status).toBe("meshing");

  const second = start(env);
  const url2 = await second.url();
  const after = await waitFor(api(url2), `/cases/${id}`, finished, 120_000);
  expect(after.status).toBe("succeeded");
  expect(after.notes).toHaveLength(1);
  expect(after.notes[0]).toMatch(/re-queued after a service restart \(interrupted: sector 180\)$/);
  // The finished sector was kept, not run again.
  expect(after.sectors[0].startedAt).toBe(before.sectors[0].startedAt);
  expect(after.sectors[1].startedAt).not.toBe(before.sectors[1].startedAt);
  expect(after.request).toMatchObject({ terrain: "rough", z0: 0.25 });
  expect(existsSync(path.join(casesDir, id, "sectors/180", after.sectors[1].results.latestTime, "U"))).toBe(true);
  second.child.kill("SIGTERM");
  expect(await second.exited).toBe(0);
}, 240_000);
