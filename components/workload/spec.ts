import type * as pulumi from "@pulumi/pulumi";

/**
 * A workload described once, independent of where it runs. The dev stack renders it for
 * Docker (`./docker.ts`), the prod stack for Kubernetes (`./kubernetes.ts`).
 *
 * Values that may be secrets or come from other resources (passwords, certificates) are
 * `pulumi.Input`s; everything else is plain data, so renderers stay pure and testable.
 */
export interface WorkloadSpec {
  /** DNS-safe name; the container name in dev (prefixed), the Deployment/Service name in prod. */
  name: string;
  /** `app.kubernetes.io/component`: what part of the platform this is. */
  component: WorkloadComponent;
  /** `app.kubernetes.io/version`: the image tag for pinned images, the app version for built ones. */
  version: string;
  image: ImageSource;
  /** Overrides the image's entrypoint. */
  command?: string[];
  /** Overrides the image's CMD. */
  args?: string[];
  ports: PortSpec[];
  /** Environment variables. Secret values stay secret through the renderers. */
  env: Record<string, pulumi.Input<string>>;
  /** Files the workload reads at start (rendered configs, certificates). */
  configFiles: ConfigFile[];
  /** Persistent state: a named Docker volume in dev, a PersistentVolumeClaim in prod. */
  volumes: VolumeSpec[];
  /**
   * Read-only views of host paths (log shippers only). Each one weakens isolation, so each
   * carries its reason. @default []
   */
  hostPaths?: HostPathSpec[];
  health: HealthCheck;
  resources: Resources;
  /** GPUs the workload needs; only GPU workloads set this. @default none */
  gpu?: { count: number };
  /** The prod node pool it runs on. @default "gpu" when `gpu` is set, else "general" */
  pool?: "general" | "gpu" | "cfd";
  security: SecuritySpec;
  /** Names of workloads that must be healthy before this one starts. */
  dependsOn: string[];
  /** Where Prometheus scrapes this workload, if it exposes metrics. */
  metrics?: { port: string; path: string; scheme?: "http" | "https" };
  /** `service` runs forever; `job` runs to completion once (e.g. a setup step). @default "service" */
  kind?: "service" | "job";
  /**
   * Why only one replica may run: its state lives in the process and on its own
   * ReadWriteOnce volume, so a second replica would answer from different data. Prod then runs
   * exactly one (no autoscaler), exempt from the minimum-replicas policy with this reason.
   * @default none (replicated)
   */
  singleReplica?: string;
  /**
   * Destinations outside the cluster it must reach (prod NetworkPolicy egress; dev containers
   * are not restricted). Each one is an exception, so each carries its reason. @default []
   */
  externalEgress?: ExternalEgress[];
}

/** A destination outside the cluster a workload must reach. */
export interface ExternalEgress {
  cidr: string;
  /** Blocks inside `cidr` that stay closed (e.g. the private ranges). @default [] */
  except?: string[];
  ports: number[];
  reason: string;
}

/** The private address ranges (RFC 1918): "the internet" means everything but these. */
export const PRIVATE_RANGES: readonly string[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/** HTTPS to public addresses only: the usual shape of a call to a public API. */
export function publicHttpsEgress(reason: string): ExternalEgress {
  return { cidr: "0.0.0.0/0", except: [...PRIVATE_RANGES], ports: [443], reason };
}

export type WorkloadComponent = "app" | "ai" | "cfd" | "observability" | "logging";

export type ImageSource =
  /** A third-party image pinned to an exact version (tag, optionally with digest). */
  | { kind: "pinned"; repository: string; tag: string; digest?: string }
  /** An image we build from a Dockerfile in this repository. */
  | {
      kind: "build";
      context: string;
      dockerfile: string;
      repository: string;
      tag: string;
      /** The Dockerfile stage to build (e.g. `cuda`). @default the last stage */
      target?: string;
      /** Build arguments (the shared Dockerfile's SERVICE, PORT, ...). @default {} */
      args?: Record<string, string>;
    };

export interface PortSpec {
  /** IANA-style name (≤ 15 chars), used for Kubernetes ports and metrics lookup. */
  name: string;
  containerPort: number;
  /** @default "tcp" */
  protocol?: "tcp" | "udp";
}

export interface ConfigFile {
  /** Absolute path inside the container. */
  path: string;
  content: pulumi.Input<string>;
  /** Holds a secret (Kubernetes Secret instead of ConfigMap). @default false */
  secret?: boolean;
  /** Octal file mode. @default "0444" */
  mode?: string;
}

export interface VolumeSpec {
  /** Short name, unique within the workload (`data`, `models`). */
  name: string;
  mountPath: string;
  /** Size requested in prod. */
  sizeGiB: number;
  /**
   * Another workload whose volume of the same name this one mounts instead of owning one (the
   * CFD post-processor reads the solver's cases). Dev: the owner's Docker volume, created by the
   * owner. Prod: a claim of its own, since EBS volumes are ReadWriteOnce; workloads exchange
   * such data through S3 there. @default none (the workload owns the volume)
   */
  owner?: string;
}

export interface HostPathSpec {
  /** Host path in dev (Docker). */
  dockerHostPath: string;
  /** Host path on a Kubernetes node. */
  nodeHostPath: string;
  mountPath: string;
  reason: string;
}

export interface HealthCheck {
  /**
   * How an orchestrator with a native HTTP probe (Kubernetes) checks health. Docker has none,
   * so it always runs `command`.
   */
  http?: {
    port: number;
    /** Liveness: the process is serving. */
    path: string;
    /** Readiness: dependencies are there too. @default path */
    readinessPath?: string;
    scheme?: "HTTP" | "HTTPS";
  };
  /** Probe by TCP connect when the workload has no HTTP health endpoint. */
  tcp?: { port: number };
  /** Command run inside the container; exit 0 means healthy. Needed by Docker. */
  command: string[];
  /** @default 10 */
  intervalSeconds?: number;
  /** @default 5 */
  timeoutSeconds?: number;
  /** @default 5 */
  retries?: number;
  /** Grace period after start before failures count. @default 30 */
  startPeriodSeconds?: number;
}

export interface Resources {
  /** CPU limit in cores. */
  cpu: number;
  /** Memory limit in MiB. */
  memoryMiB: number;
  /** What the scheduler reserves. @default half of the limits */
  requests?: { cpu: number; memoryMiB: number };
}

export interface SecuritySpec {
  /** Numeric uid (numeric so runAsNonRoot can be checked). 0 only with a `rootReason`. */
  runAsUser: number;
  runAsGroup: number;
  /** Only `true` passes the validator; the field documents the intent. @default true */
  readOnlyRootFilesystem?: boolean;
  /** Paths that must be writable scratch space (tmpfs in dev, emptyDir in prod). */
  writablePaths?: string[];
  /** Capabilities added back after dropping ALL. None of ours needs any; the validator refuses them. @default [] */
  addCapabilities?: string[];
  /**
   * Mount a Kubernetes service-account token: only with a `serviceAccountTokenReason` (the
   * workload talks to the Kubernetes API, with a Role of its own). @default false
   */
  serviceAccountToken?: boolean;
  /** Why this workload needs the Kubernetes API; required with `serviceAccountToken`. @default none */
  serviceAccountTokenReason?: string;
  /** Why this workload must run as uid 0; required when `runAsUser` is 0. @default none */
  rootReason?: string;
}
