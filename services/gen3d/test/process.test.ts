/** The built service as a real process (`node services/gen3d/dist/main.js`), configured by environment only. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildService, startService } from "../../kit/test/process";
import { startRodin, type RodinServer } from "./rodin-server";

let rodin: RodinServer;
let dir: string;
beforeAll(async () => {
  buildService("gen3d");
  rodin = await startRodin("process-key");
  dir = await mkdtemp(path.join(tmpdir(), "gen3d-process-"));
}, 120_000);
afterAll(async () => {
  await rodin.close();
  await rm(dir, { recursive: true, force: true });
});

const start = (env: Record<string, string>) => startService("gen3d", { PORT: "0", HOST: "127.0.0.1", ...env });

test("bad environment: exit 1 listing every problem", async () => {
  const run = start({ RODIN_BASE_URL: "api.hyper3d.com", GEN3D_MAX_TASKS: "many", RODIN_TIMEOUT_MS: "-1" });
  expect(await run.exited).toBe(1);
  const fatal = run.lines.find((l) => l.level === "fatal");
  expect((fatal!.problems as string[]).map((p) => p.split(":")[0]).sort()).toEqual(["GEN3D_MAX_TASKS", "RODIN_BASE_URL", "RODIN_TIMEOUT_MS"]);
});

test("without a key it runs but is not ready; with one it submits, remembers the task across a restart, and shuts down cleanly", async () => {
  const unready = start({});
  const unreadyUrl = await unready.url();
  expect(unready.lines.find((l) => l.msg === "listening")).toMatchObject({ service: "gen3d" });
  expect((await fetch(`${unreadyUrl}/readyz`)).status).toBe(503);
  unready.child.kill("SIGTERM");
  expect(await unready.exited).toBe(0);

  const env = { RODIN_API_KEY: "process-key", RODIN_BASE_URL: rodin.url, GEN3D_DATA_DIR: dir };
  const first = start(env);
  const url = await first.url();
  expect((await fetch(`${url}/readyz`)).status).toBe(200);
  const submitted = await fetch(`${url}/generate`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ prompt: "a gazebo" }) });
  expect(submitted.status).toBe(200);
  const { taskId } = (await submitted.json()) as { taskId: string };
  expect(first.lines.find((l) => l.msg === "rodin task submitted")).toMatchObject({ task_id: taskId });
  first.child.kill("SIGTERM");
  expect(await first.exited).toBe(0);

  const second = start(env);
  const secondUrl = await second.url();
  const status = await fetch(`${secondUrl}/tasks/${taskId}`);
  expect(status.status).toBe(200);
  expect(((await status.json()) as { status: string }).status).toBe("Waiting");
  second.child.kill("SIGTERM");
  expect(await second.exited).toBe(0);
});

test("a corrupt task file stops the start: exit 1 with the reason", async () => {
  const corrupt = await mkdtemp(path.join(tmpdir(), "gen3d-corrupt-"));
  try {
    await writeFile(path.join(corrupt, "tasks.json"), "{not json");
    const run = start({ RODIN_API_KEY: "k", GEN3D_DATA_DIR: corrupt });
    expect(await run.exited).toBe(1);
    expect(String(run.lines.find((l) => l.level === "fatal")?.msg)).toMatch(/^failed to start: .*tasks\.json is not a valid task file/);
  } finally {
    await rm(corrupt, { recursive: true, force: true });
  }
});
