/** The solver API (port 8000): wind cases on OpenFOAM (simpleFoam, k-epsilon, ABL inlet). */
import type { DestinationStream } from "pino";
import { createService, type LogLevel, type Service } from "@abode/service-kit";
import { DEFAULT_CONFIG, type CfdConfig } from "../case/config";
import { respondWith } from "../case/http";
import type { CaseJobs } from "../case/jobs";
import { resolveGeometry } from "../case/request";
import { caseView } from "../case/routes";
import { registerCaseService, type CaseServiceSetup } from "../case/service";
import { TERRAIN_ROUGHNESS } from "../case/wind";
import type { CaseRunner } from "../runner/types";
import { SolveRequestSchema } from "./schemas";
import { SERVICE_NAME, SERVICE_VERSION } from "./version";

/** Registers the solver's routes and readiness; re-queues cases a previous run left unfinished. */
export async function registerSolverRoutes(service: Service, setup: CaseServiceSetup): Promise<CaseJobs> {
  const cases = await registerCaseService(service, setup, "solve", "/cases");
  service.route({
    method: "POST",
    url: "/cases",
    body: SolveRequestSchema,
    bodyLimitBytes: 1024 * 1024,
    handler: async ({ body, request }) => {
      await cases.assertReady();
      const { mesh, geometry } = await resolveGeometry(body.geometry, cases.uploads);
      const record = await cases.jobs.submit({
        request: {
          directions: body.directions,
          meshLevel: body.meshLevel,
          referenceSpeed: body.referenceSpeed,
          referenceHeight: body.referenceHeight,
          z0: body.z0 ?? TERRAIN_ROUGHNESS[body.terrain!],
          terrain: body.terrain,
          iterations: body.iterations,
          residualTarget: body.residualTarget,
        },
        buildings: mesh,
        geometry,
      });
      respondWith(request, 202);
      return caseView(record, "/cases");
    },
  });
  return cases.jobs;
}

export interface SolverAppOptions extends Partial<Omit<CfdConfig, "casesDir">> {
  casesDir: string;
  /** @default local child processes */
  runner?: CaseRunner;
  logLevel?: LogLevel;
  logDestination?: DestinationStream;
}

/** The solver as a kit service, not yet listening: for tests and for composing an end-to-end run. */
export async function createSolverApp(options: SolverAppOptions): Promise<{ service: Service; jobs: CaseJobs }> {
  const { runner, logLevel, logDestination, ...config } = options;
  const service = createService({ name: SERVICE_NAME, version: SERVICE_VERSION, logLevel, logDestination });
  const jobs = await registerSolverRoutes(service, { config: { ...DEFAULT_CONFIG, ...config }, runner });
  return { service, jobs };
}
