/** The mesher API (port 8001): the mesh of a wind case without solving, with checkMesh's verdict. */
import type { DestinationStream } from "pino";
import { createService, type LogLevel, type Service } from "@abode/service-kit";
import { DEFAULT_CONFIG, type CfdConfig } from "../case/config";
import { respondWith } from "../case/http";
import type { CaseJobs } from "../case/jobs";
import { resolveGeometry } from "../case/request";
import { caseView } from "../case/routes";
import { registerCaseService, type CaseServiceSetup } from "../case/service";
import type { CaseRunner } from "../runner/types";
import { MeshRequestSchema } from "./schemas";
import { SERVICE_NAME, SERVICE_VERSION } from "./version";

export async function registerMesherRoutes(service: Service, setup: CaseServiceSetup): Promise<CaseJobs> {
  const cases = await registerCaseService(service, setup, "mesh", "/meshes");
  service.route({
    method: "POST",
    url: "/meshes",
    body: MeshRequestSchema,
    bodyLimitBytes: 1024 * 1024,
    handler: async ({ body, request }) => {
      await cases.assertReady();
      const { mesh, geometry } = await resolveGeometry(body.geometry, cases.uploads);
      const record = await cases.jobs.submit({ request: { directions: [body.direction], meshLevel: body.meshLevel }, buildings: mesh, geometry });
      respondWith(request, 202);
      return caseView(record, "/meshes");
    },
  });
  return cases.jobs;
}

export interface MesherAppOptions extends Partial<Omit<CfdConfig, "casesDir">> {
  casesDir: string;
  runner?: CaseRunner;
  logLevel?: LogLevel;
  logDestination?: DestinationStream;
}

export async function createMesherApp(options: MesherAppOptions): Promise<{ service: Service; jobs: CaseJobs }> {
  const { runner, logLevel, logDestination, ...config } = options;
  const service = createService({ name: SERVICE_NAME, version: SERVICE_VERSION, logLevel, logDestination });
  const jobs = await registerMesherRoutes(service, { config: { ...DEFAULT_CONFIG, ...config }, runner });
  return { service, jobs };
}
