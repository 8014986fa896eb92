import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { createService } from "@abode/service-kit";
import { embedderFor, registerRagRoutes } from "../src/app";
import type { EmbedderOptions } from "../src/embeddings";
import { RagStore } from "../src/store";
import { TEST_MODEL } from "./embedding-server";

export interface RagOptions {
  dataDir: string;
  /** The embedding server's base URL; omit for a service without an endpoint configured. */
  baseURL?: string;
  model?: string;
  embedder?: Partial<EmbedderOptions>;
  chunkChars?: number;
  overlapChars?: number;
  maxDocumentBytes?: number;
  exactSearchMaxChunks?: number;
}

export interface Answer {
  status: number;
  body: any;
}

/** The real service on a loopback port over a store in `dataDir`, logs discarded. */
export async function startRag(options: RagOptions) {
  const service = createService({ name: "rag", version: "test", logDestination: new Writable({ write: (_c, _e, done) => done() }) });
  const store = RagStore.open(options.dataDir, { exactSearchMaxChunks: options.exactSearchMaxChunks });
  const embedder = options.baseURL
    ? embedderFor({ baseURL: options.baseURL, model: options.model ?? TEST_MODEL, batchSize: 8, maxRetries: 2, timeoutMs: 5_000, ...options.embedder })
    : undefined;
  registerRagRoutes(service, {
    store,
    embedder,
    embeddingMissing: options.baseURL ? undefined : "EMBEDDING_BASE_URL is not set",
    chunking: { maxChars: options.chunkChars ?? 400, overlapChars: options.overlapChars ?? 100 },
    maxDocumentBytes: options.maxDocumentBytes ?? 256 * 1024,
    searchDepth: 50,
    probeCache: { okForMs: 0, failedForMs: 0 },
  });
  const { url } = await service.listen({ host: "127.0.0.1", port: 0 });
  const call = async (method: string, route: string, body?: unknown): Promise<Answer> => {
    const res = await fetch(`${url}${route}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    url,
    store,
    get: (route: string) => call("GET", route),
    post: (route: string, body: unknown) => call("POST", route, body),
    put: (route: string, body: unknown) => call("PUT", route, body),
    del: (route: string) => call("DELETE", route),
    search: (body: Record<string, unknown>) => call("POST", "/search", body),
    close: () => service.close(),
  };
}

export type Rag = Awaited<ReturnType<typeof startRag>>;

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), "rag-test-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
