/** The service's own environment variables, validated together with the kit's. */
import { z } from "zod";

const int = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

export const ifcEnvSchema = z.object({
  /** Largest accepted upload; a bigger body is refused with 413 while it streams in. */
  IFC_MAX_UPLOAD_MB: int(1, 2048, 200),
  /** web-ifc worker threads, i.e. how many files are processed at once (each holds a model in its own wasm heap). */
  IFC_WORKERS: int(1, 16, 1),
  /**
   * Requests admitted beyond the busy workers (uploading or waiting for a worker). Past
   * workers + this, requests get 503 before their body is read, which bounds buffered uploads.
   */
  IFC_MAX_QUEUE: int(0, 1000, 4),
  /** A file that takes longer is abandoned (its worker is replaced) with 422. */
  IFC_JOB_TIMEOUT_S: int(1, 3600, 120),
  /** wasm memory never shrinks: a worker whose heap grew past this is replaced after its job. */
  IFC_WORKER_RECYCLE_MB: int(16, 4096, 512),
});

export type IfcEnv = z.infer<typeof ifcEnvSchema>;

export interface IfcSettings {
  maxUploadBytes: number;
  workers: number;
  maxQueue: number;
  jobTimeoutMs: number;
  recycleHeapBytes: number;
}

const MIB = 1024 * 1024;

export const DEFAULT_SETTINGS: IfcSettings = settingsFromEnv(ifcEnvSchema.parse({}));

export function settingsFromEnv(env: IfcEnv): IfcSettings {
  return {
    maxUploadBytes: env.IFC_MAX_UPLOAD_MB * MIB,
    workers: env.IFC_WORKERS,
    maxQueue: env.IFC_MAX_QUEUE,
    jobTimeoutMs: env.IFC_JOB_TIMEOUT_S * 1000,
    recycleHeapBytes: env.IFC_WORKER_RECYCLE_MB * MIB,
  };
}
