/** POST /reason as server-sent events: one event per step as it happens, the kit's log and metrics intact. */
import { request as httpRequest } from "node:http";
import { startLighting, startReasoning, readEvents } from "./helpers";
import { observations, startModelServer, type ModelServer } from "./model-server";

let model: ModelServer;
let lighting: Awaited<ReturnType<typeof startLighting>>;
beforeAll(async () => {
  model = await startModelServer({ script: () => "unused" });
  lighting = await startLighting();
});
afterAll(async () => {
  await Promise.all([model.close(), lighting.close()]);
});

const sun = { latitude: 48.85, longitude: 2.35, time: "2024-12-21T12:00:00+01:00" };

test("Accept: text/event-stream streams start, each step, then done; the request is logged and counted as usual", async () => {
  model.setScript((request) =>
    observations(request).length < 2 ? `Thought: sun.\nAction: natural_lighting[${JSON.stringify(sun)}]` : "Thought: ok.\nAction: Finish[Low winter sun.]",
  );
  const reasoning = await startReasoning({ model: { baseUrl: model.url }, tools: { aiLightingUrl: lighting.url } });
  try {
    const response = await fetch(`${reasoning.url}/reason`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ question: "Paris sun in winter?", tools: ["natural_lighting"] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    const events = await readEvents(response);
    expect(events.map((e) => e.event)).toEqual(["start", "step", "step", "step", "done"]);
    expect(events[0]!.data).toEqual({ model: "test-model", tools: { offered: ["natural_lighting"], unavailable: expect.any(Array) }, maxSteps: 7 });
    expect(events[1]!.data).toMatchObject({ action: "natural_lighting", input: sun, outcome: "ok" });
    expect(JSON.parse(events[1]!.data.observation).sun.elevation).toBeLessThan(20);
    expect(events[3]!.data).toMatchObject({ action: "Finish", input: "Low winter sun." });
    expect(events[4]!.data).toMatchObject({ answer: "Low winter sun.", usage: { modelCalls: 3 } });

    const completed = reasoning.logs.find((l) => l.msg === "request completed" && l.route === "/reason");
    expect(completed).toMatchObject({ method: "POST", status_code: 200 });
    expect(reasoning.logs.find((l) => l.msg === "reasoning finished")).toMatchObject({ outcome: "answer", model_calls: 3 });
    const metrics = await (await fetch(`${reasoning.url}/metrics`)).text();
    expect(metrics).toMatch(/http_requests_total\{[^}]*route="\/reason"[^}]*status_code="200"[^}]*\} 1/);
  } finally {
    await reasoning.close();
  }
});

test("?stream=true: a failure after the stream started is an error event with the status and trace", async () => {
  model.setScript(() => `Thought: again.\nAction: natural_lighting[${JSON.stringify(sun)}]`);
  const reasoning = await startReasoning({ model: { baseUrl: model.url }, tools: { aiLightingUrl: lighting.url } });
  try {
    const response = await fetch(`${reasoning.url}/reason?stream=true`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question: "Loop", maxSteps: 2 }),
    });
    const events = await readEvents(response);
    expect(events.map((e) => e.event)).toEqual(["start", "step", "step", "error"]);
    expect(events[3]!.data).toMatchObject({ status: 422, error: "step_limit_reached", budget: { name: "steps", limit: 2 } });
    expect(events[3]!.data.steps).toHaveLength(2);
  } finally {
    await reasoning.close();
  }
});

test("errors before the run (bad body, model not ready) are plain JSON even when events were asked for", async () => {
  const reasoning = await startReasoning({ model: { baseUrl: undefined } });
  try {
    const ask = (body: unknown) =>
      fetch(`${reasoning.url}/reason`, { method: "POST", headers: { "content-type": "application/json", accept: "text/event-stream" }, body: JSON.stringify(body) });
    const bad = await ask({});
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/json");
    const unready = await ask({ question: "x" });
    expect(unready.status).toBe(503);
    expect(await unready.json()).toEqual({ error: "model_unavailable", message: "The language model is not available: LLM_BASE_URL is not set." });
  } finally {
    await reasoning.close();
  }
});

test("a client that goes away stops the run: no further model calls are made", async () => {
  let calls = 0;
  model.setScript(() => {
    calls++;
    return { content: `Thought: slowly.\nAction: natural_lighting[${JSON.stringify(sun)}]`, delayMs: 150 };
  });
  const reasoning = await startReasoning({ model: { baseUrl: model.url }, tools: { aiLightingUrl: lighting.url } });
  try {
    // node:http rather than fetch, so that closing the socket is all the client does.
    const request = httpRequest(`${reasoning.url}/reason?stream=true`, { method: "POST", headers: { "content-type": "application/json" } });
    request.end(JSON.stringify({ question: "Long", maxSteps: 12 }));
    await new Promise<void>((resolve) => {
      request.on("response", (response) => {
        let seen = "";
        response.on("data", (chunk: Buffer) => {
          seen += chunk.toString();
          if (seen.includes("event: step")) resolve();
        });
      });
    });
    request.destroy();
    for (let i = 0; i < 100 && !reasoning.logs.some((l) => l.msg === "reasoning finished"); i++) await new Promise((r) => setTimeout(r, 20));
    expect(reasoning.logs.find((l) => l.msg === "reasoning finished")).toMatchObject({ outcome: "client_closed_request" });
    const after = calls;
    await new Promise((r) => setTimeout(r, 400));
    expect(calls).toBe(after);
    expect(calls).toBeLessThan(12);
  } finally {
    await reasoning.close();
  }
});
