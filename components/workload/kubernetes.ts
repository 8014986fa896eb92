import type * as pulumi from "@pulumi/pulumi";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IService } from "kubernetes-models/v1/Service";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IProbe } from "kubernetes-models/v1/Probe";
import type { HealthCheck, WorkloadSpec } from "./spec";
import { assertValidSpec } from "./validate";

/**
 * Renders a workload spec as Kubernetes objects, pure. This is the skeleton the prod stack
 * builds on (issue 4 adds ServiceAccount, HPA, PDB, NetworkPolicy, ServiceMonitor, ...): a
 * Deployment with the restricted security context, its Service, and the ConfigMap/Secret that
 * carry config files and secret environment values.
 */
export interface KubernetesTarget {
  namespace: string;
  replicas: number;
  /** Labels every object carries (`part-of`, `managed-by`, `instance`). */
  labels: Record<string, string>;
}

/** A Secret whose values may be Pulumi secrets, so it cannot be a plain kubernetes-models object. */
export interface SecretObject {
  apiVersion: "v1";
  kind: "Secret";
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  type: "Opaque";
  stringData: Record<string, pulumi.Input<string>>;
}

export interface KubernetesObjects {
  deployment: IDeployment;
  service?: IService;
  configMap?: IConfigMap;
  secret?: SecretObject;
}

export function renderKubernetes(spec: WorkloadSpec, target: KubernetesTarget): KubernetesObjects {
  assertValidSpec(spec);
  const selector = { "app.kubernetes.io/name": spec.name, "app.kubernetes.io/instance": target.labels["app.kubernetes.io/instance"] ?? spec.name };
  const labels = {
    ...target.labels,
    ...selector,
    "app.kubernetes.io/component": spec.component,
    "app.kubernetes.io/version": spec.version,
  };
  const metadata = { name: spec.name, namespace: target.namespace, labels };
  const plainFiles = spec.configFiles.filter((f) => !f.secret);
  const secretFiles = spec.configFiles.filter((f) => f.secret);
  const secretEnv = Object.entries(spec.env).filter(([, v]) => typeof v !== "string");
  const secretName = `${spec.name}-secrets`;
  const configMapName = `${spec.name}-config`;
  const fileKey = (p: string) => p.replace(/^\//, "").replace(/[^a-zA-Z0-9._-]/g, "_");

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
    livenessProbe: probe(spec.health, "liveness"),
    readinessProbe: probe(spec.health, "readiness"),
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

  const deployment: IDeployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata,
    spec: {
      replicas: target.replicas,
      selector: { matchLabels: selector },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: spec.security.serviceAccountToken ?? false,
          securityContext: {
            runAsNonRoot: spec.security.runAsUser !== 0,
            fsGroup: spec.security.runAsGroup,
            seccompProfile: { type: "RuntimeDefault" },
          },
          containers: [container],
          volumes: [
            // State is claimed per workload; issue 4 turns this into a StatefulSet's claim template.
            ...spec.volumes.map((v) => ({ name: `state-${v.name}`, persistentVolumeClaim: { claimName: `${spec.name}-${v.name}` } })),
            ...(spec.security.writablePaths ?? []).map((_, i) => ({ name: `scratch-${i}`, emptyDir: {} })),
            ...(plainFiles.length ? [{ name: "config", configMap: { name: configMapName } }] : []),
            ...(secretFiles.length ? [{ name: "secret-files", secret: { secretName, defaultMode: 0o400 } }] : []),
            ...(spec.hostPaths ?? []).map((h, i) => ({ name: `host-${i}`, hostPath: { path: h.nodeHostPath, type: "Directory" as const } })),
          ],
          ...(spec.gpu ? { tolerations: [{ key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" }] } : {}),
        },
      },
    },
  };

  return {
    deployment,
    service: spec.ports.length
      ? {
          apiVersion: "v1",
          kind: "Service",
          metadata,
          spec: {
            type: "ClusterIP",
            selector,
            ports: spec.ports.map((p) => ({ name: p.name, port: p.containerPort, targetPort: p.name, protocol: p.protocol === "udp" ? "UDP" : "TCP" })),
          },
        }
      : undefined,
    configMap: plainFiles.length
      ? {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { ...metadata, name: configMapName },
          data: Object.fromEntries(plainFiles.map((f) => [fileKey(f.path), f.content as string])),
        }
      : undefined,
    secret:
      secretFiles.length || secretEnv.length
        ? {
            apiVersion: "v1",
            kind: "Secret",
            metadata: { ...metadata, name: secretName },
            type: "Opaque",
            stringData: Object.fromEntries([
              ...secretEnv.map(([k, v]) => [`env.${k}`, v]),
              ...secretFiles.map((f) => [`file.${fileKey(f.path)}`, f.content]),
            ]),
          }
        : undefined,
  };
}

export function imageReference(spec: WorkloadSpec): string {
  const image = spec.image;
  return `${image.repository}:${image.tag}${image.kind === "pinned" && image.digest ? `@${image.digest}` : ""}`;
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
