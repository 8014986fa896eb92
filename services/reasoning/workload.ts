/**
 * The reasoning service's workload spec, consumed by the stacks.
 * Its image is `services/reasoning/Dockerfile`, built with the repository root as context.
 */
import type * as pulumi from "@pulumi/pulumi";
import { appServiceWorkload } from "../../components/workload/app-service";
import { publicHttpsEgress, type Resources, type WorkloadSpec } from "../../components/workload/spec";

export const REASONING_PORT = 8006;

/**
 * Half a core and 256 MiB: the service waits on the model and the tools; its own work is
 * parsing replies and JSON. (IFC downloads are buffered in memory up to IFC_MAX_FILE_BYTES:
 * raise the memory with that limit.)
 */
export const REASONING_DEFAULT_RESOURCES: Resources = { cpu: 0.5, memoryMiB: 256, requests: { cpu: 0.1, memoryMiB: 128 } };

export interface ReasoningWorkloadArgs {
  version: string;
  /** OTLP/HTTP base URL traces go to, e.g. http://otel-collector:4318. */
  otlpEndpoint: string;
  llm: {
    /** OpenAI-compatible base URL, e.g. http://ollama:11434/v1 (dev) or https://api.openai.com/v1. */
    baseUrl: string;
    /** Model id as the endpoint lists it under /models, e.g. qwen2.5:0.5b. */
    model: string;
    /** A Pulumi secret; needed by OpenAI, ignored by Ollama/vLLM. @default none */
    apiKey?: pulumi.Input<string>;
  };
  /** Base URLs of the platform services the tools call; a tool whose URL is absent is not offered. */
  tools?: {
    aiLightingUrl?: string;
    riskUrl?: string;
    ragUrl?: string;
    ifcUrl?: string;
    /** Hosts (`name` or `name:port`) the IFC tool may download model files from; without them the tool is not offered. */
    ifcSourceHosts?: string[];
  };
  /** Per-request limits. @default the service's (120 s, 16 000 tokens, 12 steps at most) */
  limits?: { timeBudgetMs?: number; tokenBudget?: number; maxSteps?: number; toolTimeoutMs?: number; llmTimeoutMs?: number };
  /** Workloads to wait for and call: the small-model server and the tools' services. @default [] */
  dependsOn?: string[];
  /** `llm.baseUrl` is outside the cluster (prod egress opens HTTPS to public addresses). @default false */
  externalModelEndpoint?: boolean;
  /** @default REASONING_DEFAULT_RESOURCES */
  resources?: Resources;
}

/** Only the variables that have a value: the service treats absent and empty alike. */
function defined(entries: Record<string, pulumi.Input<string> | number | undefined>): Record<string, pulumi.Input<string>> {
  const out: Record<string, pulumi.Input<string>> = {};
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) out[key] = typeof value === "number" ? String(value) : value;
  return out;
}

export function reasoningEnv(args: ReasoningWorkloadArgs): Record<string, pulumi.Input<string>> {
  return defined({
    LLM_BASE_URL: args.llm.baseUrl,
    LLM_MODEL: args.llm.model,
    LLM_API_KEY: args.llm.apiKey,
    AI_LIGHTING_URL: args.tools?.aiLightingUrl,
    RISK_URL: args.tools?.riskUrl,
    RAG_URL: args.tools?.ragUrl,
    IFC_URL: args.tools?.ifcUrl,
    IFC_SOURCE_HOSTS: args.tools?.ifcSourceHosts?.join(","),
    REASON_TIME_BUDGET_MS: args.limits?.timeBudgetMs,
    REASON_TOKEN_BUDGET: args.limits?.tokenBudget,
    REASON_MAX_STEPS: args.limits?.maxSteps,
    TOOL_TIMEOUT_MS: args.limits?.toolTimeoutMs,
    LLM_TIMEOUT_MS: args.limits?.llmTimeoutMs,
  });
}

export function reasoningWorkload(args: ReasoningWorkloadArgs): WorkloadSpec {
  return appServiceWorkload({
    name: "reasoning",
    component: "app",
    port: REASONING_PORT,
    version: args.version,
    otlpEndpoint: args.otlpEndpoint,
    resources: args.resources ?? REASONING_DEFAULT_RESOURCES,
    env: reasoningEnv(args),
    dependsOn: args.dependsOn,
    externalEgress: args.externalModelEndpoint
      ? [publicHttpsEgress("calls the external OpenAI-compatible model endpoint configured as models.endpoint")]
      : undefined,
  });
}
