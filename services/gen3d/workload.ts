/**
 * The 3D generation service's workload spec, consumed by the stacks.
 * Its image is `services/gen3d/Dockerfile`, built with the repository root as context.
 */
import type * as pulumi from "@pulumi/pulumi";
import { appServiceWorkload } from "../../components/workload/app-service";
import { publicHttpsEgress, type Resources, type WorkloadSpec } from "../../components/workload/spec";

export const GEN3D_PORT = 8008;
/** Where the task map lives when persisted (owned by the service's user in the image). */
export const GEN3D_DATA_DIR = "/var/lib/abode/gen3d";

/**
 * Half a core and 512 MiB: the work is forwarding, but a request may carry five 8 MiB images
 * as base64 JSON, held in memory as text and bytes while it is sent on (~150 MB at worst).
 */
export const GEN3D_DEFAULT_RESOURCES: Resources = { cpu: 0.5, memoryMiB: 512, requests: { cpu: 0.1, memoryMiB: 192 } };

export interface Gen3dWorkloadArgs {
  version: string;
  /** OTLP/HTTP base URL traces go to, e.g. http://otel-collector:4318. */
  otlpEndpoint: string;
  /** The Rodin API key, a Pulumi secret. Absent → the service runs but is not ready (503). */
  rodinApiKey?: pulumi.Input<string>;
  /** @default the service's (https://api.hyper3d.com/api/v2) */
  rodinBaseUrl?: string;
  /**
   * Keep the task id → subscription key map on a small volume, so tasks survive restarts.
   * Without it the map is in memory and lost on restart. One replica either way (the file is
   * not shared between pods). @default true
   */
  persistTasks?: boolean;
  /** @default GEN3D_DEFAULT_RESOURCES */
  resources?: Resources;
}

export function gen3dWorkload(args: Gen3dWorkloadArgs): WorkloadSpec {
  const persist = args.persistTasks ?? true;
  const env: Record<string, pulumi.Input<string>> = {};
  if (args.rodinApiKey !== undefined) env.RODIN_API_KEY = args.rodinApiKey;
  if (args.rodinBaseUrl !== undefined) env.RODIN_BASE_URL = args.rodinBaseUrl;
  if (persist) env.GEN3D_DATA_DIR = GEN3D_DATA_DIR;
  return appServiceWorkload({
    name: "gen3d",
    component: "app",
    port: GEN3D_PORT,
    version: args.version,
    otlpEndpoint: args.otlpEndpoint,
    resources: args.resources ?? GEN3D_DEFAULT_RESOURCES,
    env,
    volumes: persist ? [{ name: "data", mountPath: GEN3D_DATA_DIR, sizeGiB: 1 }] : [],
    singleReplica: persist ? "its task map (task id → Rodin subscription key) is a file on its own volume; another replica would not know the tasks" : undefined,
    externalEgress: [publicHttpsEgress("creates 3D generation tasks, polls their status and fetches download links from the Rodin (Hyper3D) API")],
  });
}
