import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { Job } from "kubernetes-models/batch/v1/Job";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { POOL_LABEL } from "../cluster/node-pools";
import { sampleSpec } from "./fixtures";
import {
  CONFIG_CHECKSUM_ANNOTATION,
  configChecksum,
  placementFor,
  podTemplateOf,
  renderKubernetes,
  workloadOf,
  type KubernetesObjects,
  type KubernetesTarget,
} from "./kubernetes";
import type { WorkloadSpec } from "./spec";

const target: KubernetesTarget = {
  namespace: "abode",
  replicas: 2,
  labels: { "app.kubernetes.io/part-of": "abode", "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/instance": "search-prod" },
};

/** A stateless service: no volumes, so a Deployment. */
const stateless = (overrides: Partial<WorkloadSpec> = {}) => sampleSpec({ volumes: [], ...overrides });
const jobSpec = (overrides: Partial<WorkloadSpec> = {}) =>
  sampleSpec({ name: "search-setup", kind: "job", volumes: [], ports: [], metrics: undefined, dependsOn: ["search"], ...overrides });

/** Validates every object kubernetes-models knows (all but the ServiceMonitor CRD). */
function validateAll(objects: KubernetesObjects): string[] {
  const kinds: string[] = [];
  const check = (label: string, validate: () => void) => {
    validate();
    kinds.push(label);
  };
  check("ServiceAccount", () => new ServiceAccount(objects.serviceAccount).validate());
  if (objects.deployment) check("Deployment", () => new Deployment(objects.deployment).validate());
  if (objects.statefulSet) check("StatefulSet", () => new StatefulSet(objects.statefulSet).validate());
  if (objects.job) check("Job", () => new Job(objects.job).validate());
  if (objects.service) check("Service", () => new Service(objects.service).validate());
  if (objects.headlessService) check("Service/headless", () => new Service(objects.headlessService).validate());
  if (objects.configMap) check("ConfigMap", () => new ConfigMap(objects.configMap).validate());
  if (objects.secret) check("Secret", () => new Secret(objects.secret as never).validate());
  if (objects.horizontalPodAutoscaler) check("HorizontalPodAutoscaler", () => new HorizontalPodAutoscaler(objects.horizontalPodAutoscaler).validate());
  if (objects.podDisruptionBudget) check("PodDisruptionBudget", () => new PodDisruptionBudget(objects.podDisruptionBudget).validate());
  return kinds;
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

describe("renderKubernetes", () => {
  const objects = renderKubernetes(stateless(), target);
  const pod = objects.deployment!.spec!.template.spec!;
  const container = pod.containers[0]!;

  it.each([
    ["a stateless service", stateless(), ["ServiceAccount", "Deployment", "Service", "ConfigMap", "Secret", "HorizontalPodAutoscaler", "PodDisruptionBudget"]],
    ["a stateful service", sampleSpec(), ["ServiceAccount", "StatefulSet", "Service", "Service/headless", "ConfigMap", "Secret", "HorizontalPodAutoscaler", "PodDisruptionBudget"]],
    ["a job", jobSpec(), ["ServiceAccount", "Job", "ConfigMap", "Secret"]],
    ["a GPU service", stateless({ gpu: { count: 1 } }), ["ServiceAccount", "Deployment", "Service", "ConfigMap", "Secret", "HorizontalPodAutoscaler", "PodDisruptionBudget"]],
    ["a CFD service", stateless({ pool: "cfd" }), ["ServiceAccount", "Deployment", "Service", "ConfigMap", "Secret", "HorizontalPodAutoscaler", "PodDisruptionBudget"]],
  ])("renders %s as objects that validate against the Kubernetes schema", (_, spec, kinds) => {
    expect(validateAll(renderKubernetes(spec, target))).toEqual(kinds);
  });

  it("runs a single-replica workload once, without an autoscaler, its reason as a policy exemption", () => {
    const reason = "its documents live in one SQLite database on its own volume";
    const o = renderKubernetes({ ...sampleSpec(), singleReplica: reason }, { ...target, replicas: 3 });
    expect(o.statefulSet!.spec!.replicas).toBe(1);
    expect(o.horizontalPodAutoscaler).toBeUndefined();
    expect(o.statefulSet!.metadata!.annotations).toEqual({ "policy.abode.io/exempt-kubernetes-apps-deployment-require-min-replicas": reason });
    expect(o.podDisruptionBudget!.spec).toMatchObject({ maxUnavailable: 1 });
  });

  it.each([
    ["Deployment", stateless()],
    ["StatefulSet", sampleSpec()],
  ])("every selector of a %s matches its pod template labels", (_, spec) => {
    const o = renderKubernetes(spec, target);
    const podLabels = podTemplateOf(o).metadata!.labels!;
    const workload = workloadOf(o);
    expect(selects(workload.spec!.selector!.matchLabels, podLabels)).toBe(true);
    expect(selects(o.service!.spec!.selector, podLabels)).toBe(true);
    expect(selects(o.headlessService?.spec!.selector ?? o.service!.spec!.selector, podLabels)).toBe(true);
    expect(selects(o.podDisruptionBudget!.spec!.selector!.matchLabels, podLabels)).toBe(true);
    // The ServiceMonitor selects the Service, which carries the pod labels.
    expect(selects(o.serviceMonitor!.spec.selector.matchLabels, o.service!.metadata!.labels)).toBe(true);
    expect(selects(o.serviceMonitor!.spec.selector.matchLabels, podLabels)).toBe(true);
    expect(o.horizontalPodAutoscaler!.spec!.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: workload.kind, name: workload.metadata!.name });
    for (const c of podTemplateOf(o).spec!.topologySpreadConstraints!) expect(selects(c.labelSelector!.matchLabels, podLabels)).toBe(true);
  });

  it("carries the recommended labels on every object", () => {
    const recommended = {
      "app.kubernetes.io/name": "search",
      "app.kubernetes.io/instance": "search-prod",
      "app.kubernetes.io/version": "1.2.3",
      "app.kubernetes.io/component": "app",
      "app.kubernetes.io/part-of": "abode",
      "app.kubernetes.io/managed-by": "pulumi",
    };
    for (const o of [renderKubernetes(stateless(), target), renderKubernetes(sampleSpec(), target)]) {
      for (const object of Object.values(o)) expect(object.metadata.labels).toMatchObject(recommended);
      expect(podTemplateOf(o).metadata!.labels).toEqual(recommended);
    }
    expect(objects.deployment!.metadata!.labels).toEqual(recommended);
  });

  it("applies the restricted security context", () => {
    expect(container.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } });
    expect(pod.enableServiceLinks).toBe(false);
  });

  it("gives the pod its own ServiceAccount without a mounted token", () => {
    expect(pod.serviceAccountName).toBe("search");
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(objects.serviceAccount).toMatchObject({ metadata: { name: "search", namespace: "abode" }, automountServiceAccountToken: false });
    expect(objects.serviceAccount.metadata!.annotations).toBeUndefined();
  });

  it("annotates the ServiceAccount with the IRSA role when the target names one", () => {
    const arn = "arn:aws:iam::123456789012:role/abode-search";
    const o = renderKubernetes(stateless(), { ...target, serviceAccountRoleArn: arn });
    expect(o.serviceAccount.metadata!.annotations).toEqual({ "eks.amazonaws.com/role-arn": arn });
  });

  it("probes liveness and readiness on their own paths", () => {
    expect(container.livenessProbe!.httpGet).toEqual({ port: 8080, path: "/healthz", scheme: "HTTP" });
    expect(container.readinessProbe!.httpGet).toEqual({ port: 8080, path: "/readyz", scheme: "HTTP" });
  });

  it("falls back to an exec probe without the Docker CMD prefix", () => {
    const exec = renderKubernetes(stateless({ health: { command: ["CMD", "ollama", "list"] } }), target);
    expect(podTemplateOf(exec).spec!.containers[0]!.livenessProbe!.exec).toEqual({ command: ["ollama", "list"] });
  });

  it("sets requests and limits", () => {
    expect(container.resources).toEqual({ limits: { cpu: "1500m", memory: "1024Mi" }, requests: { cpu: "750m", memory: "512Mi" } });
  });

  it("points the ALB health check at the readiness endpoint", () => {
    expect(objects.service!.metadata!.annotations).toEqual({
      "alb.ingress.kubernetes.io/healthcheck-path": "/readyz",
      "alb.ingress.kubernetes.io/healthcheck-port": "8080",
      "alb.ingress.kubernetes.io/healthcheck-protocol": "HTTP",
    });
  });

  it("keeps secret files and secret env values out of the ConfigMap", () => {
    const o = renderKubernetes(stateless({ env: { PLAIN: "x", PASSWORD: Promise.resolve("p") } }), target);
    expect(Object.keys(o.configMap!.data!)).toEqual(["etc_search_search.yml", "var_lib_search_seed.json"]);
    expect(Object.keys(o.secret!.stringData)).toEqual(["env.PASSWORD", "file.etc_search_tls_key.pem"]);
    expect(o.deployment!.spec!.template.spec!.containers[0]!.env).toEqual([
      { name: "PASSWORD", valueFrom: { secretKeyRef: { name: "search-secrets", key: "env.PASSWORD" } } },
      { name: "PLAIN", value: "x" },
    ]);
  });

  it("rolls updates without losing capacity", () => {
    expect(objects.deployment!.spec!.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
  });

  it.each([
    [1, 2],
    [2, 2],
    [5, 5],
  ])("runs a service asking for %i replicas with %i, the autoscaler's minimum", (asked, runs) => {
    const o = renderKubernetes(stateless(), { ...target, replicas: asked });
    expect(o.deployment!.spec!.replicas).toBe(runs);
    expect(o.horizontalPodAutoscaler!.spec).toMatchObject({ minReplicas: runs, maxReplicas: 2 * runs });
  });

  it("scales on CPU up to the target's maximum, never below the minimum", () => {
    const o = renderKubernetes(stateless(), { ...target, replicas: 3, maxReplicas: 10, targetCpuUtilization: 60 });
    expect(o.horizontalPodAutoscaler!.spec).toEqual({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "search" },
      minReplicas: 3,
      maxReplicas: 10,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 60 } } }],
    });
    expect(renderKubernetes(stateless(), { ...target, replicas: 3, maxReplicas: 1 }).horizontalPodAutoscaler!.spec!.maxReplicas).toBe(3);
  });

  it("keeps at most one pod of a service disrupted at a time", () => {
    expect(objects.podDisruptionBudget!.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: objects.deployment!.spec!.selector.matchLabels } });
  });

  it("spreads replicas across zones (strictly) and hosts (preferably)", () => {
    const selector = objects.deployment!.spec!.selector.matchLabels;
    expect(pod.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: selector } },
      { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
    ]);
  });

  it("declares a ServiceMonitor on the metrics port and path, labelled for kube-prometheus-stack", () => {
    expect(objects.serviceMonitor).toEqual({
      apiVersion: "monitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      metadata: { name: "search", namespace: "abode", labels: expect.objectContaining({ release: "kube-prometheus-stack", "app.kubernetes.io/name": "search" }) },
      spec: {
        selector: { matchLabels: { "app.kubernetes.io/name": "search", "app.kubernetes.io/instance": "search-prod" } },
        namespaceSelector: { matchNames: ["abode"] },
        endpoints: [{ port: "http", path: "/metrics", scheme: "http", interval: "30s" }],
      },
    });
    // The endpoint's port is a named port of the Service it selects.
    expect(objects.service!.spec!.ports!.map((p) => p.name)).toContain(objects.serviceMonitor!.spec.endpoints[0]!.port);
    expect(renderKubernetes(stateless({ metrics: undefined }), target).serviceMonitor).toBeUndefined();
    expect(renderKubernetes(stateless(), { ...target, serviceMonitorLabels: { prometheus: "main" } }).serviceMonitor!.metadata.labels).toMatchObject({ prometheus: "main" });
  });

  describe("placement", () => {
    it.each([
      ["general", stateless(), { [POOL_LABEL]: "general" }, undefined, undefined],
      [
        "gpu",
        stateless({ gpu: { count: 1 } }),
        { [POOL_LABEL]: "gpu" },
        [{ key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" }],
        "1",
      ],
      ["cfd", stateless({ pool: "cfd" }), { [POOL_LABEL]: "cfd" }, [{ key: "workload", operator: "Equal", value: "cfd", effect: "NoSchedule" }], undefined],
    ])("a %s workload: node selector, tolerations, GPU limit", (_, spec, nodeSelector, tolerations, gpus) => {
      const p = podTemplateOf(renderKubernetes(spec, target)).spec!;
      expect(p.nodeSelector).toEqual(nodeSelector);
      expect(p.tolerations).toEqual(tolerations);
      expect(p.containers[0]!.resources!.limits!["nvidia.com/gpu"]).toBe(gpus);
    });

    it("refuses GPUs off the GPU pool and the GPU pool without GPUs", () => {
      expect(() => placementFor({ name: "x", gpu: { count: 1 }, pool: "cfd" })).toThrow(/requests GPUs but is placed on the cfd pool/);
      expect(() => placementFor({ name: "x", pool: "gpu" })).toThrow(/gpu pool without requesting a GPU/);
      expect(placementFor({ name: "x", gpu: { count: 2 }, pool: "gpu" }).pool).toBe("gpu");
    });
  });

  describe("a job", () => {
    const o = renderKubernetes(jobSpec(), { ...target, replicas: 5, job: { backoffLimit: 2 } });

    it("renders a Job that runs to completion and is cleaned up", () => {
      expect(o.job!.spec).toMatchObject({ ttlSecondsAfterFinished: 86400, backoffLimit: 2 });
      expect(o.job!.spec!.template.spec!.restartPolicy).toBe("OnFailure");
      expect(o.deployment).toBeUndefined();
      expect(o.statefulSet).toBeUndefined();
    });

    it("has no Service, autoscaler, disruption budget, monitor, spread or probes", () => {
      expect([o.service, o.horizontalPodAutoscaler, o.podDisruptionBudget, o.serviceMonitor]).toEqual([undefined, undefined, undefined, undefined]);
      const p = o.job!.spec!.template.spec!;
      expect(p.topologySpreadConstraints).toBeUndefined();
      expect(p.containers[0]!.livenessProbe).toBeUndefined();
      expect(p.containers[0]!.readinessProbe).toBeUndefined();
      expect(p.serviceAccountName).toBe("search-setup");
    });

    it("refuses persistent volumes", () => {
      expect(() => renderKubernetes(jobSpec({ volumes: [{ name: "x", mountPath: "/x", sizeGiB: 1 }] }), target)).toThrow(/cannot own persistent volumes/);
    });
  });

  describe("a spec with volumes", () => {
    const o = renderKubernetes(
      sampleSpec({ volumes: [{ name: "data", mountPath: "/var/lib/search", sizeGiB: 10 }, { name: "cache", mountPath: "/cache", sizeGiB: 2 }] }),
      target,
    );
    const sts = o.statefulSet!;

    it("renders a StatefulSet with one gp3 claim template per volume, mounted by name", () => {
      expect(o.deployment).toBeUndefined();
      expect(sts.spec!.volumeClaimTemplates!.map((t) => [t.metadata!.name, t.spec!.storageClassName, t.spec!.accessModes, t.spec!.resources!.requests!.storage])).toEqual([
        ["state-data", "gp3", ["ReadWriteOnce"], "10Gi"],
        ["state-cache", "gp3", ["ReadWriteOnce"], "2Gi"],
      ]);
      const mounts = sts.spec!.template.spec!.containers[0]!.volumeMounts!;
      expect(mounts.filter((m) => m.name.startsWith("state-"))).toEqual([
        { name: "state-data", mountPath: "/var/lib/search" },
        { name: "state-cache", mountPath: "/cache" },
      ]);
      // No pod volume shadows a claim template.
      expect(sts.spec!.template.spec!.volumes!.map((v) => v.name)).not.toContain("state-data");
    });

    it("keeps the claims when scaled down or deleted, and names its headless Service", () => {
      expect(sts.spec!.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
      expect(sts.spec!.serviceName).toBe(o.headlessService!.metadata!.name);
      expect(o.headlessService!.spec!.clusterIP).toBe("None");
      expect(o.horizontalPodAutoscaler!.spec!.scaleTargetRef.kind).toBe("StatefulSet");
      expect(sts.spec!.replicas).toBe(2);
    });

    it("uses the target's storage class", () => {
      const custom = renderKubernetes(sampleSpec(), { ...target, storageClass: "gp3-encrypted" });
      expect(custom.statefulSet!.spec!.volumeClaimTemplates![0]!.spec!.storageClassName).toBe("gp3-encrypted");
    });
  });

  describe("config checksum", () => {
    const checksumOf = (spec: WorkloadSpec, secretChecksum?: string) =>
      podTemplateOf(renderKubernetes(spec, { ...target, secretChecksum })).metadata!.annotations![CONFIG_CHECKSUM_ANNOTATION];
    const base = checksumOf(stateless());

    it("is a sha256 on the pod template, stable across renders", () => {
      expect(base).toMatch(/^[0-9a-f]{64}$/);
      expect(checksumOf(stateless())).toBe(base);
      expect(checksumOf(stateless({ env: { ALPHA: "first", ZETA: "last" } }))).toBe(base);
    });

    it("changes when a config file changes", () => {
      const files = stateless().configFiles.map((f) => (f.path === "/etc/search/search.yml" ? { ...f, content: "a: 2\n" } : f));
      expect(checksumOf(stateless({ configFiles: files }))).not.toBe(base);
      const mode = stateless().configFiles.map((f) => (f.path === "/etc/search/search.yml" ? { ...f, mode: "0400" } : f));
      expect(checksumOf(stateless({ configFiles: mode }))).not.toBe(base);
    });

    it("changes when a plain env value changes", () => {
      expect(checksumOf(stateless({ env: { ZETA: "other", ALPHA: "first" } }))).not.toBe(base);
    });

    it("does not change with what the pod does not read (image, resources, replicas)", () => {
      expect(checksumOf(stateless({ version: "9.9.9", resources: { cpu: 4, memoryMiB: 4096 } }))).toBe(base);
      expect(podTemplateOf(renderKubernetes(stateless(), { ...target, replicas: 7 })).metadata!.annotations![CONFIG_CHECKSUM_ANNOTATION]).toBe(base);
    });

    it("folds in the precomputed checksum of secret values", () => {
      expect(checksumOf(stateless(), "aaa")).not.toBe(base);
      expect(checksumOf(stateless(), "aaa")).not.toBe(checksumOf(stateless(), "bbb"));
      expect(checksumOf(stateless(), "aaa")).toBe(configChecksum(stateless(), "aaa"));
    });

    it("ignores the content of secret files (the component hashes it asynchronously)", () => {
      const files = stateless().configFiles.map((f) => (f.secret ? { ...f, content: "OTHER KEY" } : f));
      expect(checksumOf(stateless({ configFiles: files }))).toBe(base);
    });
  });
});
