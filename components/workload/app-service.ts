import type { Resources, WorkloadComponent, WorkloadSpec } from "./spec";

/** The uid/gid every Abode service image runs as (see the Dockerfile convention in services/README.md). */
export const APP_UID = 10001;

export interface AppServiceArgs {
  /** Folder under `services/` and the workload name. */
  name: string;
  component: WorkloadComponent;
  /** The port the service listens on inside the container. */
  port: number;
  version: string;
  /** OTLP/HTTP endpoint traces go to. */
  otlpEndpoint: string;
  resources: Resources;
  env?: Record<string, string>;
  volumes?: WorkloadSpec["volumes"];
  gpu?: WorkloadSpec["gpu"];
  dependsOn?: string[];
  /** @default "info" */
  logLevel?: string;
}

/**
 * The workload of one of our Node services built on the service kit: built from
 * `services/<name>/Dockerfile` with the repository root as context (the kit is a workspace
 * package), `/healthz` for liveness, `/readyz` for readiness, `/metrics` for Prometheus.
 */
export function appServiceWorkload(args: AppServiceArgs): WorkloadSpec {
  const probe = `fetch('http://127.0.0.1:${args.port}/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`;
  return {
    name: args.name,
    component: args.component,
    version: args.version,
    image: {
      kind: "build",
      context: ".",
      dockerfile: `services/${args.name}/Dockerfile`,
      repository: `abode/${args.name}`,
      tag: args.version,
    },
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
    volumes: args.volumes ?? [],
    health: {
      http: { port: args.port, path: "/healthz", readinessPath: "/readyz" },
      command: ["CMD", "node", "-e", probe],
    },
    resources: args.resources,
    gpu: args.gpu,
    security: { runAsUser: APP_UID, runAsGroup: APP_UID, writablePaths: ["/tmp"] },
    dependsOn: args.dependsOn ?? [],
    metrics: { port: "http", path: "/metrics" },
  };
}
