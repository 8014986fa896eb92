/**
 * The ReAct loop end to end: the real `openai` client inside the service talks to a scripted
 * OpenAI-compatible server; tools call the real AI lighting service and recording stand-ins.
 */
import type { ServerResponse } from "node:http";
import { closedPortUrl, json, startRecordingServer, type Received, type RecordingServer } from "./http-servers";
import { startLighting, startReasoning } from "./helpers";
import { observationJson, observations, startModelServer, type ModelServer, type Reply } from "./model-server";

let model: ModelServer;
let lighting: Awaited<ReturnType<typeof startLighting>>;
let risk: RecordingServer;
let riskHandler: (request: Received, response: ServerResponse) => void;

const usage = { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 };
const say = (content: string): Reply => ({ content, usage });

beforeAll(async () => {
  model = await startModelServer({ script: () => "unused", requireKey: "key-123" });
  lighting = await startLighting();
  risk = await startRecordingServer((request, response) => riskHandler(request, response));
});
afterAll(async () => {
  await Promise.all([model.close(), lighting.close(), risk.close()]);
});
beforeEach(() => {
  risk.received.length = 0;
  lighting.received.length = 0;
  model.chats.length = 0;
  riskHandler = (_request, response) => json(response, 200, { seismic: { sdc: "D", sds: 1.12 }, flood: { zones: [] } });
});

const services = () => ({ model: { baseUrl: model.url, apiKey: "key-123" }, tools: { aiLightingUrl: lighting.url, riskUrl: risk.url } });

const berlinNoon = { latitude: 52.52, longitude: 13.405, time: "2024-06-21T12:00:00+02:00" };
const office = {
  room: { floor: [{ x: 0, y: 0 }, { x: 6, y: 0 }, { x: 6, y: 4 }, { x: 0, y: 4 }], height: 3, type: "office" },
  luminaires: [
    { x: 1.5, y: 1, z: 2.8, flux: 4000, distribution: "lambertian" },
    { x: 4.5, y: 1, z: 2.8, flux: 4000, distribution: "lambertian" },
    { x: 1.5, y: 3, z: 2.8, flux: 4000, distribution: "lambertian" },
    { x: 4.5, y: 3, z: 2.8, flux: 4000, distribution: "lambertian" },
  ],
};

test("a run that uses two tools and finishes: real tool calls, observations fed back, the full trace and usage", async () => {
  model.setScript((request) => {
    const seen = observations(request);
    if (seen.length === 0) {
      // The invented observation after the action must never reach the transcript.
      return say(`Thought: I need the sun position in Berlin at midsummer noon.\nAction: natural_lighting[${JSON.stringify(berlinNoon)}]\nObservation: the sun is directly overhead`);
    }
    if (seen.length === 1) {
      const sun = observationJson(request, 0).sun;
      return say(`Thought: The sun is at ${sun.elevation.toFixed(2)} degrees. Now the site's hazards.\nAction: risk_lookup[{"lat": 37.77, "lon": -122.42}]`);
    }
    const elevation = observationJson(request, 0).sun.elevation.toFixed(2);
    return say(`Thought: I have both.\nAction: Finish[Sun elevation ${elevation} degrees; seismic design category ${observationJson(request, 1).seismic.sdc}.]`);
  });
  const reasoning = await startReasoning(services());
  try {
    const { status, body } = await reasoning.reason({ question: "How high is the sun in Berlin at midsummer noon, and what is the seismic category in San Francisco?" });
    expect(status).toBe(200);

    // The tools really ran, with the model's inputs.
    expect(lighting.received).toEqual([{ url: "/natural-lighting", body: berlinNoon }]);
    expect(risk.received.map((r) => [r.method, r.url])).toEqual([["GET", "/risk?lat=37.77&lon=-122.42"]]);

    // The answer rests on what the real lighting service computed.
    const direct = await fetch(`${lighting.url}/natural-lighting`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(berlinNoon) });
    const elevation = ((await direct.json()) as any).sun.elevation as number;
    expect(elevation).toBeGreaterThan(55);
    expect(body.answer).toBe(`Sun elevation ${elevation.toFixed(2)} degrees; seismic design category D.`);

    expect(body.steps.map((s: any) => [s.action, s.outcome])).toEqual([
      ["natural_lighting", "ok"],
      ["risk_lookup", "ok"],
      ["Finish", "finish"],
    ]);
    expect(body.steps[0]).toMatchObject({ thought: "I need the sun position in Berlin at midsummer noon.", input: berlinNoon });
    expect(JSON.parse(body.steps[0].observation).sun.elevation).toBe(elevation);
    expect(JSON.parse(body.steps[1].observation)).toEqual({ seismic: { sdc: "D", sds: 1.12 }, flood: { zones: [] } });
    expect(body.steps[2]).toMatchObject({ action: "Finish", input: body.answer, observation: null });
    for (const step of body.steps) expect(step.durationMs).toBeGreaterThanOrEqual(0);
    expect(body.usage).toEqual({ promptTokens: 300, completionTokens: 30, totalTokens: 330, modelCalls: 3 });
    expect(body.model).toBe("test-model");
    expect(body.tools).toEqual({
      offered: ["lighting_analysis", "natural_lighting", "risk_lookup"],
      unavailable: [
        { name: "rag_search", reason: "RAG_URL is not set" },
        { name: "ifc_element_counts", reason: "IFC_URL is not set" },
      ],
    });

    // What the model endpoint was sent.
    expect(model.chats).toHaveLength(3);
    for (const chat of model.chats) {
      expect(chat).toMatchObject({ model: "test-model", stop: ["Observation:"], max_tokens: 256, temperature: 0, authorization: "Bearer key-123" });
    }
    const system = model.chats[0]!.messages[0]!;
    expect(system.role).toBe("system");
    expect(system.content).toContain("- natural_lighting:");
    expect(system.content).toContain('"latitude":{"type":"number","minimum":-90,"maximum":90}');
    expect(system.content).toContain("- risk_lookup:");
    expect(system.content).not.toContain("rag_search");
    const third = model.chats[2]!.messages;
    expect(third.map((m) => m.role)).toEqual(["system", "user", "assistant", "user", "assistant", "user"]);
    expect(third[2]!.content).toBe(`Thought: I need the sun position in Berlin at midsummer noon.\nAction: natural_lighting[${JSON.stringify(berlinNoon)}]`);
    expect(third[3]!.content.startsWith("Observation: {")).toBe(true);
    expect(JSON.stringify(third)).not.toContain("directly overhead");
  } finally {
    await reasoning.close();
  }
});

test("a tools subset limits what the model is offered; an unknown tool gets one correction naming the tools", async () => {
  model.setScript((request) => {
    const last = request.messages[request.messages.length - 1]!.content;
    if (last.startsWith("Your reply could not be used")) return say("Thought: I will answer from the sun data I lack.\nAction: Finish[I cannot look up seismic data with the tools I have.]");
    return say('Thought: Check hazards.\nAction: risk_lookup[{"lat": 1, "lon": 2}]');
  });
  const reasoning = await startReasoning(services());
  try {
    const { status, body } = await reasoning.reason({ question: "Seismic category of my site?", tools: ["natural_lighting"] });
    expect(status).toBe(200);
    expect(body.answer).toBe("I cannot look up seismic data with the tools I have.");
    expect(body.tools.offered).toEqual(["natural_lighting"]);
    expect(body.steps).toHaveLength(1);
    expect(body.steps[0].correction).toEqual({
      problem: 'unknown tool "risk_lookup"; the tools are: natural_lighting',
      rawOutput: 'Thought: Check hazards.\nAction: risk_lookup[{"lat": 1, "lon": 2}]',
    });
    expect(model.chats[0]!.messages[0]!.content).not.toContain("- risk_lookup:");
    const correction = model.chats[1]!.messages;
    expect(correction[correction.length - 2]).toEqual({ role: "assistant", content: 'Thought: Check hazards.\nAction: risk_lookup[{"lat": 1, "lon": 2}]' });
    expect(correction[correction.length - 1]!.content).toContain("tool_name[JSON input] with one of: natural_lighting");
    expect(risk.received).toHaveLength(0);
    expect(body.usage.modelCalls).toBe(2);
  } finally {
    await reasoning.close();
  }
});

test("tool failures become observations the model recovers from: bad input, HTTP errors, timeouts, unreachable services", async () => {
  let riskCalls = 0;
  riskHandler = (_request, response) => {
    riskCalls++;
    if (riskCalls === 1) json(response, 503, { error: "upstream_unavailable", message: "USGS did not answer" });
    // The second call never gets an answer: the tool's timeout must end it.
  };
  const actions = [
    'risk_lookup[{"lat": 200, "lon": 0}]',
    'risk_lookup[{"lat": 37.77, "lon": -122.42}]',
    'risk_lookup[{"lat": 37.77, "lon": -122.42}]',
    `lighting_analysis[${JSON.stringify({ ...office, room: { ...office.room, type: "spaceship" } })}]`,
    `lighting_analysis[${JSON.stringify(office)}]`,
    'rag_search[{"query": "EN 12464-1 office"}]',
  ];
  model.setScript((request) => {
    const n = observations(request).length;
    if (n < actions.length) return say(`Thought: try step ${n + 1}.\nAction: ${actions[n]}`);
    return say("Thought: Enough.\nAction: Finish[The office lighting was analysed; the hazard lookup failed.]");
  });
  const reasoning = await startReasoning({ ...services(), tools: { ...services().tools, ragUrl: await closedPortUrl(), timeoutMs: 300 } });
  try {
    const { status, body } = await reasoning.reason({ question: "Check my office and site.", maxSteps: 8 });
    expect(status).toBe(200);
    expect(body.steps.map((s: any) => s.outcome)).toEqual(["invalid_input", "tool_error", "tool_error", "tool_error", "ok", "tool_error", "finish"]);
    const seen = body.steps.map((s: any) => s.observation);
    expect(seen[0]).toBe("Error: invalid input for risk_lookup: lat: Too big: expected number to be <=90");
    expect(seen[1]).toBe('Error: risk answered HTTP 503: {"error":"upstream_unavailable","message":"USGS did not answer"}');
    expect(seen[2]).toBe("Error: risk did not answer within 300 ms");
    expect(seen[3]).toMatch(/^Error: ai-lighting answered HTTP 400: .*room\.type/);
    const analysis = JSON.parse(seen[4]);
    expect(analysis.grid).toBe("(per-point values omitted)");
    expect(analysis.verdict).toBeDefined();
    expect(analysis.electric.mean).toBeGreaterThan(0);
    expect(seen[5]).toMatch(/^Error: rag is unreachable \(ECONNREFUSED\)$/);
    // Invalid input never reached the service; the two valid lookups did.
    expect(riskCalls).toBe(2);
    expect(lighting.received.map((r) => r.url)).toEqual(["/analyze", "/analyze"]);
    // Each observation went back to the model verbatim.
    const last = model.chats[model.chats.length - 1]!;
    expect(observations(last)).toEqual(seen.slice(0, 6));
  } finally {
    await reasoning.close();
  }
});

test("a malformed reply is corrected once: bad JSON, then a usable reply", async () => {
  model.setScript((request) => {
    const last = request.messages[request.messages.length - 1]!.content;
    if (observations(request).length === 1) return say("Thought: done.\nAction: Finish[ok]");
    if (last.startsWith("Your reply could not be used")) return say(`Thought: again.\nAction: natural_lighting[${JSON.stringify(berlinNoon)}]`);
    return say("Thought: sun.\nAction: natural_lighting[{latitude: 52.5}]");
  });
  const reasoning = await startReasoning(services());
  try {
    const { status, body } = await reasoning.reason({ question: "Sun?" });
    expect(status).toBe(200);
    expect(body.steps[0].correction.problem).toMatch(/^the input of natural_lighting is not valid JSON/);
    expect(body.steps[0]).toMatchObject({ action: "natural_lighting", outcome: "ok", input: berlinNoon });
    // The failed attempt and the correction are not kept in the transcript.
    const later = model.chats[2]!.messages;
    expect(later.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(later[2]!.content).toContain(JSON.stringify(berlinNoon));
  } finally {
    await reasoning.close();
  }
});

test("malformed twice fails clearly with 502 and the raw output; a reply cut at the token limit counts as malformed", async () => {
  model.setScript((request) => {
    const last = request.messages[request.messages.length - 1]!.content;
    if (last.startsWith("Your reply could not be used")) return { content: "Thought: long story.\nAction: Finish[The answer is", finishReason: "length", usage };
    return say("I think the answer is 42.");
  });
  const reasoning = await startReasoning(services());
  try {
    const { status, body } = await reasoning.reason({ question: "What is it?" });
    expect(status).toBe(502);
    expect(body).toMatchObject({
      error: "model_output_invalid",
      problem: "the reply was cut off at the token limit before the Action was complete",
      rawOutput: "Thought: long story.\nAction: Finish[The answer is",
      firstAttempt: { problem: "the reply has no `Action:` line", rawOutput: "I think the answer is 42." },
      steps: [],
      usage: { totalTokens: 220, modelCalls: 2 },
    });
    expect(body.message).toContain("after one correction");
  } finally {
    await reasoning.close();
  }
});

test("the step limit: no Finish within maxSteps is a 422 with the trace; the last observation asks for an answer", async () => {
  model.setScript(() => say(`Thought: once more.\nAction: natural_lighting[${JSON.stringify(berlinNoon)}]`));
  const reasoning = await startReasoning(services());
  try {
    const { status, body } = await reasoning.reason({ question: "Loop forever", maxSteps: 3 });
    expect(status).toBe(422);
    expect(body).toMatchObject({ error: "step_limit_reached", budget: { name: "steps", limit: 3 } });
    expect(body.steps).toHaveLength(3);
    expect(lighting.received).toHaveLength(3);
    const lastAsked = model.chats[2]!.messages;
    expect(lastAsked[lastAsked.length - 1]!.content).toContain("One step left: reply with Action: Finish[answer] now.");
    expect(model.chats[1]!.messages[model.chats[1]!.messages.length - 1]!.content).not.toContain("One step left");
  } finally {
    await reasoning.close();
  }
});

test("the time budget: a slow model or a slow tool ends the run with 504 naming the budget", async () => {
  model.setScript(() => ({ content: "Thought: slow.\nAction: Finish[late]", usage, delayMs: 3_000 }));
  const slowModel = await startReasoning({ ...services(), limits: { timeBudgetMs: 300 } });
  try {
    const { status, body } = await slowModel.reason({ question: "Quick?" });
    expect(status).toBe(504);
    expect(body).toMatchObject({ error: "time_budget_exceeded", budget: { name: "time", limitMs: 300 } });
    expect(body.message).toContain("REASON_TIME_BUDGET_MS");
    expect(body.budget.usedMs).toBeGreaterThanOrEqual(300);
  } finally {
    await slowModel.close();
  }

  riskHandler = () => undefined; // never answers
  model.setScript(() => say('Thought: hazards.\nAction: risk_lookup[{"lat": 1, "lon": 2}]'));
  const slowTool = await startReasoning({ ...services(), limits: { timeBudgetMs: 400 } });
  try {
    const { status, body } = await slowTool.reason({ question: "Hazards?" });
    expect(status).toBe(504);
    expect(body.error).toBe("time_budget_exceeded");
    expect(body.steps).toEqual([]);
    expect(risk.received).toHaveLength(1);
  } finally {
    await slowTool.close();
  }
});

test("the token budget: usage is summed over calls, each call is capped to what is left, and overspending is a 422", async () => {
  model.setScript(() => say(`Thought: more.\nAction: natural_lighting[${JSON.stringify(berlinNoon)}]`));
  const reasoning = await startReasoning({ ...services(), limits: { tokenBudget: 250 } });
  try {
    const { status, body } = await reasoning.reason({ question: "Spend" });
    expect(status).toBe(422);
    expect(body).toMatchObject({ error: "token_budget_exceeded", budget: { name: "tokens", limit: 250, used: 330 } });
    expect(body.message).toContain("REASON_TOKEN_BUDGET");
    expect(body.steps).toHaveLength(2);
    expect(model.chats.map((c) => c.max_tokens)).toEqual([250, 140, 30]);
  } finally {
    await reasoning.close();
  }
});

test("model endpoint failures: a 500 is a 502 and makes readiness look again; missing usage is a 502", async () => {
  const reasoning = await startReasoning(services());
  try {
    expect((await fetch(`${reasoning.url}/readyz`)).status).toBe(200);
    const listings = model.modelListings;
    model.setScript(() => ({ status: 500, body: { error: { message: "model crashed" } } }));
    const failed = await reasoning.reason({ question: "Anything" });
    expect(failed.status).toBe(502);
    expect(failed.body).toMatchObject({ error: "model_failed", upstreamStatus: 500 });
    expect(failed.body.message).toContain("answered HTTP 500");
    // The cached "ready" was dropped: the next request probes /models again.
    model.setScript(() => ({ content: "Thought: x\nAction: Finish[y]", usage: null }));
    const noUsage = await reasoning.reason({ question: "Anything" });
    expect(model.modelListings).toBe(listings + 1);
    expect(noUsage.status).toBe(502);
    expect(noUsage.body.error).toBe("model_usage_missing");
  } finally {
    await reasoning.close();
  }
});

test("bad requests are 400s naming each field; an unconfigured tool is named with the reason", async () => {
  const reasoning = await startReasoning(services());
  try {
    const missing = await reasoning.reason({ tools: ["bogus"], maxSteps: 13, extra: 1 });
    expect(missing.status).toBe(400);
    expect(missing.body.fields.map((f: any) => f.field).sort()).toEqual(["extra", "maxSteps", "question", "tools[0]"]);
    const unavailable = await reasoning.reason({ question: "Find docs", tools: ["natural_lighting", "rag_search"] });
    expect(unavailable.status).toBe(400);
    expect(unavailable.body.fields).toEqual([{ field: "tools[1]", message: "not available on this deployment: RAG_URL is not set" }]);
    const blank = await reasoning.reason({ question: "   " });
    expect(blank.body.fields[0].field).toBe("question");
    const query = await reasoning.reason({ question: "x" }, "?stream=maybe");
    expect(query.status).toBe(400);
    expect(query.body.fields[0].field).toBe("query.stream");
    expect(model.chats).toHaveLength(0);
  } finally {
    await reasoning.close();
  }
});

test("GET /tools lists each offered tool with its input schema, and the others with the reason", async () => {
  const reasoning = await startReasoning(services());
  try {
    const body = (await (await fetch(`${reasoning.url}/tools`)).json()) as any;
    expect(body.available.map((t: any) => t.name)).toEqual(["lighting_analysis", "natural_lighting", "risk_lookup"]);
    expect(body.available[2].inputSchema).toMatchObject({ type: "object", required: ["lat", "lon"], additionalProperties: false });
    expect(body.unavailable.map((t: any) => t.name)).toEqual(["rag_search", "ifc_element_counts"]);
  } finally {
    await reasoning.close();
  }
});

describe("document tools", () => {
  let files: RecordingServer;
  let ifc: RecordingServer;
  let rag: RecordingServer;
  const ifcBytes = Buffer.from("ISO-10303-21;\nHEADER;\nFILE_SCHEMA(('IFC4'));\nENDSEC;\nDATA;\nENDSEC;\nEND-ISO-10303-21;\n");
  beforeAll(async () => {
    files = await startRecordingServer((request, response) => {
      if (request.url === "/models/house.ifc") response.writeHead(200, { "content-type": "application/octet-stream" }).end(ifcBytes);
      else if (request.url === "/redirect") response.writeHead(302, { location: "http://169.254.169.254/latest/meta-data" }).end();
      else if (request.url === "/big.ifc") response.writeHead(200).end(Buffer.alloc(4096, 65));
      else response.writeHead(404).end("not found");
    });
    ifc = await startRecordingServer((_request, response) => json(response, 200, { counts: { IfcWall: 12, IfcDoor: 3 }, storeys: 2 }));
    rag = await startRecordingServer((_request, response) => json(response, 200, { results: [{ text: "Offices need 500 lx.", score: 0.03 }] }));
  });
  afterAll(async () => {
    await Promise.all([files.close(), ifc.close(), rag.close()]);
  });

  test("IFC counts from an allow-listed URL (uploaded byte for byte), refusing other hosts, redirects and oversized files; RAG search posts the query", async () => {
    const actions = [
      `ifc_element_counts[{"url": "${files.url}/models/house.ifc"}]`,
      'ifc_element_counts[{"url": "http://example.com/house.ifc"}]',
      `ifc_element_counts[{"url": "${files.url}/redirect"}]`,
      `ifc_element_counts[{"url": "${files.url}/big.ifc"}]`,
      'rag_search[{"query": "office illuminance", "k": 3}]',
    ];
    model.setScript((request) => {
      const n = observations(request).length;
      return say(n < actions.length ? `Thought: step ${n + 1}.\nAction: ${actions[n]}` : "Thought: done.\nAction: Finish[12 walls, 3 doors; offices need 500 lx.]");
    });
    const reasoning = await startReasoning({
      ...services(),
      tools: { ...services().tools, ifcUrl: ifc.url, ragUrl: rag.url, ifcSourceHosts: [new URL(files.url).host], ifcMaxFileBytes: 1024 },
    });
    try {
      const { status, body } = await reasoning.reason({ question: "How many walls, and what illuminance?", maxSteps: 7 });
      expect(status).toBe(200);
      expect(body.steps.map((s: any) => s.outcome)).toEqual(["ok", "invalid_input", "tool_error", "tool_error", "ok", "finish"]);
      expect(JSON.parse(body.steps[0].observation)).toEqual({ counts: { IfcWall: 12, IfcDoor: 3 }, storeys: 2 });
      expect(body.steps[1].observation).toContain("host example.com is not allowed");
      expect(body.steps[2].observation).toBe(`Error: the file host (${new URL(files.url).host}) answered with a redirect, which tools do not follow`);
      expect(body.steps[3].observation).toBe("Error: the file is over the 1024-byte limit");
      expect(JSON.parse(body.steps[4].observation)).toEqual({ results: [{ text: "Offices need 500 lx.", score: 0.03 }] });

      expect(ifc.received).toHaveLength(1);
      expect(ifc.received[0]).toMatchObject({ method: "POST", url: "/elements" });
      expect(ifc.received[0]!.headers["content-type"]).toBe("application/octet-stream");
      expect(ifc.received[0]!.body.equals(ifcBytes)).toBe(true);
      expect(files.received.map((r) => r.url)).toEqual(["/models/house.ifc", "/redirect", "/big.ifc"]);
      expect(rag.received.map((r) => [r.method, r.url, JSON.parse(r.body.toString())])).toEqual([["POST", "/search", { query: "office illuminance", k: 3 }]]);
    } finally {
      await reasoning.close();
    }
  });
});

