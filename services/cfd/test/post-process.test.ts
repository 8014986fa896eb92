/**
 * The built post-processor as a real process: compiled with the Dockerfile's commands, started
 * with `node services/cfd/dist/post/main.js`, driven over loopback.
 */
import { buildService, startService } from "../../kit/test/process";
import { makeRoot, removeRoot, writeCase } from "./post-helpers";

const root = makeRoot();

beforeAll(() => {
  buildService("cfd");
  writeCase(root, "c1");
}, 180_000);
afterAll(() => removeRoot(root));

const start = (env: Record<string, string>) => startService("cfd", env, "dist/post/main.js");

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
