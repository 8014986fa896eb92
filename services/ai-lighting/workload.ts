/**
 * The AI lighting service's workload spec, consumed by the stacks (stacks/workloads.ts).
 * Its image is `services/ai-lighting/Dockerfile`, built with the repository root as context.
 */
import { appServiceWorkload } from "../../components/workload/app-service";
import type { Resources, WorkloadSpec } from "../../components/workload/spec";

export const AI_LIGHTING_PORT = 8005;

/**
 * One core and 512 MiB: a request is single-threaded CPU work (an /analyze takes
 * milliseconds, an /optimize up to about a second), and the heap stays well under 200 MiB.
 */
export const AI_LIGHTING_DEFAULT_RESOURCES: Resources = { cpu: 1, memoryMiB: 512, requests: { cpu: 0.25, memoryMiB: 256 } };

export interface AiLightingWorkloadArgs {
  version: string;
  /** OTLP/HTTP base URL traces go to, e.g. http://otel-collector:4318. */
  otlpEndpoint: string;
  /** @default AI_LIGHTING_DEFAULT_RESOURCES */
  resources?: Resources;
}

export function aiLightingWorkload(args: AiLightingWorkloadArgs): WorkloadSpec {
  return appServiceWorkload({
    name: "ai-lighting",
    component: "app",
    port: AI_LIGHTING_PORT,
    version: args.version,
    otlpEndpoint: args.otlpEndpoint,
    resources: args.resources ?? AI_LIGHTING_DEFAULT_RESOURCES,
  });
}
