/** The language model behind an OpenAI-compatible endpoint, through the `openai` package. */
import { HttpProblem } from "@abode/service-kit";
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import type { ModelConfig } from "../config";
import { STOP_SEQUENCE } from "../react/prompt";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface Completion {
  text: string;
  finishReason: string | null;
  /** As reported by the endpoint; absent when it reports none. */
  usage?: TokenUsage;
}

const PROBE_TIMEOUT_MS = 5_000;

export class ChatModel {
  private readonly client: OpenAI;

  constructor(
    private readonly config: ModelConfig & { baseUrl: string; model: string },
  ) {
    this.client = new OpenAI({
      baseURL: config.baseUrl,
      // The client refuses to start without a key; Ollama and vLLM ignore it, and an endpoint
      // that needs one rejects this placeholder with a 401 that readiness reports.
      apiKey: config.apiKey ?? "no-key-configured",
      // Never pick organisation/project headers up from the ambient environment.
      organization: null,
      project: null,
      timeout: config.timeoutMs,
      maxRetries: config.maxRetries,
    });
  }

  get model(): string {
    return this.config.model;
  }

  /** One ReAct turn: generation stops before the model can invent an observation. */
  async complete(messages: ChatMessage[], options: { signal: AbortSignal; maxTokens: number }): Promise<Completion> {
    const response = await this.client.chat.completions.create(
      {
        model: this.config.model,
        messages,
        stop: [STOP_SEQUENCE],
        max_tokens: options.maxTokens,
        temperature: this.config.temperature,
      },
      { signal: options.signal },
    );
    const choice = response.choices[0];
    const usage = response.usage
      ? { promptTokens: response.usage.prompt_tokens, completionTokens: response.usage.completion_tokens, totalTokens: response.usage.total_tokens }
      : undefined;
    return { text: choice?.message.content ?? "", finishReason: choice?.finish_reason ?? null, usage };
  }

  /** Why the model cannot be used right now (GET /models), or nothing when it can. */
  async unavailableReason(): Promise<string | undefined> {
    let ids: string[];
    try {
      const page = await this.client.models.list({ timeout: PROBE_TIMEOUT_MS, maxRetries: 0 });
      ids = page.data.map((model) => model.id);
    } catch (error) {
      return describeModelError(error, this.config.baseUrl);
    }
    if (!ids.includes(this.config.model)) {
      const shown = ids.slice(0, 10).join(", ") || "none";
      return `model "${this.config.model}" is not served by ${this.config.baseUrl} (it lists: ${shown}${ids.length > 10 ? ", …" : ""})`;
    }
    return undefined;
  }
}

export function describeModelError(error: unknown, baseUrl: string): string {
  if (error instanceof APIConnectionTimeoutError) return `model endpoint ${baseUrl} did not answer in time`;
  if (error instanceof APIConnectionError) {
    const cause = (error as { cause?: { code?: string; message?: string; cause?: { code?: string } } }).cause;
    const detail = cause?.cause?.code ?? cause?.code ?? cause?.message ?? error.message;
    return `model endpoint ${baseUrl} is unreachable (${detail})`;
  }
  if (error instanceof APIError && (error.status === 401 || error.status === 403)) {
    return `model endpoint ${baseUrl} rejected the credentials (HTTP ${error.status}); check LLM_API_KEY`;
  }
  if (error instanceof APIError && error.status !== undefined) {
    return `model endpoint ${baseUrl} answered HTTP ${error.status}: ${error.message.slice(0, 300)}`;
  }
  return `model endpoint ${baseUrl} failed: ${(error as Error).message}`;
}

/** A failed completion as the client sees it: the model is an upstream, so 502. */
export function modelFailure(error: unknown, baseUrl: string): HttpProblem {
  const status = error instanceof APIError ? error.status : undefined;
  return new HttpProblem(502, "model_failed", describeModelError(error, baseUrl), status === undefined ? undefined : { upstreamStatus: status });
}
