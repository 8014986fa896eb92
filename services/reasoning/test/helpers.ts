import { Writable } from "node:stream";
import { createService } from "@abode/service-kit";
import { registerLightingRoutes } from "../../ai-lighting/src/app";
import { registerReasoningRoutes } from "../src/app";
import type { LimitsConfig, ModelConfig, ReasoningConfig, ToolConfig } from "../src/config";

const silent = () => new Writable({ write: (_c, _e, done) => done() });

export interface Overrides {
  model?: Partial<ModelConfig>;
  tools?: Partial<ToolConfig>;
  limits?: Partial<LimitsConfig>;
}

export function testConfig(overrides: Overrides = {}): ReasoningConfig {
  return {
    model: { model: "test-model", timeoutMs: 10_000, maxRetries: 0, maxTokensPerStep: 256, temperature: 0, probeTtlMs: 60_000, ...overrides.model },
    tools: { ifcSourceHosts: [], ifcMaxFileBytes: 1024 * 1024, timeoutMs: 5_000, observationMaxChars: 3_000, ...overrides.tools },
    limits: { timeBudgetMs: 20_000, tokenBudget: 100_000, maxStepsLimit: 12, ...overrides.limits },
  };
}

/** The reasoning service on a loopback port; log lines are kept for assertions. */
export async function startReasoning(overrides: Overrides = {}) {
  const logs: Record<string, unknown>[] = [];
  const service = createService({
    name: "reasoning",
    version: "test",
    logDestination: new Writable({
      write: (chunk, _e, done) => {
        for (const line of chunk.toString().split("\n")) if (line.trim()) logs.push(JSON.parse(line));
        done();
      },
    }),
  });
  registerReasoningRoutes(service, testConfig(overrides));
  const { url } = await service.listen({ host: "127.0.0.1", port: 0 });
  const reason = async (body: unknown, query = "") => {
    const res = await fetch(`${url}/reason${query}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };
  return { url, reason, logs, close: () => service.close() };
}

/** The real AI lighting service in process, recording the bodies it was sent. */
export async function startLighting() {
  const service = createService({ name: "ai-lighting", version: "test", logDestination: silent() });
  const received: { url: string; body: any }[] = [];
  service.app.addHook("preHandler", async (request) => void received.push({ url: request.url, body: request.body }));
  registerLightingRoutes(service);
  const { url } = await service.listen({ host: "127.0.0.1", port: 0 });
  return { url, received, close: () => service.close() };
}

/** Reads a server-sent-event stream to its end. */
export async function readEvents(response: Response): Promise<{ event: string; data: any }[]> {
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((block) => block.startsWith("event:"))
    .map((block) => {
      const lines = block.split("\n");
      return { event: lines[0]!.slice("event: ".length), data: JSON.parse(lines[1]!.slice("data: ".length)) };
    });
}
