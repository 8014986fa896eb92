/**
 * The built service as a real process: compiled with the same commands as the Dockerfile,
 * started with `node services/ai-lighting/dist/main.js`, driven over loopback.
 */
import { createServer, type Server } from "node:http";
import { buildService, startService } from "../../kit/test/process";

beforeAll(() => buildService("ai-lighting"), 120_000);

const start = (env: Record<string, string>) => startService("ai-lighting", env);

test("bad environment: exit 1 listing every problem", async () => {
  const run = start({ PORT: "http", LOG_LEVEL: "chatty", OTEL_EXPORTER_OTLP_ENDPOINT: "otel-collector" });
  expect(await run.exited).toBe(1);
  const fatal = run.lines.find((l) => l.level === "fatal");
  expect(fatal).toBeDefined();
  const problems = (fatal!.problems as string[]).map((p) => p.split(":")[0]);
  expect(problems.sort()).toEqual(["LOG_LEVEL", "OTEL_EXPORTER_OTLP_ENDPOINT", "PORT"]);
});

test("starts, says tracing is off without an endpoint, and answers", async () => {
  const run = start({ PORT: "0", HOST: "127.0.0.1" });
  const url = await run.url();
  expect(run.lines.find((l) => l.msg === "listening")).toMatchObject({ service: "ai-lighting", tracing: expect.stringMatching(/^off/) });
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  expect((await fetch(`${url}/readyz`)).status).toBe(200);
  run.child.kill("SIGTERM");
  expect(await run.exited).toBe(0);
});

test("SIGTERM during requests: every request the server took completes, later ones are refused, then a clean exit", async () => {
  const run = start({ PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "debug" });
  const url = await run.url();
  // Work heavy enough (~250 ms each) that requests are still queued or running at SIGTERM.
  const body = JSON.stringify({
    room: { floor: [{ x: 0, y: 0 }, { x: 9, y: 0 }, { x: 9, y: 4 }, { x: 4, y: 4 }, { x: 4, y: 9 }, { x: 0, y: 9 }], height: 3, type: "technical-drawing" },
    goal: "even",
    catalogue: [{ id: "p", flux: 3600, powerW: 30, distribution: "lambertian" }],
  });
  const n = 6;
  const requests = Array.from({ length: n }, () =>
    fetch(`${url}/optimize`, { method: "POST", headers: { "content-type": "application/json" }, body }).then(
      async (r) => ({ status: r.status, body: (await r.json()) as { count?: number } }),
      (error: Error) => ({ status: 0, error: error.message, body: {} as { count?: number } }),
    ),
  );
  // Signal as soon as the first request is being worked on.
  for (let i = 0; i < 400 && !run.lines.some((l) => l.msg === "request received"); i++) await new Promise((r) => setTimeout(r, 5));
  run.child.kill("SIGTERM");
  const results = await Promise.all(requests);
  expect(await run.exited).toBe(0);

  const received = run.lines.filter((l) => l.msg === "request received").length;
  const completed = run.lines.filter((l) => l.msg === "request completed" && l.route === "/optimize");
  expect(received).toBeGreaterThan(0);
  // None lost: everything the server took in was answered in full.
  expect(completed).toHaveLength(received);
  expect(completed.every((l) => l.status_code === 200 || l.status_code === 503)).toBe(true);
  const answered = results.filter((r) => r.status === 200);
  expect(answered.length).toBe(completed.filter((l) => l.status_code === 200).length);
  expect(answered.every((r) => typeof r.body.count === "number")).toBe(true);
  // Anything else was refused without being processed (connection refused/reset, or 503 while closing).
  expect(results.every((r) => r.status === 200 || r.status === 0 || r.status === 503)).toBe(true);
  const order = run.lines.map((l) => l.msg);
  const afterSignal = order.slice(order.indexOf("shutting down: refusing new requests, finishing in-flight ones"));
  expect(afterSignal.filter((m) => m === "request completed").length).toBeGreaterThan(0); // it really was in flight
  expect(order[order.length - 1]).toBe("shut down cleanly");
});

describe("tracing end to end", () => {
  let collector: Server;
  const batches: string[] = [];
  let endpoint = "";
  beforeAll(async () => {
    collector = createServer((req, res) => {
      let data = "";
      req.on("data", (c) => (data += c));
      req.on("end", () => {
        if (req.url === "/v1/traces") batches.push(data);
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((r) => collector.listen(0, "127.0.0.1", r));
    const address = collector.address();
    endpoint = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => collector.close(() => r())));

  test("a request becomes a server span sent over OTLP/HTTP in the caller's trace; its log line carries the ids", async () => {
    const run = start({ PORT: "0", HOST: "127.0.0.1", OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: "ai-lighting-e2e" });
    const url = await run.url();
    expect(run.lines.find((l) => l.msg === "listening")?.tracing).toContain(endpoint);
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const res = await fetch(`${url}/natural-lighting`, {
      method: "POST",
      headers: { "content-type": "application/json", traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      body: JSON.stringify({ latitude: 0, longitude: 0, time: "2024-03-20T12:00:00Z" }),
    });
    expect(res.status).toBe(200);
    run.child.kill("SIGTERM"); // shutdown flushes the span batch
    expect(await run.exited).toBe(0);
    const spans = batches.join("\n");
    expect(spans).toContain(traceId);
    expect(spans).toContain('"name":"POST /natural-lighting"');
    expect(spans).toContain('"stringValue":"ai-lighting-e2e"');
    const line = run.lines.find((l) => l.msg === "request completed" && l.route === "/natural-lighting");
    expect(line).toMatchObject({ trace_id: traceId, service: "ai-lighting-e2e" });
    expect(line?.span_id).toMatch(/^[0-9a-f]{16}$/);
  });
});
