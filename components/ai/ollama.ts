import type { Resources, WorkloadSpec } from "../workload/spec";

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
  };
}

/**
 * A one-shot job that pulls the configured models through the server's API, so the first
 * request does not wait for a multi-gigabyte download.
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
