/** What the solver and the mesher wire the same way: stores, runner, jobs, uploads, shared routes. */
import { mkdir } from "node:fs/promises";
import { HttpProblem, type Service } from "@abode/service-kit";
import { registerGeometryRoutes } from "../geometry/routes";
import { GeometryStore } from "../geometry/store";
import { createLocalRunner } from "../runner/local";
import type { CaseRunner } from "../runner/types";
import type { CfdConfig } from "./config";
import { enableResponseStatus } from "./http";
import { CaseJobs } from "./jobs";
import { CaseStore, type CaseKind, type RecordMirror } from "./record";
import { registerCaseRoutes, registerReadiness } from "./routes";

export interface CaseServiceSetup {
  config: CfdConfig;
  /** @default child processes on this machine (`createLocalRunner`) */
  runner?: CaseRunner;
  /** Told of every case.json written (the solver publishes them to S3 with the Kubernetes runner). @default none */
  recordMirror?: RecordMirror;
}

const SERIAL_TOOLS = ["blockMesh", "surfaceFeatureExtract", "snappyHexMesh", "checkMesh", "simpleFoam", "postProcess"];
const PARALLEL_TOOLS = ["mpirun", "decomposePar", "reconstructPar", "reconstructParMesh"];

export function defaultRunner(config: CfdConfig): CaseRunner {
  return createLocalRunner({ openfoamDir: config.openfoamDir, requiredTools: config.processes > 1 ? [...SERIAL_TOOLS, ...PARALLEL_TOOLS] : SERIAL_TOOLS });
}

export interface CaseService {
  jobs: CaseJobs;
  uploads: GeometryStore;
  /** 503 with the reason when runs cannot start (no OpenFOAM, cluster unreachable). */
  assertReady(): Promise<void>;
}

export async function registerCaseService(service: Service, setup: CaseServiceSetup, kind: CaseKind, base: "/cases" | "/meshes"): Promise<CaseService> {
  const { config } = setup;
  await mkdir(config.casesDir, { recursive: true });
  const runner = setup.runner ?? defaultRunner(config);
  const jobs = new CaseJobs({
    store: new CaseStore(config.casesDir, setup.recordMirror),
    kind,
    runner,
    concurrency: config.concurrency,
    maxQueued: config.maxQueued,
    sectorTimeoutMs: config.runTimeoutSeconds * 1000,
    processes: config.processes,
    maxCells: config.maxCells,
    log: service.log,
  });
  const uploads = new GeometryStore(config.casesDir);
  enableResponseStatus(service);
  registerGeometryRoutes(service, uploads, config.maxUploadBytes);
  registerCaseRoutes(service, jobs, base);
  registerReadiness(service, runner, config.casesDir);
  // Shutdown stops running cases; they are re-queued on the next start.
  service.app.addHook("onClose", async () => jobs.close());
  await jobs.recover();
  return {
    jobs,
    uploads,
    async assertReady() {
      const reason = await runner.readiness?.();
      if (reason) throw new HttpProblem(503, "not_ready", `Cannot run cases now: ${reason}`, { reason });
    },
  };
}
