import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { exemptionAnnotation } from "../../policies/core/exemptions";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IPodTemplateSpec } from "kubernetes-models/v1/PodTemplateSpec";
import type { IProbe } from "kubernetes-models/v1/Probe";
import type { IService } from "kubernetes-models/v1/Service";
import type { IServicePort } from "kubernetes-models/v1/ServicePort";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { IToleration } from "kubernetes-models/v1/Toleration";
import type { ITopologySpreadConstraint } from "kubernetes-models/v1/TopologySpreadConstraint";
import { POOL_LABEL, POOL_TAINTS, type PoolName } from "../cluster/node-pools";
import type { HealthCheck, WorkloadSpec } from "./spec";
import { assertValidSpec } from "./validate";

/**
 * Renders a workload spec as every Kubernetes object the prod stack needs for it, pure: plain
 * objects in, plain objects out. `./kubernetes-workload.ts` only registers what this returns.
 *
 * - a ServiceAccount (token not mounted unless the spec asks), referenced by the pod;
 * - a Deployment, or a StatefulSet with volume claim templates when the spec has volumes, or a
 *   Job when the spec is `kind: "job"`;
 * - for services: the Service, a HorizontalPodAutoscaler, a PodDisruptionBudget and, when the
 *   spec exposes metrics, a ServiceMonitor;
 * - the ConfigMap / Secret carrying config files and secret environment values.
 *
 * The NetworkPolicy lives in `./network-policy.ts`, the ALB Ingress in `./ingress.ts`.
 */
export interface KubernetesTarget {
  namespace: string;
  /** Wanted replicas of a service; services always run at least {@link MIN_SERVICE_REPLICAS}. Ignored for jobs. */
  replicas: number;
  /** Labels every object carries (`part-of`, `managed-by`, `instance`). */
  labels: Record<string, string>;
  /** Upper bound of the HorizontalPodAutoscaler. @default twice the effective replicas */
  maxReplicas?: number;
  /** Average CPU utilisation (percent of requests) the autoscaler aims for. @default 70 */
  targetCpuUtilization?: number;
  /** StorageClass of the StatefulSet's volume claims (encrypted gp3 in prod). @default "gp3" */
  storageClass?: string;
  /** IAM role the ServiceAccount assumes through IRSA (`eks.amazonaws.com/role-arn`). @default none */
  serviceAccountRoleArn?: string;
  /**
   * Checksum of the values this pure renderer cannot read synchronously: secret environment
   * values, secret files and any config file whose content is a `pulumi.Output`. It is folded
   * into the pod's `checksum/config` annotation so that changing a secret rolls the pods.
   * `KubernetesWorkload` computes it with `pulumi.all(...).apply` (see `inputsChecksum`) and
   * passes it in. Without it, only plain config files and plain env are covered. @default none
   */
  secretChecksum?: string;
  /**
   * Labels on the ServiceMonitor. kube-prometheus-stack's Prometheus selects ServiceMonitors
   * labelled `release: <its Helm release name>` unless `serviceMonitorSelectorNilUsesHelmValues`
   * is false. @default { release: "kube-prometheus-stack" }
   */
  serviceMonitorLabels?: Record<string, string>;
  /** How often Prometheus scrapes the workload. @default "30s" */
  scrapeInterval?: string;
  /** Jobs only. */
  job?: {
    /** Seconds a finished Job is kept before Kubernetes deletes it. @default 86400 */
    ttlSecondsAfterFinished?: number;
    /** Retries before the Job is marked failed. @default 4 */
    backoffLimit?: number;
  };
}

/** Services never run a single replica in prod: one pod per zone survives a node or zone loss. */
export const MIN_SERVICE_REPLICAS = 2;
/** Pod-template annotation whose change rolls the pods when configuration changes. */
export const CONFIG_CHECKSUM_ANNOTATION = "checksum/config";
export const DEFAULT_STORAGE_CLASS = "gp3";
export const DEFAULT_SERVICE_MONITOR_LABELS: Readonly<Record<string, string>> = { release: "kube-prometheus-stack" };
export const ZONE_TOPOLOGY_KEY = "topology.kubernetes.io/zone";
export const HOSTNAME_TOPOLOGY_KEY = "kubernetes.io/hostname";

/** A Secret whose values may be Pulumi secrets, so it cannot be a plain kubernetes-models object. */
export interface SecretObject {
  apiVersion: "v1";
  kind: "Secret";
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  type: "Opaque";
  stringData: Record<string, pulumi.Input<string>>;
}

/** `monitoring.coreos.com/v1` ServiceMonitor (a CRD, so not in kubernetes-models). */
export interface ServiceMonitorObject {
  apiVersion: "monitoring.coreos.com/v1";
  kind: "ServiceMonitor";
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: {
    selector: { matchLabels: Record<string, string> };
    namespaceSelector: { matchNames: string[] };
    endpoints: { port: string; path: string; scheme: "http" | "https"; interval: string }[];
  };
}

export interface KubernetesObjects {
  serviceAccount: IServiceAccount;
  /** Exactly one of `deployment`, `statefulSet` and `job` is set (see {@link workloadOf}). */
  deployment?: IDeployment;
  statefulSet?: IStatefulSet;
  job?: IJob;
  /** The ClusterIP Service of a service with ports. */
  service?: IService;
  /** The governing headless Service a StatefulSet names in `serviceName`. */
  headlessService?: IService;
  configMap?: IConfigMap;
  secret?: SecretObject;
  horizontalPodAutoscaler?: IHorizontalPodAutoscaler;
  podDisruptionBudget?: IPodDisruptionBudget;
  serviceMonitor?: ServiceMonitorObject;
}

export type WorkloadObject = IDeployment | IStatefulSet | IJob;

/** Where a workload runs: the pool's node label, and a toleration for the pool's taint only. */
export interface Placement {
  pool: Exclude<PoolName, "system">;
  nodeSelector: Record<string, string>;
  tolerations: IToleration[];
}

/**
 * The pool a spec lands on: `spec.pool`, else `gpu` for GPU workloads and `general` for the
 * rest. GPU nodes are for GPU workloads only and the other way round, so a mismatch throws.
 */
export function placementFor(spec: Pick<WorkloadSpec, "name" | "pool" | "gpu">): Placement {
  const pool = spec.pool ?? (spec.gpu ? "gpu" : "general");
  if (spec.gpu && pool !== "gpu") throw new Error(`workload ${spec.name}: requests GPUs but is placed on the ${pool} pool`);
  if (!spec.gpu && pool === "gpu") throw new Error(`workload ${spec.name}: is placed on the gpu pool without requesting a GPU`);
  const taint = POOL_TAINTS[pool];
  return {
    pool,
    nodeSelector: { [POOL_LABEL]: pool },
    tolerations: taint ? [{ key: taint.key, operator: "Equal", value: taint.value, effect: taint.effect }] : [],
  };
}

/** Replicas a service runs with (and the autoscaler's minimum). */
export function serviceReplicas(target: Pick<KubernetesTarget, "replicas">): number {
  return Math.max(MIN_SERVICE_REPLICAS, target.replicas);
}

/**
 * sha256 over everything the pod reads at start that the renderer can see: plain config files
 * (path, mode, content), plain environment values, the names of secret files and env keys,
 * and `secretChecksum` for the values it cannot see. Order-independent.
 */
export function configChecksum(spec: Pick<WorkloadSpec, "configFiles" | "env">, secretChecksum?: string): string {
  const files = spec.configFiles
    .map((f) => [f.path, f.mode ?? "0444", f.secret ? "secret" : "plain", !f.secret && typeof f.content === "string" ? f.content : null] as const)
    .sort((a, b) => a[0].localeCompare(b[0]));
  const env = Object.keys(spec.env)
    .sort()
    .map((k) => [k, typeof spec.env[k] === "string" ? spec.env[k] : null] as const);
  return createHash("sha256")
    .update(JSON.stringify({ files, env, secret: secretChecksum ?? null }))
    .digest("hex");
}

export function renderKubernetes(spec: WorkloadSpec, target: KubernetesTarget): KubernetesObjects {
  assertValidSpec(spec);
  const isJob = spec.kind === "job";
  if (isJob && spec.volumes.length > 0) {
    throw new Error(`workload ${spec.name}: a job cannot own persistent volumes (they would outlive it unmanaged)`);
  }
  const placement = placementFor(spec);
  const selector = { "app.kubernetes.io/name": spec.name, "app.kubernetes.io/instance": target.labels["app.kubernetes.io/instance"] ?? spec.name };
  const labels = {
    ...target.labels,
    ...selector,
    "app.kubernetes.io/component": spec.component,
    "app.kubernetes.io/version": spec.version,
  };
  const metadata = () => ({ name: spec.name, namespace: target.namespace, labels: { ...labels } });
  // The pod owner of a single-replica workload carries its reason as a documented policy exemption.
  const ownerMetadata = () =>
    spec.singleReplica ? { ...metadata(), annotations: { [exemptionAnnotation("kubernetes-apps-deployment-require-min-replicas")]: spec.singleReplica } } : metadata();
  const plainFiles = spec.configFiles.filter((f) => !f.secret);
  const secretFiles = spec.configFiles.filter((f) => f.secret);
  const secretEnv = Object.entries(spec.env).filter(([, v]) => typeof v !== "string");
  const secretName = `${spec.name}-secrets`;
  const configMapName = `${spec.name}-config`;
  const fileKey = (p: string) => p.replace(/^\//, "").replace(/[^a-zA-Z0-9._-]/g, "_");
  const stateful = spec.volumes.length > 0;
  const replicas = spec.singleReplica ? 1 : serviceReplicas(target);

  const container: IContainer = {
    name: spec.name,
    image: imageReference(spec),
    command: spec.command,
    args: spec.args,
    ports: spec.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol === "udp" ? "UDP" : "TCP" })),
    env: Object.keys(spec.env)
      .sort()
      .map((name) => {
        const value = spec.env[name];
        return typeof value === "string" ? { name, value } : { name, valueFrom: { secretKeyRef: { name: secretName, key: `env.${name}` } } };
      }),
    resources: {
      limits: {
        cpu: millicores(spec.resources.cpu),
        memory: `${spec.resources.memoryMiB}Mi`,
        ...(spec.gpu ? { "nvidia.com/gpu": String(spec.gpu.count) } : {}),
      },
      requests: {
        cpu: millicores(spec.resources.requests?.cpu ?? spec.resources.cpu / 2),
        memory: `${spec.resources.requests?.memoryMiB ?? Math.floor(spec.resources.memoryMiB / 2)}Mi`,
      },
    },
    // A job runs to completion: nothing routes to it, and a liveness restart would only rerun it.
    ...(isJob ? {} : { livenessProbe: probe(spec.health, "liveness"), readinessProbe: probe(spec.health, "readiness") }),
    securityContext: {
      runAsNonRoot: spec.security.runAsUser !== 0,
      runAsUser: spec.security.runAsUser,
      runAsGroup: spec.security.runAsGroup,
      readOnlyRootFilesystem: spec.security.readOnlyRootFilesystem ?? true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ["ALL"], ...(spec.security.addCapabilities?.length ? { add: spec.security.addCapabilities } : {}) },
      seccompProfile: { type: "RuntimeDefault" },
    },
    volumeMounts: [
      ...spec.volumes.map((v) => ({ name: `state-${v.name}`, mountPath: v.mountPath })),
      ...(spec.security.writablePaths ?? []).map((p, i) => ({ name: `scratch-${i}`, mountPath: p })),
      ...plainFiles.map((f) => ({ name: "config", mountPath: f.path, subPath: fileKey(f.path), readOnly: true })),
      ...secretFiles.map((f) => ({ name: "secret-files", mountPath: f.path, subPath: `file.${fileKey(f.path)}`, readOnly: true })),
      ...(spec.hostPaths ?? []).map((h, i) => ({ name: `host-${i}`, mountPath: h.mountPath, readOnly: true })),
    ],
  };

  const topologySpreadConstraints: ITopologySpreadConstraint[] = [
    // Zones strictly: losing a zone must never take every replica.
    { maxSkew: 1, topologyKey: ZONE_TOPOLOGY_KEY, whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: selector } },
    // Hosts preferably: a pool scaled to few nodes must still be able to place the replicas.
    { maxSkew: 1, topologyKey: HOSTNAME_TOPOLOGY_KEY, whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
  ];

  const podSpec: IPodSpec = {
    serviceAccountName: spec.name,
    automountServiceAccountToken: spec.security.serviceAccountToken ?? false,
    // No `<SERVICE>_PORT` variables for every Service in the namespace leaking into the env.
    enableServiceLinks: false,
    securityContext: {
      runAsNonRoot: spec.security.runAsUser !== 0,
      fsGroup: spec.security.runAsGroup,
      seccompProfile: { type: "RuntimeDefault" },
    },
    nodeSelector: placement.nodeSelector,
    ...(placement.tolerations.length ? { tolerations: placement.tolerations } : {}),
    ...(isJob ? { restartPolicy: "OnFailure" } : { topologySpreadConstraints }),
    containers: [container],
    volumes: [
      // A StatefulSet's claims come from its volumeClaimTemplates, named like these mounts.
      ...(spec.security.writablePaths ?? []).map((_, i) => ({ name: `scratch-${i}`, emptyDir: {} })),
      ...(plainFiles.length ? [{ name: "config", configMap: { name: configMapName } }] : []),
      ...(secretFiles.length ? [{ name: "secret-files", secret: { secretName, defaultMode: 0o400 } }] : []),
      ...(spec.hostPaths ?? []).map((h, i) => ({ name: `host-${i}`, hostPath: { path: h.nodeHostPath, type: "Directory" as const } })),
    ],
  };
  const template: IPodTemplateSpec = {
    metadata: { labels: { ...labels }, annotations: { [CONFIG_CHECKSUM_ANNOTATION]: configChecksum(spec, target.secretChecksum) } },
    spec: podSpec,
  };

  const objects: KubernetesObjects = {
    serviceAccount: {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: {
        ...metadata(),
        ...(target.serviceAccountRoleArn ? { annotations: { "eks.amazonaws.com/role-arn": target.serviceAccountRoleArn } } : {}),
      },
      automountServiceAccountToken: spec.security.serviceAccountToken ?? false,
    },
  };

  if (isJob) {
    objects.job = {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: metadata(),
      spec: {
        ttlSecondsAfterFinished: target.job?.ttlSecondsAfterFinished ?? 86400,
        backoffLimit: target.job?.backoffLimit ?? 4,
        template,
      },
    };
  } else if (stateful) {
    objects.statefulSet = {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: ownerMetadata(),
      spec: {
        replicas,
        serviceName: `${spec.name}-headless`,
        selector: { matchLabels: selector },
        // Replicas do not depend on each other's identity; scale out in parallel.
        podManagementPolicy: "Parallel",
        updateStrategy: { type: "RollingUpdate" },
        // Claims (the data) outlive the StatefulSet and its scale-downs.
        persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
        template,
        volumeClaimTemplates: spec.volumes.map((v) => ({
          metadata: { name: `state-${v.name}`, labels: { ...labels } },
          spec: {
            accessModes: ["ReadWriteOnce"],
            storageClassName: target.storageClass ?? DEFAULT_STORAGE_CLASS,
            resources: { requests: { storage: `${v.sizeGiB}Gi` } },
          },
        })),
      },
    };
  } else {
    objects.deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: ownerMetadata(),
      spec: {
        replicas,
        selector: { matchLabels: selector },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template,
      },
    };
  }

  if (!isJob) {
    const servicePorts: IServicePort[] = spec.ports.map((p) => ({ name: p.name, port: p.containerPort, targetPort: p.name, protocol: p.protocol === "udp" ? "UDP" : "TCP" }));
    if (spec.ports.length) {
      objects.service = {
        apiVersion: "v1",
        kind: "Service",
        metadata: { ...metadata(), ...(albHealthCheckAnnotations(spec.health) ?? {}) },
        spec: { type: "ClusterIP", selector, ports: servicePorts },
      };
    }
    if (stateful) {
      objects.headlessService = {
        apiVersion: "v1",
        kind: "Service",
        metadata: { ...metadata(), name: `${spec.name}-headless` },
        spec: { clusterIP: "None", selector, ...(servicePorts.length ? { ports: servicePorts } : {}) },
      };
    }
    const kind = stateful ? "StatefulSet" : "Deployment";
    if (!spec.singleReplica) objects.horizontalPodAutoscaler = {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: metadata(),
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind, name: spec.name },
        minReplicas: replicas,
        maxReplicas: Math.max(replicas, target.maxReplicas ?? 2 * replicas),
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: target.targetCpuUtilization ?? 70 } } }],
      },
    };
    objects.podDisruptionBudget = {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: metadata(),
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    };
    if (spec.metrics && objects.service) {
      objects.serviceMonitor = {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: { ...metadata(), labels: { ...labels, ...(target.serviceMonitorLabels ?? DEFAULT_SERVICE_MONITOR_LABELS) } },
        spec: {
          selector: { matchLabels: selector },
          namespaceSelector: { matchNames: [target.namespace] },
          endpoints: [{ port: spec.metrics.port, path: spec.metrics.path, scheme: spec.metrics.scheme ?? "http", interval: target.scrapeInterval ?? "30s" }],
        },
      };
    }
  }

  if (plainFiles.length) {
    objects.configMap = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { ...metadata(), name: configMapName },
      // Content may be a pulumi.Output (a certificate); the component passes it through as an Input.
      data: Object.fromEntries(plainFiles.map((f) => [fileKey(f.path), f.content as string])),
    };
  }
  if (secretFiles.length || secretEnv.length) {
    objects.secret = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { ...metadata(), name: secretName },
      type: "Opaque",
      stringData: Object.fromEntries([...secretEnv.map(([k, v]) => [`env.${k}`, v]), ...secretFiles.map((f) => [`file.${fileKey(f.path)}`, f.content])]),
    };
  }
  return objects;
}

/** The Deployment, StatefulSet or Job of rendered objects. */
export function workloadOf(objects: KubernetesObjects): WorkloadObject {
  const workload = objects.deployment ?? objects.statefulSet ?? objects.job;
  if (!workload) throw new Error("rendered objects hold no Deployment, StatefulSet or Job");
  return workload;
}

/** The pod template of rendered objects' workload. */
export function podTemplateOf(objects: KubernetesObjects): IPodTemplateSpec {
  return workloadOf(objects).spec!.template;
}

export function imageReference(spec: WorkloadSpec): string {
  const image = spec.image;
  return `${image.repository}:${image.tag}${image.kind === "pinned" && image.digest ? `@${image.digest}` : ""}`;
}

/**
 * The ALB health-checks targets on `/` by default, which our services do not serve. On the
 * Service, these annotations point it at the readiness endpoint (they only matter when an ALB
 * Ingress routes to the Service; the AWS Load Balancer Controller reads them per backend).
 */
function albHealthCheckAnnotations(health: HealthCheck): { annotations: Record<string, string> } | undefined {
  if (!health.http) return undefined;
  return {
    annotations: {
      "alb.ingress.kubernetes.io/healthcheck-path": health.http.readinessPath ?? health.http.path,
      "alb.ingress.kubernetes.io/healthcheck-port": String(health.http.port),
      "alb.ingress.kubernetes.io/healthcheck-protocol": health.http.scheme ?? "HTTP",
    },
  };
}

function millicores(cores: number): string {
  return `${Math.round(cores * 1000)}m`;
}

function probe(health: HealthCheck, kind: "liveness" | "readiness"): IProbe {
  const timing = {
    periodSeconds: health.intervalSeconds ?? 10,
    timeoutSeconds: health.timeoutSeconds ?? 5,
    failureThreshold: health.retries ?? 5,
    ...(kind === "liveness" ? { initialDelaySeconds: health.startPeriodSeconds ?? 30 } : {}),
  };
  if (health.http) {
    const path = kind === "readiness" ? (health.http.readinessPath ?? health.http.path) : health.http.path;
    return { httpGet: { port: health.http.port, path, scheme: health.http.scheme ?? "HTTP" }, ...timing };
  }
  if (health.tcp) return { tcpSocket: { port: health.tcp.port }, ...timing };
  // Docker's exec form starts with CMD/CMD-SHELL; Kubernetes runs the argv itself.
  const [form, ...rest] = health.command;
  const command = form === "CMD-SHELL" ? ["/bin/sh", "-c", rest.join(" ")] : form === "CMD" ? rest : health.command;
  return { exec: { command }, ...timing };
}
