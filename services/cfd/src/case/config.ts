/** The environment the solver and mesher read besides the kit's HOST, PORT, LOG_LEVEL, OTEL_*. */
import { z } from "zod";

const MIB = 1024 * 1024;

export const cfdEnv = z.object({
  /** Root of the cases volume: `<dir>/<caseId>/case.json`, `<dir>/<caseId>/sectors/<direction>/`, uploads in `<dir>/uploads/`. */
  CFD_CASES_DIR: z.string().min(1),
  /** Cases whose mesh estimate exceeds this many cells are refused (422). */
  CFD_MAX_CELLS: z.coerce.number().int().min(1000).default(2_000_000),
  /** Cases running at once. */
  CFD_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  /** Cases waiting at most; more is 503. */
  CFD_MAX_QUEUED: z.coerce.number().int().min(0).max(10_000).default(16),
  /** MPI ranks per run (decomposePar method simple); 1 = serial. */
  CFD_PROCESSES: z.coerce.number().int().min(1).max(1024).default(1),
  /** A sector running longer fails the case. */
  CFD_RUN_TIMEOUT_SECONDS: z.coerce.number().int().min(10).default(21_600),
  /** Largest geometry upload, MiB. */
  CFD_MAX_UPLOAD_MB: z.coerce.number().min(1).max(2048).default(64),
  /** `local`: child processes here; `kubernetes`: a Job per run on the CFD pool (solver only; see src/kubernetes). */
  CFD_RUNNER: z.enum(["local", "kubernetes"]).default("local"),
  /** The OpenFOAM installation (its etc/ holds the tools' defaults). */
  WM_PROJECT_DIR: z.string().min(1).default("/usr/share/openfoam"),
});

export type CfdEnv = z.infer<typeof cfdEnv>;

export interface CfdConfig {
  casesDir: string;
  maxCells: number;
  concurrency: number;
  maxQueued: number;
  processes: number;
  runTimeoutSeconds: number;
  maxUploadBytes: number;
  openfoamDir: string;
}

export const DEFAULT_CONFIG: Omit<CfdConfig, "casesDir"> = {
  maxCells: 2_000_000,
  concurrency: 1,
  maxQueued: 16,
  processes: 1,
  runTimeoutSeconds: 21_600,
  maxUploadBytes: 64 * MIB,
  openfoamDir: "/usr/share/openfoam",
};

export function configFromEnv(env: CfdEnv): CfdConfig {
  return {
    casesDir: env.CFD_CASES_DIR,
    maxCells: env.CFD_MAX_CELLS,
    concurrency: env.CFD_CONCURRENCY,
    maxQueued: env.CFD_MAX_QUEUED,
    processes: env.CFD_PROCESSES,
    runTimeoutSeconds: env.CFD_RUN_TIMEOUT_SECONDS,
    maxUploadBytes: Math.round(env.CFD_MAX_UPLOAD_MB * MIB),
    openfoamDir: env.WM_PROJECT_DIR,
  };
}
