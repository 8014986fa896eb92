/** The environment the RAG service reads, beyond the kit's (HOST, PORT, LOG_LEVEL, OTEL_*). */
import { z } from "zod";
import type { ChunkOptions } from "./chunking";
import type { EmbedderOptions } from "./embeddings";

const int = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

export const ragEnvSchema = z.object({
  /** Directory of the database file (the workload's volume). */
  RAG_DATA_DIR: z.string().min(1).default("/data"),
  /** OpenAI-compatible base URL, e.g. http://ollama:11434/v1. Unset: not ready. */
  EMBEDDING_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Unset: not ready. */
  EMBEDDING_MODEL: z.string().min(1).optional(),
  EMBEDDING_API_KEY: z.string().min(1).optional(),
  EMBEDDING_BATCH_SIZE: int(1, 2048, 32),
  EMBEDDING_MAX_RETRIES: int(0, 10, 3),
  EMBEDDING_TIMEOUT_MS: int(100, 600_000, 30_000),
  EMBEDDING_DOCUMENT_PREFIX: z.string().optional(),
  EMBEDDING_QUERY_PREFIX: z.string().optional(),
  RAG_CHUNK_SIZE_CHARS: int(200, 20_000, 1200),
  RAG_CHUNK_OVERLAP_CHARS: int(0, 10_000, 200),
  RAG_MAX_DOCUMENT_BYTES: int(1024, 64 * 1024 * 1024, 1024 * 1024),
  RAG_SEARCH_DEPTH: int(10, 1000, 30),
  RAG_EXACT_SEARCH_MAX_CHUNKS: int(0, 10_000_000, 20_000),
  RAG_BINARY_OVERSAMPLE: int(1, 64, 4),
});

export type RagEnv = z.infer<typeof ragEnvSchema>;

export interface RagConfig {
  dataDir: string;
  /** Undefined when EMBEDDING_BASE_URL or EMBEDDING_MODEL is missing; `embeddingMissing` says which. */
  embedder?: EmbedderOptions;
  embeddingMissing?: string;
  chunking: ChunkOptions;
  maxDocumentBytes: number;
  searchDepth: number;
  exactSearchMaxChunks: number;
  binaryOversample: number;
}

/** Throws for settings that are valid one by one but not together. */
export function ragConfig(env: RagEnv): RagConfig {
  if (env.RAG_CHUNK_OVERLAP_CHARS * 2 > env.RAG_CHUNK_SIZE_CHARS) {
    throw new Error(
      `RAG_CHUNK_OVERLAP_CHARS (${env.RAG_CHUNK_OVERLAP_CHARS}) must be at most half of RAG_CHUNK_SIZE_CHARS (${env.RAG_CHUNK_SIZE_CHARS})`,
    );
  }
  const missing = [!env.EMBEDDING_BASE_URL && "EMBEDDING_BASE_URL", !env.EMBEDDING_MODEL && "EMBEDDING_MODEL"].filter(Boolean);
  return {
    dataDir: env.RAG_DATA_DIR,
    embedder:
      env.EMBEDDING_BASE_URL && env.EMBEDDING_MODEL
        ? {
            baseURL: env.EMBEDDING_BASE_URL,
            model: env.EMBEDDING_MODEL,
            apiKey: env.EMBEDDING_API_KEY,
            batchSize: env.EMBEDDING_BATCH_SIZE,
            maxRetries: env.EMBEDDING_MAX_RETRIES,
            timeoutMs: env.EMBEDDING_TIMEOUT_MS,
            documentPrefix: env.EMBEDDING_DOCUMENT_PREFIX,
            queryPrefix: env.EMBEDDING_QUERY_PREFIX,
          }
        : undefined,
    embeddingMissing: missing.length > 0 ? `${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not set` : undefined,
    chunking: { maxChars: env.RAG_CHUNK_SIZE_CHARS, overlapChars: env.RAG_CHUNK_OVERLAP_CHARS },
    maxDocumentBytes: env.RAG_MAX_DOCUMENT_BYTES,
    searchDepth: env.RAG_SEARCH_DEPTH,
    exactSearchMaxChunks: env.RAG_EXACT_SEARCH_MAX_CHUNKS,
    binaryOversample: env.RAG_BINARY_OVERSAMPLE,
  };
}
