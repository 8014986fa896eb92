/**
 * How a prepared OpenFOAM case directory gets run: as local child processes (dev, tests) or as a
 * Kubernetes Job on the CFD node pool (prod). The solver and mesher APIs only see this interface.
 */
export interface CaseRunner {
  /** Starts `steps` in order in `caseDir`; every log line goes to `onLog`. */
  start(run: RunRequest): RunningCase;
  /**
   * Why runs cannot start now (OpenFOAM missing, cluster unreachable), or nothing when they can;
   * feeds the service's /readyz.
   */
  readiness?(): Promise<string | undefined>;
}

export interface RunRequest {
  caseId: string;
  /** The prepared case (system/, constant/, 0/) on the cases volume. */
  caseDir: string;
  steps: RunStep[];
  /** MPI ranks for parallel steps (decomposePar method `simple`); 1 = serial. */
  processes: number;
  /** Mesh size estimate, used to size the run (Kubernetes requests). */
  estimatedCells: number;
  onLog(line: string): void;
}

export interface RunStep {
  /** OpenFOAM utility or solver, e.g. `blockMesh`, `snappyHexMesh`. */
  command: string;
  args: string[];
  /** Run under MPI with `-parallel` when `processes` > 1. */
  parallel?: boolean;
  /** The step writes `<caseDir>/log.<log>`. @default command */
  log?: string;
}

export interface RunningCase {
  done: Promise<RunOutcome>;
  /** Stops the run (the whole process group / the Job and its pods). */
  cancel(): Promise<void>;
  /**
   * The service is shutting down: stop following the run but let it go on (a Job does not need
   * this process), settling `done` soon. The case is re-queued on the next start and `start` is
   * called again for the same case directory, which should pick the run up. Without `detach`,
   * shutdown cancels the run (local child processes cannot outlive the service's container).
   */
  detach?(): Promise<void>;
}

export type RunOutcome =
  | { status: "succeeded" }
  | { status: "failed"; reason: string; logTail: string[] }
  | { status: "cancelled" };
