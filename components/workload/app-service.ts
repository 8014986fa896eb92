import type * as pulumi from "@pulumi/pulumi";
import type { Resources, WorkloadComponent, WorkloadSpec } from "./spec";

/** The uid/gid every Abode service image runs as (see the Dockerfile convention in services/README.md). */
export const APP_UID = 10001;

/** The image recipe of our plain Node services, parameterized by build arguments. */
export const SHARED_DOCKERFILE = "services/Dockerfile";

export interface AppServiceArgs {
  /** The workload name; also the folder under `services/` unless `source` says otherwise. */
  name: string;
  /**
   * Folder under `services/` with the service's code, when one workspace ships several services
   * (the CFD solver, mesher and post-processor share `services/cfd`). @default name
   */
  source?: string;
  /**
   * The image comes from `services/<source>/Dockerfile` (OpenFOAM, CUDA) instead of the shared
   * `services/Dockerfile` that every plain Node service builds from. @default false
   */
  ownDockerfile?: boolean;
  /** Overrides the image's CMD (which entry point of a shared image runs). */
  args?: string[];
  /** @default "general" (or "gpu" with `gpu`) */
  pool?: WorkloadSpec["pool"];
  /** The Dockerfile stage to build (e.g. `cuda` for the GPU variant). @default the last stage */
  buildTarget?: string;
  /** Public APIs it calls (prod egress), each with its reason. @default [] */
  externalEgress?: WorkloadSpec["externalEgress"];
  /** Why it needs a Kubernetes API token (it then gets one, with a Role bound elsewhere). @default no token */
  serviceAccountTokenReason?: string;
  /** Why only one replica may run (see {@link WorkloadSpec.singleReplica}). @default replicated */
  singleReplica?: string;
  component: WorkloadComponent;
  /** The port the service listens on inside the container. */
  port: number;
  version: string;
  /** OTLP/HTTP endpoint traces go to. */
  otlpEndpoint: string;
  resources: Resources;
  /** Extra environment; secret values (API keys) stay Pulumi secrets through the renderers. */
  env?: Record<string, pulumi.Input<string>>;
  volumes?: WorkloadSpec["volumes"];
  gpu?: WorkloadSpec["gpu"];
  dependsOn?: string[];
  /** @default "info" */
  logLevel?: string;
}

/**
 * The workload of one of our Node services built on the service kit: built from the shared
 * `services/Dockerfile` (or its own) with the repository root as context (the kit is a workspace
 * package), `/healthz` for liveness, `/readyz` for readiness, `/metrics` for Prometheus.
 */
export function appServiceWorkload(args: AppServiceArgs): WorkloadSpec {
  const probe = `fetch('http://127.0.0.1:${args.port}/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`;
  const source = args.source ?? args.name;
  const volumes = args.volumes ?? [];
  const sharedImageArgs = { SERVICE: source, PORT: String(args.port), DATA_DIRS: volumes.map((v) => v.mountPath).join(" ") };
  return {
    name: args.name,
    component: args.component,
    version: args.version,
    image: {
      kind: "build",
      context: ".",
      dockerfile: args.ownDockerfile ? `services/${source}/Dockerfile` : SHARED_DOCKERFILE,
      repository: `abode/${source}`,
      tag: args.version,
      ...(args.ownDockerfile ? {} : { args: sharedImageArgs }),
      ...(args.buildTarget ? { target: args.buildTarget } : {}),
    },
    args: args.args,
    ports: [{ name: "http", containerPort: args.port }],
    env: {
      HOST: "0.0.0.0",
      PORT: String(args.port),
      LOG_LEVEL: args.logLevel ?? "info",
      OTEL_SERVICE_NAME: args.name,
      OTEL_EXPORTER_OTLP_ENDPOINT: args.otlpEndpoint,
      ...args.env,
    },
    configFiles: [],
    volumes,
    health: {
      http: { port: args.port, path: "/healthz", readinessPath: "/readyz" },
      command: ["CMD", "node", "-e", probe],
    },
    resources: args.resources,
    gpu: args.gpu,
    pool: args.pool,
    security: {
      runAsUser: APP_UID,
      runAsGroup: APP_UID,
      writablePaths: ["/tmp"],
      ...(args.serviceAccountTokenReason ? { serviceAccountToken: true, serviceAccountTokenReason: args.serviceAccountTokenReason } : {}),
    },
    dependsOn: args.dependsOn ?? [],
    metrics: { port: "http", path: "/metrics" },
    ...(args.externalEgress?.length ? { externalEgress: args.externalEgress } : {}),
    ...(args.singleReplica ? { singleReplica: args.singleReplica } : {}),
  };
}
