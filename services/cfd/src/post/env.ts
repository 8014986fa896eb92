/** Environment the post-processor reads besides the kit's HOST, PORT, LOG_LEVEL, OTEL_*. */
import { z } from "zod";
import { DEFAULTS } from "./app";

const MIB = 1024 * 1024;

export const postprocessorEnv = z.object({
  /** Root of the cases: `<dir>/<caseId>/case.json`, `<dir>/<caseId>/sectors/<direction>/…`; results are written under `<dir>/<caseId>/results/`. */
  CFD_CASES_DIR: z.string().min(1),
  /** Parsed-field cache, MiB. */
  POST_FIELD_CACHE_MB: z.coerce.number().int().min(0).max(65536).default(DEFAULTS.cacheBytes / MIB),
  /** Heavy jobs running at once. */
  POST_MAX_ACTIVE_JOBS: z.coerce.number().int().min(1).max(64).default(DEFAULTS.maxActiveJobs),
  /** Heavy jobs waiting before 503. */
  POST_MAX_QUEUED_JOBS: z.coerce.number().int().min(0).max(1000).default(DEFAULTS.maxQueuedJobs),
  /** Most pedestrian-level cells in one comfort result. */
  POST_MAX_RESULT_CELLS: z.coerce.number().int().min(1).max(50_000_000).default(DEFAULTS.maxResultCells),
});

export type PostprocessorEnv = z.infer<typeof postprocessorEnv>;

export function optionsFromEnv(env: PostprocessorEnv) {
  return {
    cacheBytes: env.POST_FIELD_CACHE_MB * MIB,
    maxActiveJobs: env.POST_MAX_ACTIVE_JOBS,
    maxQueuedJobs: env.POST_MAX_QUEUED_JOBS,
    maxResultCells: env.POST_MAX_RESULT_CELLS,
  };
}
