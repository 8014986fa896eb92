/**
 * The built post-processor as a real process: compiled with the Dockerfile's commands, started
 * with `node services/cfd/dist/post/main.js`, driven over loopback.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { makeRoot, removeRoot, writeCase } from "./post-helpers";

const repo = path.resolve(__dirname, "../../..");
const main = path.join(repo, "services/cfd/dist/post/main.js");
const root = makeRoot();

beforeAll(() => {
  const tsc = path.join(repo, "node_modules/typescript/bin/tsc");
  for (const project of ["services/kit/tsconfig.build.json", "services/cfd/tsconfig.build.json"]) {
    const run = spawnSync(process.execPath, [tsc, "-p", project], { cwd: repo, encoding: "utf8" });
    // The workspace is shared by several services: only the post-processor's own errors fail this test.
    const ours = run.stdout.split("\n").filter((line) => line.startsWith("src/post/") || line.startsWith("services/cfd/src/post/") || line.startsWith("services/kit/"));
    if (ours.length > 0) throw new Error(`tsc ${project}:\n${ours.join("\n")}`);
  }
  if (!existsSync(main)) throw new Error(`${main} was not built`);
  writeCase(root, "c1");
}, 180_000);
afterAll(() => removeRoot(root));

interface Running {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  exited: Promise<number | null>;
  url: () => Promise<string>;
}

function start(env: Record<string, string>): Running {
  const child = spawn(process.execPath, [main], { cwd: repo, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
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

test("bad environment: exit 1 listing every problem, CFD_CASES_DIR included", async () => {
  const run = start({ PORT: "0", POST_MAX_ACTIVE_JOBS: "0" });
  expect(await run.exited).toBe(1);
  const fatal = run.lines.find((l) => l.level === "fatal");
  expect((fatal?.problems as string[]).map((p) => p.split(":")[0]).sort()).toEqual(["CFD_CASES_DIR", "POST_MAX_ACTIVE_JOBS"]);
});

test("starts on the cases directory, answers a comfort request, exports CSV, and stops cleanly on SIGTERM", async () => {
  const run = start({ PORT: "0", HOST: "127.0.0.1", CFD_CASES_DIR: root });
  const url = await run.url();
  expect(run.lines.find((l) => l.msg === "listening")).toMatchObject({ service: "cfd-post" });
  expect((await fetch(`${url}/readyz`)).status).toBe(200);
  const res = await fetch(`${url}/cases/c1/comfort`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ criteria: "lawson", climate: { type: "weibull", sectors: [0, 90, 180, 270].map((direction) => ({ direction, frequency: 0.25, k: 2, c: 5 })) } }),
  });
  expect(res.status).toBe(200);
  const result = (await res.json()) as { id: string; links: { csv: string } };
  const csv = await fetch(`${url}${result.links.csv}`);
  expect((await csv.text()).trimEnd().split("\n")).toHaveLength(97);
  expect(run.lines.find((l) => l.msg === "comfort result stored")).toMatchObject({ case_id: "c1", result_id: result.id, cells: 96, sectors: 4 });
  run.child.kill("SIGTERM");
  expect(await run.exited).toBe(0);
});
