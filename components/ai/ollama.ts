import { publicHttpsEgress, type Resources, type WorkloadSpec } from "../workload/spec";

/*
 * Ollama or vLLM for the small-model serving on the GPU pool: Ollama.
 *
 * - What the product needs is a small chat model and an embedding model (config `models.chat`,
 *   `models.embedding`, e.g. llama3.2:3b and nomic-embed-text) behind an OpenAI-compatible API.
 *   Ollama serves both kinds from one process (`/v1/chat/completions`, `/v1/embeddings`); vLLM
 *   serves one model per server process, so two models mean two pods and, in practice, two GPUs
 *   (or hand-tuned `--gpu-memory-utilization` splits of one).
 * - Many models on one GPU: Ollama loads models on demand, keeps several resident while VRAM
 *   allows (OLLAMA_MAX_LOADED_MODELS) and evicts idle ones (OLLAMA_KEEP_ALIVE). A g5.xlarge (24 GB
 *   A10G) holds the chat and embedding models together with room to spare. vLLM preallocates
 *   most of the GPU's memory for one model's KV cache.
 * - Quantized GGUF models (4-bit) keep small models small; vLLM is at its best with full or
 *   AWQ/GPTQ weights and high concurrency, which is not this workload (a few designers'
 *   requests, not thousands of tokens per second).
 * - The same spec runs in dev (Docker) and prod (GPU pool): prod/dev parity.
 * What vLLM would win: throughput under heavy concurrent load (continuous batching,
 * PagedAttention). If one model's traffic ever dominates, that model can move to vLLM behind
 * the same OpenAI-compatible API without the services noticing.
 */

/** Ollama, the small-model server (OpenAI-compatible API on 11434). */
export const OLLAMA_IMAGE = { repository: "ollama/ollama", tag: "0.12.10" } as const;
const UID = 10001;
const MODELS_DIR = "/models";

export interface OllamaArgs {
  /** Models pulled into the cache at `pulumi up` (by the `ollama-pull` job). */
  models: string[];
  /** Give it a GPU where the host has one. @default false */
  gpu?: boolean;
  /** @default { cpu: 4, memoryMiB: 8192 } */
  resources?: Resources;
  /** @default 100 */
  cacheSizeGiB?: number;
}

export function ollamaWorkload(args: OllamaArgs): WorkloadSpec {
  return {
    name: "ollama",
    component: "ai",
    version: OLLAMA_IMAGE.tag,
    image: { kind: "pinned", ...OLLAMA_IMAGE },
    args: ["serve"],
    ports: [{ name: "http", containerPort: 11434 }],
    // The image runs as root with its cache under /root; we run it as a plain user instead.
    env: { OLLAMA_HOST: "0.0.0.0:11434", OLLAMA_MODELS: MODELS_DIR, HOME: "/tmp" },
    configFiles: [],
    volumes: [{ name: "models", mountPath: MODELS_DIR, sizeGiB: args.cacheSizeGiB ?? 100 }],
    health: {
      http: { port: 11434, path: "/api/version" },
      // The image has no curl or wget; `ollama list` is a real request to the server's API.
      command: ["CMD", "ollama", "list"],
      startPeriodSeconds: 20,
    },
    resources: args.resources ?? { cpu: 4, memoryMiB: 8192 },
    gpu: args.gpu ? { count: 1 } : undefined,
    security: { runAsUser: UID, runAsGroup: UID, writablePaths: ["/tmp"] },
    dependsOn: [],
    externalEgress: [publicHttpsEgress("pulls models from the Ollama registry over HTTPS")],
  };
}

/**
 * A one-shot job that pulls the configured models through the server's API, so the first
 * request does not wait for a multi-gigabyte download: a container in dev, a Kubernetes Job in
 * prod (the model cache is the server's volume). Model names are quoted, never spliced raw into
 * the shell.
 */
export function ollamaPullJob(args: Pick<OllamaArgs, "models">): WorkloadSpec {
  return {
    name: "ollama-pull",
    component: "ai",
    kind: "job",
    version: OLLAMA_IMAGE.tag,
    image: { kind: "pinned", ...OLLAMA_IMAGE },
    command: ["/bin/sh", "-c", args.models.map((m) => `ollama pull ${shellQuote(m)}`).join(" && ")],
    ports: [],
    env: { OLLAMA_HOST: "http://ollama:11434", HOME: "/tmp" },
    configFiles: [],
    volumes: [],
    health: { command: ["CMD", "ollama", "list"] },
    resources: { cpu: 0.5, memoryMiB: 256 },
    security: { runAsUser: UID, runAsGroup: UID, writablePaths: ["/tmp"] },
    dependsOn: ["ollama"],
  };
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
