/** Routes of the RAG service: thin handlers over chunking, the embedder, the store and search. */
import { randomUUID } from "node:crypto";
import { HttpProblem, fieldProblems, unprocessable, type RouteContext, type Service } from "@abode/service-kit";
import type { z } from "zod";
import { chunkDocument, type ChunkOptions, type DocumentFormat } from "./chunking";
import { Embedder, EmbeddingError, type EmbedderOptions } from "./embeddings";
import { cachedProbe } from "./probe-cache";
import { DocumentId, ListQuery, SearchBody, documentBody } from "./schemas";
import { hybridSearch } from "./search";
import { DocumentExistsError, RagStore, SpaceMismatchError, type EmbeddingSpace, type Metadata } from "./store";

export interface RagDependencies {
  store: RagStore;
  /** Absent when the embedding endpoint is not configured; `embeddingMissing` says why. */
  embedder?: Embedder;
  embeddingMissing?: string;
  chunking: ChunkOptions;
  maxDocumentBytes: number;
  searchDepth: number;
  /** How long a readiness probe's answer is reused. @default { okForMs: 15000, failedForMs: 2000 } */
  probeCache?: { okForMs: number; failedForMs: number };
}

type RequestLog = RouteContext<unknown>["log"];

interface DocumentInput {
  text: string;
  format: DocumentFormat;
  metadata: Metadata;
}

export function embedderFor(options: EmbedderOptions | undefined): Embedder | undefined {
  return options ? new Embedder(options) : undefined;
}

/** An embedding failure as the client sees it: unreachable → 503, a bad upstream answer → 502. */
export function embeddingProblem(error: EmbeddingError): HttpProblem {
  switch (error.failure) {
    case "unreachable":
      return new HttpProblem(503, "embedding_unavailable", error.message);
    case "upstream_error":
      return new HttpProblem(502, "embedding_failed", error.message, { upstreamStatus: error.upstreamStatus ?? null });
    case "invalid_response":
      return new HttpProblem(502, "embedding_invalid", error.message);
  }
}

const spaceProblem = (message: string) => new HttpProblem(503, "embedding_space_mismatch", `Embeddings unusable: ${message}.`);

function badRequest(error: z.ZodError, what: string): HttpProblem {
  const fields = fieldProblems(error);
  return new HttpProblem(400, "invalid_request", `Invalid ${what}: ${fields.map((f) => f.field).join(", ")}`, { fields });
}

function pathId(params: unknown): string {
  const parsed = DocumentId.safeParse((params as { id?: unknown }).id);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => ({ field: "id", message: issue.message }));
    throw new HttpProblem(400, "invalid_request", "Invalid path parameter: id", { fields });
  }
  return parsed.data;
}

export function registerRagRoutes(service: Service, deps: RagDependencies): void {
  const { store, embedder } = deps;

  const requireEmbedder = (): Embedder => {
    if (!embedder) throw new HttpProblem(503, "embedding_not_configured", `No embedding endpoint: ${deps.embeddingMissing ?? "not configured"}.`);
    return embedder;
  };
  const embedding = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof EmbeddingError) throw embeddingProblem(error);
      throw error;
    }
  };
  const checkSpace = (space: EmbeddingSpace) => {
    const problem = store.spaceProblem(space);
    if (problem) throw spaceProblem(problem);
  };

  const probeEmbeddings = embedder
    ? cachedProbe(() => embedder.probe(), deps.probeCache ?? { okForMs: 15_000, failedForMs: 2_000 })
    : undefined;

  service.addReadinessCheck({
    name: "database",
    check: () => {
      try {
        store.ping();
        return undefined;
      } catch (error) {
        return `cannot query ${store.file}: ${(error as Error).message}`;
      }
    },
  });
  service.addReadinessCheck({
    name: "embeddings",
    check: async () => {
      if (!probeEmbeddings) return deps.embeddingMissing ?? "not configured";
      try {
        return store.spaceProblem(await probeEmbeddings());
      } catch (error) {
        if (error instanceof EmbeddingError) return error.message;
        throw error;
      }
    },
  });
  service.app.addHook("onClose", async () => store.close());

  const ingest = async (body: DocumentInput, id: string, replace: boolean, log: RequestLog) => {
    if (!replace && store.hasDocument(id)) throw new DocumentExistsError(id);
    const chunks = chunkDocument(body.text, body.format, deps.chunking);
    if (chunks.length === 0) throw unprocessable("The document has no text to index once its markup is removed.", { field: "text" });
    const model = requireEmbedder();
    const started = Date.now();
    const { vectors, space } = await embedding(() => model.embedDocuments(chunks.map((c) => (c.heading ? `${c.heading}\n${c.text}` : c.text))));
    const embeddedMs = Date.now() - started;
    checkSpace(space);
    const summary = store.insertDocument(
      { id, format: body.format, text: body.text, metadata: body.metadata },
      chunks.map((c, i) => ({ heading: c.heading, text: c.text, embedding: vectors[i]! })),
      space,
      { replace },
    );
    log.info({ document_id: id, chunks: chunks.length, embed_ms: embeddedMs, store_ms: Date.now() - started - embeddedMs }, "document stored");
    return { ...summary, embedding: space };
  };
  const storeErrors = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DocumentExistsError) throw new HttpProblem(409, "document_exists", error.message, { id: error.documentId });
      if (error instanceof SpaceMismatchError) throw spaceProblem(error.message);
      throw error;
    }
  };

  const bodyLimitBytes = deps.maxDocumentBytes;
  const DocumentBody = documentBody(deps.maxDocumentBytes);

  service.route({
    method: "POST",
    url: "/documents",
    body: DocumentBody,
    bodyLimitBytes,
    handler: ({ body, log }) => storeErrors(() => ingest(body, body.id ?? randomUUID(), false, log)),
  });

  service.route({
    method: "PUT",
    url: "/documents/:id",
    body: DocumentBody.omit({ id: true }),
    bodyLimitBytes,
    handler: ({ body, request, log }) => storeErrors(() => ingest(body, pathId(request.params), true, log)),
  });

  service.route({
    method: "GET",
    url: "/documents",
    handler: ({ request }) => {
      const query = ListQuery.safeParse(request.query ?? {});
      if (!query.success) throw badRequest(query.error, "query");
      return { ...store.listDocuments(query.data.limit, query.data.offset), limit: query.data.limit, offset: query.data.offset, embedding: store.space() ?? null };
    },
  });

  service.route({
    method: "GET",
    url: "/documents/:id",
    handler: ({ request }) => {
      const id = pathId(request.params);
      const document = store.getDocument(id);
      if (!document) throw new HttpProblem(404, "document_not_found", `No document ${id}.`, { id });
      return document;
    },
  });

  service.route({
    method: "DELETE",
    url: "/documents/:id",
    handler: ({ request }) => {
      const id = pathId(request.params);
      const removed = store.deleteDocument(id);
      if (!removed) throw new HttpProblem(404, "document_not_found", `No document ${id}.`, { id });
      return { id, deleted: true, chunks: removed.chunks };
    },
  });

  service.route({
    method: "POST",
    url: "/search",
    body: SearchBody,
    bodyLimitBytes: 32 * 1024,
    handler: async ({ body }) => {
      let queryVector: Float32Array | undefined;
      if (body.mode !== "bm25") {
        const model = requireEmbedder();
        const embedded = await embedding(() => model.embedQuery(body.query));
        checkSpace(embedded.space);
        queryVector = embedded.vector;
      }
      const output = hybridSearch(store, { query: body.query, queryVector, k: body.k, depth: Math.max(deps.searchDepth, body.k), mode: body.mode, filter: body.filter });
      return { query: body.query, mode: body.mode, k: body.k, ...output };
    },
  });
}
