import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Service } from "kubernetes-models/v1/Service";
import { sampleSpec } from "./fixtures";
import { renderKubernetes, type KubernetesTarget } from "./kubernetes";

const target: KubernetesTarget = {
  namespace: "abode",
  replicas: 2,
  labels: { "app.kubernetes.io/part-of": "abode", "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/instance": "search-prod" },
};

describe("renderKubernetes", () => {
  const objects = renderKubernetes(sampleSpec(), target);
  const pod = objects.deployment.spec!.template.spec!;
  const container = pod.containers[0];

  it("produces objects that validate against the Kubernetes schema", () => {
    expect(() => new Deployment(objects.deployment).validate()).not.toThrow();
    expect(() => new Service(objects.service!).validate()).not.toThrow();
    expect(() => new ConfigMap(objects.configMap!).validate()).not.toThrow();
  });

  it("selects its own pods, and the Service selects the same pods", () => {
    const selector = objects.deployment.spec!.selector.matchLabels!;
    expect(objects.deployment.spec!.template.metadata!.labels).toMatchObject(selector);
    expect(objects.service!.spec!.selector).toEqual(selector);
  });

  it("carries the recommended labels", () => {
    expect(objects.deployment.metadata!.labels).toEqual({
      "app.kubernetes.io/name": "search",
      "app.kubernetes.io/instance": "search-prod",
      "app.kubernetes.io/version": "1.2.3",
      "app.kubernetes.io/component": "app",
      "app.kubernetes.io/part-of": "abode",
      "app.kubernetes.io/managed-by": "pulumi",
    });
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
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it("probes liveness and readiness on their own paths", () => {
    expect(container.livenessProbe!.httpGet).toEqual({ port: 8080, path: "/healthz", scheme: "HTTP" });
    expect(container.readinessProbe!.httpGet).toEqual({ port: 8080, path: "/readyz", scheme: "HTTP" });
  });

  it("falls back to an exec probe without the Docker CMD prefix", () => {
    const exec = renderKubernetes(sampleSpec({ health: { command: ["CMD", "ollama", "list"] } }), target);
    expect(exec.deployment.spec!.template.spec!.containers[0].livenessProbe!.exec).toEqual({ command: ["ollama", "list"] });
  });

  it("sets requests and limits", () => {
    expect(container.resources).toEqual({ limits: { cpu: "1500m", memory: "1024Mi" }, requests: { cpu: "750m", memory: "512Mi" } });
  });

  it("requests GPUs and tolerates the GPU taint only for GPU workloads", () => {
    const gpu = renderKubernetes(sampleSpec({ gpu: { count: 1 } }), target).deployment.spec!.template.spec!;
    expect(gpu.containers[0].resources!.limits).toMatchObject({ "nvidia.com/gpu": "1" });
    expect(gpu.tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" }]);
    expect(pod.tolerations).toBeUndefined();
  });

  it("keeps secret files and secret env values out of the ConfigMap", () => {
    const { secret, configMap, deployment } = renderKubernetes(sampleSpec({ env: { PLAIN: "x", PASSWORD: Promise.resolve("p") } }), target);
    expect(Object.keys(configMap!.data!)).toEqual(["etc_search_search.yml", "var_lib_search_seed.json"]);
    expect(Object.keys(secret!.stringData)).toEqual(["env.PASSWORD", "file.etc_search_tls_key.pem"]);
    expect(deployment.spec!.template.spec!.containers[0].env).toEqual([
      { name: "PASSWORD", valueFrom: { secretKeyRef: { name: "search-secrets", key: "env.PASSWORD" } } },
      { name: "PLAIN", value: "x" },
    ]);
  });

  it("rolls updates without losing capacity", () => {
    expect(objects.deployment.spec!.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    expect(objects.deployment.spec!.replicas).toBe(2);
  });
});
