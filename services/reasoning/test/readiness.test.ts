/** Readiness follows the model endpoint: GET /models, cached, and /reason refuses with 503 when it is not usable. */
import { closedPortUrl } from "./http-servers";
import { startReasoning } from "./helpers";
import { startModelServer } from "./model-server";

async function readiness(url: string) {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, body: (await res.json()) as any };
}

test("no LLM_BASE_URL, or no LLM_MODEL: not ready, and /reason is a 503 with the reason", async () => {
  const noUrl = await startReasoning({ model: { baseUrl: undefined } });
  const noModel = await startReasoning({ model: { baseUrl: "http://127.0.0.1:9/v1", model: undefined } });
  try {
    expect(await readiness(noUrl.url)).toEqual({ status: 503, body: { status: "not_ready", reasons: ["model: LLM_BASE_URL is not set"] } });
    expect(await readiness(noModel.url)).toEqual({ status: 503, body: { status: "not_ready", reasons: ["model: LLM_MODEL is not set"] } });
    const refused = await noModel.reason({ question: "x" });
    expect(refused).toEqual({ status: 503, body: { error: "model_unavailable", message: "The language model is not available: LLM_MODEL is not set." } });
  } finally {
    await Promise.all([noUrl.close(), noModel.close()]);
  }
});

test("an unreachable endpoint, a rejected key, or a model the endpoint does not serve: not ready, each said plainly", async () => {
  const closed = `${await closedPortUrl()}/v1`;
  const keyed = await startModelServer({ script: () => "unused", requireKey: "right" });
  const other = await startModelServer({ script: () => "unused", models: ["qwen2.5:0.5b", "nomic-embed-text"] });
  const unreachable = await startReasoning({ model: { baseUrl: closed } });
  const wrongKey = await startReasoning({ model: { baseUrl: keyed.url, apiKey: "wrong" } });
  const noKey = await startReasoning({ model: { baseUrl: keyed.url } });
  const missingModel = await startReasoning({ model: { baseUrl: other.url, model: "phi3:mini" } });
  try {
    expect((await readiness(unreachable.url)).body.reasons).toEqual([`model: model endpoint ${closed} is unreachable (ECONNREFUSED)`]);
    expect((await readiness(wrongKey.url)).body.reasons).toEqual([`model: model endpoint ${keyed.url} rejected the credentials (HTTP 401); check LLM_API_KEY`]);
    expect((await readiness(noKey.url)).status).toBe(503);
    expect((await readiness(missingModel.url)).body.reasons).toEqual([
      `model: model "phi3:mini" is not served by ${other.url} (it lists: qwen2.5:0.5b, nomic-embed-text)`,
    ]);
    const refused = await unreachable.reason({ question: "x" });
    expect(refused.status).toBe(503);
    expect(refused.body.message).toContain("is unreachable");
  } finally {
    await Promise.all([unreachable.close(), wrongKey.close(), noKey.close(), missingModel.close(), keyed.close(), other.close()]);
  }
});

test("the probe result is cached for the TTL and refreshed after it: a model that appears makes the service ready", async () => {
  const model = await startModelServer({ script: () => "Thought: x\nAction: Finish[y]", models: ["other"] });
  const reasoning = await startReasoning({ model: { baseUrl: model.url, probeTtlMs: 300 } });
  try {
    expect((await readiness(reasoning.url)).status).toBe(503);
    await readiness(reasoning.url);
    await reasoning.reason({ question: "x" });
    // The start-up probe answered all three.
    expect(model.modelListings).toBe(1);
    await new Promise((r) => setTimeout(r, 350));
    expect((await readiness(reasoning.url)).status).toBe(503);
    expect(model.modelListings).toBe(2);
    await model.close();
    const served = await startModelServer({ script: () => "Thought: x\nAction: Finish[y]" });
    const ready = await startReasoning({ model: { baseUrl: served.url, probeTtlMs: 300 } });
    expect((await readiness(ready.url)).status).toBe(200);
    expect((await ready.reason({ question: "x" })).body.answer).toBe("y");
    await Promise.all([ready.close(), served.close()]);
  } finally {
    await reasoning.close();
  }
});
