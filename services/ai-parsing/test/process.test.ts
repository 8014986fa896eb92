/**
 * The built service as a real process: compiled with the same commands as the Dockerfile,
 * started with `node services/ai-parsing/dist/main.js`, driven over loopback.
 */
import { buildService, startService } from "../../kit/test/process";
import { RED, scratchDir, solidImage } from "./helpers";
import { standardModel, writeModel } from "./yolo-model";

const scratch = scratchDir();
let model: string;

beforeAll(() => {
  buildService("ai-parsing");
  model = writeModel(scratch.dir, "standard.onnx", standardModel());
}, 120_000);
afterAll(() => scratch.remove());

// ONNX Runtime's own native log lines are plain text (`stray`); ours are JSON.
const start = (env: Record<string, string>) => startService("ai-parsing", env);

async function readyz(url: string, until: number) {
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${url}/readyz`);
    const body = (await res.json()) as { reasons?: string[] };
    if (res.status === until) return body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`/readyz never answered ${until}`);
}

test("bad environment: exit 1 listing every problem", async () => {
  const run = start({ AI_PARSING_EXECUTION_PROVIDER: "tpu", AI_PARSING_CONFIDENCE: "2", AI_PARSING_CLASS_NAMES: "door", PORT: "http" });
  expect(await run.exited).toBe(1);
  const fatal = run.lines.find((l) => l.level === "fatal");
  const problems = (fatal!.problems as string[]).map((p) => p.split(":")[0]);
  expect(problems.sort()).toEqual(["AI_PARSING_CLASS_NAMES", "AI_PARSING_CONFIDENCE", "AI_PARSING_EXECUTION_PROVIDER", "PORT"]);
});

test("with a model: ready, detects, and exits 0 on SIGTERM", async () => {
  const run = start({ PORT: "0", HOST: "127.0.0.1", AI_PARSING_MODEL_PATH: model, AI_PARSING_INTRA_OP_THREADS: "1" });
  const url = await run.url();
  expect(run.lines.find((l) => l.msg === "listening")).toMatchObject({ service: "ai-parsing", tracing: expect.stringMatching(/^off/) });
  await readyz(url, 200);
  const res = await fetch(`${url}/detect`, { method: "POST", headers: { "content-type": "image/png" }, body: await solidImage(1280, 720, RED) });
  expect(res.status).toBe(200);
  const body = (await res.json()) as any;
  expect(body.objects[0]).toMatchObject({ class: "Door", box: { x1: 440, y1: 260, x2: 840, y2: 460 } });
  run.child.kill("SIGTERM");
  expect(await run.exited).toBe(0);
  expect(run.lines.at(-1)?.msg).toBe("shut down cleanly");
});

test("without a model: up (healthz 200) but not ready, saying why", async () => {
  const run = start({ PORT: "0", HOST: "127.0.0.1" });
  const url = await run.url();
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  const body = await readyz(url, 503);
  expect(body.reasons).toEqual([expect.stringContaining("model: AI_PARSING_MODEL_PATH is not set")]);
  run.child.kill("SIGTERM");
  expect(await run.exited).toBe(0);
});
