/** Environment the post-processor reads besides the kit's HOST, PORT, LOG_LEVEL, OTEL_*. */
import path from "node:path";
import { z } from "zod";
import { KUBERNETES_RUNNER_ENV } from "../kubernetes/settings";
import type { S3Settings } from "../storage/s3";
import { DEFAULTS } from "./app";
import { LocalCaseSource, type CaseSource } from "./case/source";

/** The bucket settings have the names the solver's Kubernetes runner reads (one bucket, one set of names). */
const S3 = {
  bucket: KUBERNETES_RUNNER_ENV.bucket,
  region: KUBERNETES_RUNNER_ENV.region,
  endpoint: KUBERNETES_RUNNER_ENV.endpoint,
  forcePathStyle: KUBERNETES_RUNNER_ENV.forcePathStyle,
} as const;

/** Under `CFD_CASES_DIR` with the S3 source; not a case id (those start with a letter or digit). */
export const S3_CACHE_DIR = ".s3-cache";

const MIB = 1024 * 1024;

export const postprocessorEnv = z.object({
  /**
   * Local source: root of the cases (`<dir>/<caseId>/case.json`, `<dir>/<caseId>/sectors/<direction>/…`).
   * Either source: results are written under `<dir>/<caseId>/results/`; with S3, sector files are cached in `<dir>/.s3-cache/`.
   */
  CFD_CASES_DIR: z.string().min(1),
  /** `local`: cases in CFD_CASES_DIR (dev: the solver's volume); `s3`: in the solver's bucket (prod). */
  POST_CASE_SOURCE: z.enum(["local", "s3"]).default("local"),
  /** With `s3`: the bucket and its region, as the solver's. */
  [S3.bucket]: z.string().min(3).optional(),
  [S3.region]: z.string().min(1).optional(),
  /** Another S3-compatible endpoint (MinIO, tests). */
  [S3.endpoint]: z.url().optional(),
  [S3.forcePathStyle]: z.enum(["true", "false"]).default("false"),
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

/** The S3 settings of `POST_CASE_SOURCE=s3`; throws naming every missing variable. Credentials: the SDK's default chain (IRSA in prod). */
export function s3SettingsFromEnv(env: PostprocessorEnv): S3Settings {
  const bucket = env[S3.bucket];
  const region = env[S3.region];
  const missing = [bucket ? undefined : S3.bucket, region ? undefined : S3.region].filter(Boolean);
  if (!bucket || !region) throw new Error(`POST_CASE_SOURCE=s3: ${missing.map((name) => `${name}: required`).join("; ")}`);
  return { bucket, region, endpoint: env[S3.endpoint], forcePathStyle: env[S3.forcePathStyle] === "true" };
}

export interface CaseSources {
  source: CaseSource;
  /** Where results are stored: always the local directory. */
  results: CaseSource;
  close(): void;
}

/** The case source `POST_CASE_SOURCE` names, and the results directory (CFD_CASES_DIR either way). */
export async function caseSourcesFromEnv(env: PostprocessorEnv): Promise<CaseSources> {
  const local = new LocalCaseSource(env.CFD_CASES_DIR);
  if (env.POST_CASE_SOURCE === "local") return { source: local, results: local, close: () => undefined };
  const settings = s3SettingsFromEnv(env);
  // Loaded only here: the S3 client stays out of the local setup.
  const [{ CaseStore }, { S3CaseSource }] = await Promise.all([import("../storage/s3"), import("./case/s3-source")]);
  const store = new CaseStore(settings);
  return {
    source: new S3CaseSource({ store, cacheDir: path.join(env.CFD_CASES_DIR, S3_CACHE_DIR) }),
    results: local,
    close: () => store.destroy(),
  };
}
