/**
 * The RAG service's workload spec, consumed by the stacks (stacks/workloads.ts).
 * Its image is `services/rag/Dockerfile`, built with the repository root as context.
 */
import type * as pulumi from "@pulumi/pulumi";
import { appServiceWorkload } from "../../components/workload/app-service";
import { publicHttpsEgress, type Resources, type WorkloadSpec } from "../../components/workload/spec";

export const RAG_PORT = 8007;

/** Where the database lives inside the container (the data volume's mount path). */
export const RAG_DATA_PATH = "/data";

/**
 * One core and 1 GiB: a search is single-threaded (an exact or binary-code scan of the
 * vectors plus BM25), and at 100,000 chunks of 384-d vectors the database is ~400 MiB, read
 * through a memory map that the kernel may keep in page cache within this limit.
 */
export const RAG_DEFAULT_RESOURCES: Resources = { cpu: 1, memoryMiB: 1024, requests: { cpu: 0.25, memoryMiB: 512 } };

/** Volume size: ~4 KiB per chunk (text, FTS index, float32 vector, binary code) at 384-d, with headroom. */
export const RAG_DEFAULT_VOLUME_GIB = 5;

export interface RagWorkloadArgs {
  version: string;
  /** OTLP/HTTP base URL traces go to, e.g. http://otel-collector:4318. */
  otlpEndpoint: string;
  /** OpenAI-compatible base URL of the embedding endpoint, e.g. http://ollama:11434/v1. */
  embeddingBaseUrl: string;
  /** Embedding model name at that endpoint, e.g. `nomic-embed-text` or `all-minilm`. */
  embeddingModel: string;
  /** Bearer key for the endpoint (a Pulumi secret); omit for keyless servers such as Ollama. */
  embeddingApiKey?: pulumi.Input<string>;
  /** Inputs per embeddings request. @default 32 (the service's default) */
  embeddingBatchSize?: number;
  /** Task prefixes for models trained with them. @default the model's own ({@link TASK_PREFIXES}), else none */
  embeddingDocumentPrefix?: string;
  embeddingQueryPrefix?: string;
  /** The endpoint is outside the cluster (prod egress opens HTTPS to public addresses). @default false */
  externalModelEndpoint?: boolean;
  /** Names of workloads that must be healthy first (the small-model server in dev). @default [] */
  dependsOn?: string[];
  /** @default RAG_DEFAULT_VOLUME_GIB */
  volumeSizeGiB?: number;
  /** @default RAG_DEFAULT_RESOURCES */
  resources?: Resources;
}

/** Models trained with task prefixes: without them, retrieval quality drops noticeably. */
export const TASK_PREFIXES: Record<string, { document: string; query: string }> = {
  "nomic-embed-text": { document: "search_document: ", query: "search_query: " },
};

/** The service's own variables for these args (pure, so the stacks and tests can check them). */
export function ragEnvironment(args: RagWorkloadArgs): Record<string, pulumi.Input<string>> {
  const env: Record<string, pulumi.Input<string>> = {
    RAG_DATA_DIR: RAG_DATA_PATH,
    EMBEDDING_BASE_URL: args.embeddingBaseUrl,
    EMBEDDING_MODEL: args.embeddingModel,
  };
  if (args.embeddingApiKey !== undefined) env.EMBEDDING_API_KEY = args.embeddingApiKey;
  if (args.embeddingBatchSize !== undefined) env.EMBEDDING_BATCH_SIZE = String(args.embeddingBatchSize);
  const known = TASK_PREFIXES[args.embeddingModel.split(":")[0]!];
  const documentPrefix = args.embeddingDocumentPrefix ?? known?.document;
  const queryPrefix = args.embeddingQueryPrefix ?? known?.query;
  if (documentPrefix) env.EMBEDDING_DOCUMENT_PREFIX = documentPrefix;
  if (queryPrefix) env.EMBEDDING_QUERY_PREFIX = queryPrefix;
  return env;
}

export function ragWorkload(args: RagWorkloadArgs): WorkloadSpec {
  return appServiceWorkload({
    name: "rag",
    component: "app",
    port: RAG_PORT,
    version: args.version,
    otlpEndpoint: args.otlpEndpoint,
    resources: args.resources ?? RAG_DEFAULT_RESOURCES,
    env: ragEnvironment(args),
    volumes: [{ name: "data", mountPath: RAG_DATA_PATH, sizeGiB: args.volumeSizeGiB ?? RAG_DEFAULT_VOLUME_GIB }],
    dependsOn: args.dependsOn ?? [],
    singleReplica: "its documents live in one SQLite database on its own ReadWriteOnce volume; a second replica would hold other documents",
    externalEgress: args.externalModelEndpoint
      ? [publicHttpsEgress("calls the external OpenAI-compatible embedding endpoint configured as models.endpoint")]
      : undefined,
  });
}
