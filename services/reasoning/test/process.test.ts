/** The built service as a real process (`node services/reasoning/dist/main.js`), configured by environment only. */
import { startLighting } from "./helpers";
import { observations, startModelServer, type ModelServer } from "./model-server";
import { buildService, startService } from "../../kit/test/process";

beforeAll(() => buildService("reasoning"), 120_000);

const start = (env: Record<string, string>) => startService("reasoning", env);

test("bad environment: exit 1 listing every problem of the service's own variables too", async () => {
  const run = start({ LLM_BASE_URL: "ollama:11434", REASON_MAX_STEPS: "lots", RISK_URL: "ftp://risk", PORT: "http" });
  expect(await run.exited).toBe(1);
  const fatal = run.lines.find((l) => l.level === "fatal");
  const problems = (fatal!.problems as string[]).map((p) => p.split(":")[0]);
  expect(problems.sort()).toEqual(["LLM_BASE_URL", "PORT", "REASON_MAX_STEPS", "RISK_URL"]);
});

describe("configured by environment", () => {
  let model: ModelServer;
  let lighting: Awaited<ReturnType<typeof startLighting>>;
  beforeAll(async () => {
    const sun = { latitude: 35.68, longitude: 139.69, time: "2024-03-20T12:00:00+09:00" };
    model = await startModelServer({
      models: ["qwen2.5:0.5b"],
      requireKey: "sk-test",
      script: (request) =>
        observations(request).length === 0
          ? `Thought: sun in Tokyo.\nAction: natural_lighting[${JSON.stringify(sun)}]`
          : `Thought: done.\nAction: Finish[Elevation ${JSON.parse(observations(request)[0]!).sun.elevation.toFixed(1)} degrees.]`,
    });
    lighting = await startLighting();
  });
  afterAll(async () => {
    await Promise.all([model.close(), lighting.close()]);
  });

  test("without a model it starts but is not ready; with one it is ready, reasons (streamed) and shuts down cleanly", async () => {
    const unready = start({ PORT: "0", HOST: "127.0.0.1" });
    const unreadyUrl = await unready.url();
    const readyz = await fetch(`${unreadyUrl}/readyz`);
    expect(readyz.status).toBe(503);
    expect(((await readyz.json()) as any).reasons).toEqual(["model: LLM_BASE_URL is not set"]);
    unready.child.kill("SIGTERM");
    expect(await unready.exited).toBe(0);

    const run = start({
      PORT: "0",
      HOST: "127.0.0.1",
      LLM_BASE_URL: model.url,
      LLM_MODEL: "qwen2.5:0.5b",
      LLM_API_KEY: "sk-test",
      AI_LIGHTING_URL: lighting.url,
    });
    const url = await run.url();
    expect(run.lines.find((l) => l.msg === "listening")).toMatchObject({ service: "reasoning", tracing: expect.stringMatching(/^off/) });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const response = await fetch(`${url}/reason`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ question: "How high is the sun in Tokyo at the March equinox noon?" }),
    });
    const text = await response.text();
    expect(text).toContain("event: step");
    expect(text).toMatch(/event: done\ndata: \{"answer":"Elevation \d+\.\d degrees\."/);
    expect(model.chats.every((c) => c.authorization === "Bearer sk-test")).toBe(true);
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    expect(run.lines.find((l) => l.msg === "request completed" && l.route === "/reason")).toMatchObject({ status_code: 200 });
    expect(run.lines[run.lines.length - 1]!.msg).toBe("shut down cleanly");
  });
});
