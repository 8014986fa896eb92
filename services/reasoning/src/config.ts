/**
 * The service's own environment (validated with the kit's common variables by `runService`)
 * and the typed configuration the routes are built from; tests build the latter directly.
 */
import { z } from "zod";

const httpUrl = () => z.url({ protocol: /^https?$/ });
const positiveInt = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

export const reasoningEnvSchema = z.object({
  /** OpenAI-compatible base URL, e.g. http://ollama:11434/v1 or https://api.openai.com/v1. Unset → not ready. */
  LLM_BASE_URL: httpUrl().optional(),
  /** Model id as the endpoint lists it under /models (e.g. qwen2.5:0.5b). Unset → not ready. */
  LLM_MODEL: z.string().min(1).optional(),
  /** Bearer key; OpenAI needs it, Ollama ignores it. */
  LLM_API_KEY: z.string().min(1).optional(),
  LLM_TIMEOUT_MS: positiveInt(60_000, 600_000),
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(1),
  LLM_MAX_TOKENS_PER_STEP: positiveInt(512, 8192),
  LLM_TEMPERATURE: z.coerce.number().min(0).max(2).default(0),
  /** How long a /models probe result is trusted before /readyz or /reason probes again. */
  LLM_PROBE_TTL_MS: positiveInt(15_000, 600_000),
  REASON_TIME_BUDGET_MS: positiveInt(120_000, 3_600_000),
  REASON_TOKEN_BUDGET: positiveInt(16_000, 10_000_000),
  /** The most steps a request may ask for (`maxSteps`). */
  REASON_MAX_STEPS: positiveInt(12, 50),
  AI_LIGHTING_URL: httpUrl().optional(),
  RISK_URL: httpUrl().optional(),
  RAG_URL: httpUrl().optional(),
  IFC_URL: httpUrl().optional(),
  /** Comma-separated hosts (`name` or `name:port`) the IFC tool may download models from. */
  IFC_SOURCE_HOSTS: z
    .string()
    .transform((value) => value.split(",").map((host) => host.trim().toLowerCase()).filter(Boolean))
    .optional(),
  IFC_MAX_FILE_BYTES: positiveInt(100 * 1024 * 1024, 1024 * 1024 * 1024),
  TOOL_TIMEOUT_MS: positiveInt(20_000, 600_000),
  OBSERVATION_MAX_CHARS: positiveInt(3_000, 100_000),
});
export type ReasoningEnv = z.infer<typeof reasoningEnvSchema>;

export interface ModelConfig {
  baseUrl?: string;
  model?: string;
  apiKey?: string;
  timeoutMs: number;
  maxRetries: number;
  maxTokensPerStep: number;
  temperature: number;
  probeTtlMs: number;
}

export interface ToolConfig {
  aiLightingUrl?: string;
  riskUrl?: string;
  ragUrl?: string;
  ifcUrl?: string;
  ifcSourceHosts: string[];
  ifcMaxFileBytes: number;
  timeoutMs: number;
  observationMaxChars: number;
}

export interface LimitsConfig {
  timeBudgetMs: number;
  tokenBudget: number;
  maxStepsLimit: number;
}

export interface ReasoningConfig {
  model: ModelConfig;
  tools: ToolConfig;
  limits: LimitsConfig;
}

/** The reference ReAct setup uses 7 steps. */
export const DEFAULT_MAX_STEPS = 7;

export function configFromEnv(env: ReasoningEnv): ReasoningConfig {
  return {
    model: {
      baseUrl: env.LLM_BASE_URL,
      model: env.LLM_MODEL,
      apiKey: env.LLM_API_KEY,
      timeoutMs: env.LLM_TIMEOUT_MS,
      maxRetries: env.LLM_MAX_RETRIES,
      maxTokensPerStep: env.LLM_MAX_TOKENS_PER_STEP,
      temperature: env.LLM_TEMPERATURE,
      probeTtlMs: env.LLM_PROBE_TTL_MS,
    },
    tools: {
      aiLightingUrl: env.AI_LIGHTING_URL,
      riskUrl: env.RISK_URL,
      ragUrl: env.RAG_URL,
      ifcUrl: env.IFC_URL,
      ifcSourceHosts: env.IFC_SOURCE_HOSTS ?? [],
      ifcMaxFileBytes: env.IFC_MAX_FILE_BYTES,
      timeoutMs: env.TOOL_TIMEOUT_MS,
      observationMaxChars: env.OBSERVATION_MAX_CHARS,
    },
    limits: {
      timeBudgetMs: env.REASON_TIME_BUDGET_MS,
      tokenBudget: env.REASON_TOKEN_BUDGET,
      maxStepsLimit: env.REASON_MAX_STEPS,
    },
  };
}
