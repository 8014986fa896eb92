/**
 * The IFC service's workload spec, consumed by the stacks (stacks/workloads.ts).
 * Its image is `services/ifc/Dockerfile`, built with the repository root as context.
 */
import { appServiceWorkload } from "../../components/workload/app-service";
import type { Resources, WorkloadSpec } from "../../components/workload/spec";

export const IFC_PORT = 8004;

/**
 * Two cores (one web-ifc worker thread busy on a file, one for HTTP, uploads and GC) and
 * 2 GiB: the process peaks near 370 MiB on the 2.6 MB AC20-FZK-Haus.ifc (web-ifc's code alone
 * is ~70 MiB per worker), web-ifc needs several times a file's size while it works, and up to
 * workers + queue uploads (200 MB each by default) are held in memory. Raise memory together
 * with `maxUploadMb`, `workers` or `maxQueue`.
 */
export const IFC_DEFAULT_RESOURCES: Resources = { cpu: 2, memoryMiB: 2048, requests: { cpu: 0.5, memoryMiB: 512 } };

export interface IfcWorkloadArgs {
  version: string;
  /** OTLP/HTTP base URL traces go to, e.g. http://otel-collector:4318. */
  otlpEndpoint: string;
  /** @default IFC_DEFAULT_RESOURCES */
  resources?: Resources;
  /** Largest accepted upload, MB (`IFC_MAX_UPLOAD_MB`). @default 200 */
  maxUploadMb?: number;
  /** web-ifc worker threads, i.e. files processed at once (`IFC_WORKERS`). @default 1 */
  workers?: number;
  /** Requests admitted beyond the busy workers before 503 (`IFC_MAX_QUEUE`). @default 4 */
  maxQueue?: number;
  /** Per-file processing limit in seconds (`IFC_JOB_TIMEOUT_S`). @default 120 */
  jobTimeoutSeconds?: number;
  /** Replace a worker whose wasm heap grew past this, MiB (`IFC_WORKER_RECYCLE_MB`). @default 512 */
  workerRecycleMb?: number;
}

export function ifcWorkload(args: IfcWorkloadArgs): WorkloadSpec {
  return appServiceWorkload({
    name: "ifc",
    component: "app",
    port: IFC_PORT,
    version: args.version,
    otlpEndpoint: args.otlpEndpoint,
    resources: args.resources ?? IFC_DEFAULT_RESOURCES,
    // Only what the stack chose; the service's own defaults (src/settings.ts) apply otherwise.
    env: Object.fromEntries(
      (
        [
          ["IFC_MAX_UPLOAD_MB", args.maxUploadMb],
          ["IFC_WORKERS", args.workers],
          ["IFC_MAX_QUEUE", args.maxQueue],
          ["IFC_JOB_TIMEOUT_S", args.jobTimeoutSeconds],
          ["IFC_WORKER_RECYCLE_MB", args.workerRecycleMb],
        ] as const
      )
        .filter(([, value]) => value !== undefined)
        .map(([name, value]) => [name, String(value)]),
    ),
  });
}
