/**
 * Embeddings through any OpenAI-compatible `/embeddings` endpoint (OpenAI, Ollama, vLLM) with
 * the `openai` client: inputs go in batches, 408/409/429/5xx and connection failures are retried
 * by the client with exponential backoff (honouring `retry-after`), and every answer is checked
 * (one finite vector per input, all of one length, none zero) before anything uses it.
 */
import OpenAI, { APIConnectionError, APIError } from "openai";
import type { EmbeddingSpace } from "./store";

export interface EmbedderOptions {
  baseURL: string;
  model: string;
  /** Sent as a bearer token; Ollama ignores it. */
  apiKey?: string;
  /** Inputs per request. */
  batchSize: number;
  /** Retries per request after the first attempt. */
  maxRetries: number;
  timeoutMs: number;
  /** Prepended to document chunks / queries, for models trained with task prefixes (nomic-embed-text). */
  documentPrefix?: string;
  queryPrefix?: string;
}

export type EmbeddingFailure =
  /** The endpoint could not be reached (refused, reset, timed out) — 503. */
  | "unreachable"
  /** It answered with an error status after the retries — 502. */
  | "upstream_error"
  /** It answered 2xx with something that is not one valid vector per input — 502. */
  | "invalid_response";

export class EmbeddingError extends Error {
  constructor(
    readonly failure: EmbeddingFailure,
    message: string,
    readonly upstreamStatus?: number,
  ) {
    super(message);
    this.name = "EmbeddingError";
  }
}

export interface Embedded {
  vectors: Float32Array[];
  space: EmbeddingSpace;
}

/** One finite, non-zero vector per input, all of one length; throws an invalid_response otherwise. */
export function checkEmbeddings(data: readonly { index?: number; embedding: unknown }[], inputs: number): Float32Array[] {
  const invalid = (why: string) => new EmbeddingError("invalid_response", `The embedding endpoint's answer is unusable: ${why}.`);
  if (!Array.isArray(data) || data.length !== inputs) throw invalid(`${Array.isArray(data) ? data.length : "no"} vectors for ${inputs} inputs`);
  const ordered = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const vectors = ordered.map((item, i) => {
    const values = item.embedding;
    if (!Array.isArray(values) && !(values instanceof Float32Array)) throw invalid(`vector ${i} is not an array of numbers`);
    const vector = Float32Array.from(values as ArrayLike<number>);
    let norm = 0;
    for (const v of vector) {
      if (!Number.isFinite(v)) throw invalid(`vector ${i} holds a non-finite number`);
      norm += v * v;
    }
    if (norm === 0) throw invalid(`vector ${i} is all zeros`);
    return vector;
  });
  const dimensions = vectors[0]?.length ?? 0;
  if (dimensions === 0) throw invalid("empty vectors");
  if (vectors.some((v) => v.length !== dimensions)) throw invalid("vectors of different lengths");
  return vectors;
}

export class Embedder {
  readonly model: string;
  private readonly client: OpenAI;

  constructor(private readonly options: EmbedderOptions) {
    this.model = options.model;
    this.client = new OpenAI({
      baseURL: options.baseURL,
      // The client insists on a key; keyless local servers (Ollama) ignore whatever is sent.
      apiKey: options.apiKey ?? "not-needed",
      maxRetries: options.maxRetries,
      timeout: options.timeoutMs,
      // These are server-side calls; never pick up OPENAI_* settings from the environment.
      organization: null,
      project: null,
    });
  }

  private async request(inputs: string[], retries?: number): Promise<Float32Array[]> {
    try {
      const response = await this.client.embeddings.create(
        // Explicit floats: not every compatible server implements OpenAI's base64 default.
        { model: this.options.model, input: inputs, encoding_format: "float" },
        retries === undefined ? undefined : { maxRetries: retries },
      );
      return checkEmbeddings(response.data, inputs.length);
    } catch (error) {
      if (error instanceof EmbeddingError) throw error;
      if (error instanceof APIConnectionError) {
        throw new EmbeddingError("unreachable", `The embedding endpoint ${this.options.baseURL} is unreachable: ${error.message}`);
      }
      if (error instanceof APIError) {
        throw new EmbeddingError(
          "upstream_error",
          `The embedding endpoint answered ${error.status ?? "an error"} for model "${this.options.model}": ${error.message}`,
          error.status,
        );
      }
      throw error;
    }
  }

  private finish(vectors: Float32Array[]): Embedded {
    const dimensions = vectors[0]!.length;
    if (vectors.some((v) => v.length !== dimensions)) {
      throw new EmbeddingError("invalid_response", "The embedding endpoint returned vectors of different lengths in different batches.");
    }
    return { vectors, space: { model: this.options.model, dimensions } };
  }

  /** Embeds document chunks, batch after batch; any failed batch fails the whole call. */
  async embedDocuments(texts: readonly string[]): Promise<Embedded> {
    const prefix = this.options.documentPrefix ?? "";
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.options.batchSize) {
      const batch = texts.slice(start, start + this.options.batchSize).map((t) => prefix + t);
      vectors.push(...(await this.request(batch)));
    }
    return this.finish(vectors);
  }

  async embedQuery(text: string): Promise<{ vector: Float32Array; space: EmbeddingSpace }> {
    const embedded = this.finish(await this.request([(this.options.queryPrefix ?? "") + text]));
    return { vector: embedded.vectors[0]!, space: embedded.space };
  }

  /** One short embedding without retries: is the endpoint up, does it know the model, which space is it. */
  async probe(): Promise<EmbeddingSpace> {
    return this.finish(await this.request(["readiness probe"], 0)).space;
  }
}
