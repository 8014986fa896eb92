import { connect } from "node:net";
import { Writable } from "node:stream";
import { z } from "zod";
import { createService, parseEnv, serviceEnvSchema, unprocessable, type Service } from "@abode/service-kit";

/** Collects the service's JSON log lines. */
function logSink() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split("\n")) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream };
}

const Body = z.strictObject({ name: z.string().min(1), size: z.number().int().min(1).max(10) });

async function startTestService(extra?: (s: Service) => void) {
  const logs = logSink();
  const service = createService({ name: "kit-test", version: "1.2.3", logDestination: logs.stream, bodyLimitBytes: 1024 });
  service.route({ method: "POST", url: "/things/:id", body: Body, handler: ({ body }) => ({ ok: true, name: body.name }) });
  service.route({
    method: "PUT",
    url: "/things/:id",
    body: Body,
    handler: ({ body, reply }) => {
      reply.code(201).header("location", `/things/${body.name}`);
      return { created: body.name };
    },
  });
  service.route({
    method: "POST",
    url: "/blob",
    binary: ["image/png", "application/octet-stream"],
    bodyLimitBytes: 2048,
    handler: ({ body }) => {
      const bytes = body as Buffer;
      return { bytes: bytes.length, first: bytes[0], last: bytes[bytes.length - 1] };
    },
  });
  service.route({
    method: "GET",
    url: "/search",
    query: z.strictObject({ q: z.string().min(1), limit: z.coerce.number().int().min(1).max(50).default(10) }),
    handler: ({ query }) => ({ q: query.q, limit: query.limit }),
  });
  service.route({ method: "GET", url: "/boom", handler: () => { throw new Error("kaput"); } });
  service.route({ method: "GET", url: "/impossible", handler: () => { throw unprocessable("cannot do that", { hint: "ask less" }); } });
  extra?.(service);
  const { url } = await service.listen({ host: "127.0.0.1", port: 0 });
  return { service, url, logs };
}

const post = (url: string, body: string, contentType = "application/json") =>
  fetch(url, { method: "POST", headers: { "content-type": contentType }, body });

describe("environment", () => {
  const schema = serviceEnvSchema({ port: 8005, serviceName: "svc" });

  test("defaults apply and empty strings count as unset", () => {
    const result = parseEnv(schema, { OTEL_EXPORTER_OTLP_ENDPOINT: "", PORT: "" });
    expect(result).toEqual({ ok: true, env: { HOST: "0.0.0.0", PORT: 8005, LOG_LEVEL: "info", OTEL_SERVICE_NAME: "svc" } });
  });

  test("every bad variable is listed, with the value it had", () => {
    const result = parseEnv(schema, { PORT: "eighty", LOG_LEVEL: "loud", OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(3);
    expect(result.problems.find((p) => p.startsWith("PORT:"))).toContain('"eighty"');
    expect(result.problems.some((p) => p.startsWith("LOG_LEVEL:"))).toBe(true);
    expect(result.problems.some((p) => p.startsWith("OTEL_EXPORTER_OTLP_ENDPOINT:"))).toBe(true);
  });

  test("ports outside 0..65535 are refused", () => {
    expect(parseEnv(schema, { PORT: "70000" }).ok).toBe(false);
    expect(parseEnv(schema, { PORT: "8080" })).toMatchObject({ ok: true, env: { PORT: 8080 } });
  });
});

describe("service over HTTP", () => {
  let t: Awaited<ReturnType<typeof startTestService>>;
  let ready: string | undefined;
  beforeAll(async () => {
    t = await startTestService((s) => s.addReadinessCheck({ name: "model", check: () => ready }));
  });
  afterAll(() => t.service.close());

  test("liveness answers; readiness reports each failing reason with 503", async () => {
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    ready = undefined;
    expect(await (await fetch(`${t.url}/readyz`)).json()).toEqual({ status: "ready" });
    ready = "weights not found at /models/x.onnx";
    const res = await fetch(`${t.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: "not_ready", reasons: ["model: weights not found at /models/x.onnx"] });
    ready = undefined;
  });

  test("a valid body reaches the handler", async () => {
    const res = await post(`${t.url}/things/7`, JSON.stringify({ name: "lamp", size: 3 }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, name: "lamp" });
  });

  test("a handler sets the status and headers through the reply and returns the body", async () => {
    const res = await fetch(`${t.url}/things/7`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "lamp", size: 1 }) });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/things/lamp");
    expect(await res.json()).toEqual({ created: "lamp" });
  });

  test("400 names every bad field, unknown ones included", async () => {
    const res = await post(`${t.url}/things/7`, JSON.stringify({ name: "", size: 99, colour: "red" }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; fields: { field: string }[] };
    expect(body.error).toBe("invalid_request");
    expect(body.fields.map((f) => f.field).sort()).toEqual(["colour", "name", "size"]);
  });

  test("client mistakes are 4xx, never 5xx: bad JSON, wrong type, oversized, unknown route", async () => {
    expect((await post(`${t.url}/things/1`, "{not json")).status).toBe(400);
    expect((await post(`${t.url}/things/1`, "<x/>", "application/xml")).status).toBe(415);
    expect((await post(`${t.url}/things/1`, JSON.stringify({ name: "x".repeat(5000), size: 1 }))).status).toBe(413);
    expect((await post(`${t.url}/things/1`, "")).status).toBe(400);
    expect((await post(`${t.url}/things/1`, '{"__proto__":{"x":1}}')).status).toBe(400);
    const missing = await fetch(`${t.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: "not_found" });
  });

  test("a query schema parses the query string and names each bad parameter", async () => {
    expect(await (await fetch(`${t.url}/search?q=lamp`)).json()).toEqual({ q: "lamp", limit: 10 });
    expect(await (await fetch(`${t.url}/search?q=lamp&limit=5`)).json()).toEqual({ q: "lamp", limit: 5 });
    const bad = await fetch(`${t.url}/search?limit=500&colour=red`);
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { message: string; fields: { field: string }[] };
    expect(body.fields.map((f) => f.field).sort()).toEqual(["query.colour", "query.limit", "query.q"]);
    expect(body.message).toMatch(/^Invalid query: /);
  });

  test("a binary route gets the raw bytes of its content types only, within its own limit", async () => {
    const blob = Buffer.from([0, 1, 2, 250, 255]);
    const ok = await fetch(`${t.url}/blob`, { method: "POST", headers: { "content-type": "image/png" }, body: blob });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ bytes: 5, first: 0, last: 255 });
    expect((await post(`${t.url}/blob`, "{}")).status).toBe(415);
    const big = await fetch(`${t.url}/blob`, { method: "POST", headers: { "content-type": "application/octet-stream" }, body: Buffer.alloc(4096) });
    expect(big.status).toBe(413);
    // JSON routes keep refusing other types: the raw parser is scoped to the binary route.
    expect((await post(`${t.url}/things/1`, "abc", "image/png")).status).toBe(415);
  });

  test("handler failures are a JSON 500 without internals; HttpProblem keeps its status", async () => {
    const res = await fetch(`${t.url}/boom`);
    expect(res.status).toBe(500);
    expect(JSON.stringify(await res.json())).not.toContain("kaput");
    const impossible = await fetch(`${t.url}/impossible`);
    expect(impossible.status).toBe(422);
    expect(await impossible.json()).toEqual({ error: "unprocessable", message: "cannot do that", hint: "ask less" });
  });

  test("metrics use the route pattern, count errors, and include process metrics", async () => {
    await post(`${t.url}/things/123`, JSON.stringify({ name: "a", size: 1 }));
    await post(`${t.url}/things/456`, JSON.stringify({ name: "a", size: 1 }));
    await fetch(`${t.url}/boom`);
    await fetch(`${t.url}/no/such/path`);
    const text = await (await fetch(`${t.url}/metrics`)).text();
    expect(text).toMatch(/http_requests_total\{route="\/things\/:id",method="POST",status_code="200",service="kit-test"\} [2-9]/);
    expect(text).not.toContain("/things/123");
    expect(text).not.toContain("/no/such/path");
    expect(text).toMatch(/http_requests_total\{route="unmatched",method="GET",status_code="404"/);
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0.005",[^}]*route="\/things\/:id",method="POST",status_code="200"/);
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/things\/:id",method="POST",status_code="200"[^}]*\} [2-9]/);
    expect(text).toMatch(/http_request_errors_total\{route="\/boom",method="GET",service="kit-test"\} [1-9]/);
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(text).toContain("nodejs_eventloop_lag_seconds");
  });

  test("logs are JSON lines with level, time, msg and service", async () => {
    await fetch(`${t.url}/healthz`);
    const completed = t.logs.lines.filter((l) => l.msg === "request completed");
    expect(completed.length).toBeGreaterThan(0);
    const line = completed[completed.length - 1]!;
    expect(line).toMatchObject({ level: "info", service: "kit-test", route: "/healthz", status_code: 200 });
    expect(new Date(String(line.time)).toISOString()).toBe(line.time);
    const failure = t.logs.lines.find((l) => l.msg === "unhandled error");
    expect(failure?.level).toBe("error");
  });
});

describe("graceful close", () => {
  test("an in-flight request finishes, readiness turns 503 while closing, then the port is released", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const t = await startTestService((s) =>
      s.route({ method: "GET", url: "/slow", handler: async () => { await gate; return { done: true }; } }),
    );
    const inFlight = fetch(`${t.url}/slow`).then(async (r) => ({ status: r.status, body: await r.json() }));
    await new Promise((r) => setTimeout(r, 100));
    const closing = t.service.close();
    expect(t.service.closing).toBe(true);
    release();
    expect(await inFlight).toEqual({ status: 200, body: { done: true } });
    await closing;
    await expect(fetch(`${t.url}/healthz`)).rejects.toThrow();
  });
});

// Tracing is exercised end to end against a real process in services/ai-lighting/test/process.test.ts:
// the OTLP exporter loads its HTTP agent with a dynamic import(), which jest's VM cannot run.

describe("shutdown", () => {
  test("a client that connected but never sent a request does not hold the shutdown open", async () => {
    const t = await startTestService();
    const socket = connect(Number(new URL(t.url).port), "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    const closed = new Promise((resolve) => socket.once("close", resolve));
    const started = Date.now();
    await t.service.close();
    await closed;
    // Well under the 30 s request timeout that would otherwise end it.
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
