import { renderCollectorConfig } from "../components/observability/otel-collector";
import { IMAGES } from "../components/observability/versions";
import { chartProblems, isExactVersion } from "./helm-release";
import * as albc from "./aws-load-balancer-controller";
import * as ca from "./cluster-autoscaler";
import * as eck from "./eck-operator";
import * as jaeger from "./jaeger";
import * as kps from "./kube-prometheus-stack";
import * as metrics from "./metrics-server";
import * as nvidia from "./nvidia-device-plugin";
import * as otel from "./opentelemetry-collector";

const ROLE = "arn:aws:iam::123456789012:role/abode-addon";
const secret = (key: string) => ({ name: "es-creds", key });

const all = {
  nvidia: { mod: nvidia, vals: nvidia.values() },
  autoscaler: { mod: ca, vals: ca.values({ clusterName: "abode", region: "eu-west-1", roleArn: ROLE, kubernetesVersion: "1.33" }) },
  albc: { mod: albc, vals: albc.values({ clusterName: "abode", region: "eu-west-1", vpcId: "vpc-1", roleArn: ROLE }) },
  metrics: { mod: metrics, vals: metrics.values() },
  eck: { mod: eck, vals: eck.values() },
  kps: {
    mod: kps,
    vals: kps.values({
      grafanaAdmin: { secretName: "grafana-admin", userKey: "user", passwordKey: "password" },
      jaegerUrl: "http://jaeger.observability.svc:16686",
      elasticsearch: { url: "https://elk-es-http.logging.svc:9200", index: "logs-*", username: secret("username"), password: secret("password"), ca: secret("ca.crt") },
    }),
  },
  otel: { mod: otel, vals: otel.values({ jaegerEndpoint: "jaeger.observability.svc:4317" }) },
  jaeger: {
    mod: jaeger,
    vals: jaeger.values({ elasticsearch: { url: "https://elk-es-http.logging.svc:9200", username: secret("username"), password: secret("password"), ca: secret("ca.crt") } }),
  },
};

/** Every `image` map ({repository, tag}) anywhere in a values tree. */
function images(node: unknown, found: { repository: string; tag: string }[] = []) {
  if (Array.isArray(node)) node.forEach((n) => images(n, found));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "image" && v && typeof v === "object" && "repository" in v) found.push(v as { repository: string; tag: string });
      else images(v, found);
    }
  }
  return found;
}

/** Every `resources` map in a values tree. */
function resourceBlocks(node: unknown, found: any[] = []) {
  if (node && typeof node === "object" && !Array.isArray(node)) {
    for (const [k, v] of Object.entries(node)) {
      if (k === "resources" && v && typeof v === "object" && "limits" in v) found.push(v);
      else resourceBlocks(v, found);
    }
  }
  return found;
}

describe.each(Object.entries(all))("%s chart", (_name, { mod, vals }) => {
  it("is pinned to an exact version from an https repository", () => {
    expect(chartProblems(mod.CHART)).toEqual([]);
    expect(mod.CHART.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(mod.CHART.repository.startsWith("https://")).toBe(true);
  });
  it("pins every image it sets to an exact tag", () => {
    for (const image of images(vals)) {
      expect(image.tag).toBeTruthy();
      expect(image.tag).not.toBe("latest");
      expect(image.tag).toMatch(/^v?\d+\.\d+\.\d+$/);
    }
  });
  it("sets requests and limits on every resources block", () => {
    const blocks = resourceBlocks(vals);
    expect(blocks.length).toBeGreaterThan(0);
    for (const r of blocks) {
      expect(r.requests.cpu && r.requests.memory && r.limits.cpu && r.limits.memory).toBeTruthy();
    }
  });
});

describe("chart pinning rules", () => {
  it.each(["1.2", "^1.2.3", "~1.2.3", "1.2.x", ">=1.0.0", "1.2.3-rc1", "latest"])("rejects %s", (v) => expect(isExactVersion(v)).toBe(false));
  it("rejects plain http and OCI-less junk repositories", () => {
    expect(chartProblems({ repository: "http://example.com", chart: "x", version: "1.0.0" })).toHaveLength(1);
  });
});

describe("placement", () => {
  it.each(["autoscaler", "albc", "metrics", "eck", "otel"] as const)("%s runs on the system pool", (name) => {
    expect((all[name].vals as any).nodeSelector).toEqual({ "abode.io/pool": "system" });
  });
  it("jaeger runs on the system pool", () => expect(all.jaeger.vals.jaeger.nodeSelector).toEqual({ "abode.io/pool": "system" }));
  it("the device plugin runs only on the GPU pool and tolerates only the GPU taint", () => {
    const v = all.nvidia.vals;
    expect(v.nodeSelector).toEqual({ "abode.io/pool": "gpu" });
    expect(v.tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" }]);
    expect(v.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: "abode.io/pool", operator: "In", values: ["gpu"] }] },
    ]);
  });
  it("kube-prometheus-stack puts Prometheus on general and the rest on system", () => {
    const v = all.kps.vals;
    expect(v.prometheus.prometheusSpec.nodeSelector).toEqual({ "abode.io/pool": "general" });
    for (const s of [v.alertmanager.alertmanagerSpec, v.grafana, v.prometheusOperator, v["kube-state-metrics"]]) expect(s.nodeSelector).toEqual({ "abode.io/pool": "system" });
    expect(v["prometheus-node-exporter"].tolerations).toEqual([{ operator: "Exists" }]);
  });
});

describe("IRSA", () => {
  it("annotates the autoscaler and load-balancer-controller ServiceAccounts with the role", () => {
    expect(all.autoscaler.vals.rbac.serviceAccount.annotations).toEqual({ "eks.amazonaws.com/role-arn": ROLE });
    expect(all.albc.vals.serviceAccount.annotations).toEqual({ "eks.amazonaws.com/role-arn": ROLE });
  });
  it("rejects a malformed role ARN", () => {
    expect(() => albc.values({ clusterName: "c", region: "r", vpcId: "v", roleArn: "not-an-arn" })).toThrow(/IAM role ARN/);
  });
});

describe("security contexts", () => {
  const restricted = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };
  it.each([
    ["autoscaler", () => [all.autoscaler.vals.securityContext, all.autoscaler.vals.containerSecurityContext]],
    ["albc", () => [all.albc.vals.podSecurityContext, all.albc.vals.securityContext]],
    ["metrics", () => [all.metrics.vals.podSecurityContext, all.metrics.vals.securityContext]],
    ["eck", () => [all.eck.vals.podSecurityContext, all.eck.vals.securityContext]],
    ["otel", () => [all.otel.vals.podSecurityContext, all.otel.vals.securityContext]],
    ["jaeger", () => [all.jaeger.vals.jaeger.podSecurityContext, all.jaeger.vals.jaeger.securityContext]],
    ["grafana", () => [all.kps.vals.grafana.securityContext, all.kps.vals.grafana.containerSecurityContext]],
  ] as const)("%s runs non-root with privileges dropped", (_n, get) => {
    const [pod, container] = get() as any[];
    expect(pod.runAsNonRoot).toBe(true);
    expect(pod.runAsUser).toBeGreaterThan(0);
    expect(container).toMatchObject({ ...restricted, readOnlyRootFilesystem: true });
  });
  it("the device plugin drops every capability (it must be root to reach the kubelet socket)", () => {
    expect(all.nvidia.vals.securityContext).toEqual(restricted);
  });
});

describe("cluster-autoscaler", () => {
  const v = all.autoscaler.vals;
  it("auto-discovers by cluster name on AWS and scales pools to and from zero", () => {
    expect(v.cloudProvider).toBe("aws");
    expect(v.autoDiscovery).toEqual({ clusterName: "abode" });
    expect(v.extraArgs).toMatchObject({ expander: "least-waste", "scale-down-unneeded-time": "10m", "skip-nodes-with-local-storage": false, "balance-similar-node-groups": true });
    expect(v.image).toEqual({ repository: "registry.k8s.io/autoscaling/cluster-autoscaler", tag: "v1.33.0" });
  });
  it("needs priorities for the priority expander, and writes them when given", () => {
    const base = { clusterName: "a", region: "r", roleArn: ROLE, kubernetesVersion: "1.33" };
    expect(() => ca.values({ ...base, expanders: ["priority"] })).toThrow(/priorities/);
    const p = ca.values({ ...base, expanders: ["priority", "least-waste"], priorities: { 10: [".*general.*"] } });
    expect(p.extraArgs.expander).toBe("priority,least-waste");
    expect((p as any).expanderPriorities).toEqual({ 10: [".*general.*"] });
  });
  it("refuses a Kubernetes minor it has no image for", () => expect(() => ca.imageTagFor("1.20")).toThrow(/no pinned image/));
  it("tags zero-size GPU and CFD groups with their labels, taints and GPUs", () => {
    const p = "k8s.io/cluster-autoscaler/node-template";
    expect(ca.scaleFromZeroTags("gpu", { gpusPerNode: 1 })).toEqual({
      [`${p}/label/abode.io/pool`]: "gpu",
      [`${p}/label/nvidia.com/gpu`]: "true",
      [`${p}/taint/nvidia.com/gpu`]: "true:NoSchedule",
      [`${p}/resources/nvidia.com/gpu`]: "1",
    });
    expect(ca.scaleFromZeroTags("cfd")).toEqual({ [`${p}/label/abode.io/pool`]: "cfd", [`${p}/taint/workload`]: "cfd:NoSchedule" });
  });
});

describe("aws-load-balancer-controller", () => {
  it("knows its cluster, region and VPC and runs two replicas", () => {
    expect(all.albc.vals).toMatchObject({ clusterName: "abode", region: "eu-west-1", vpcId: "vpc-1", replicaCount: 2 });
  });
});

describe("eck-operator", () => {
  it("lives in elastic-system and manages the logging namespace", () => {
    expect(eck.NAMESPACE).toBe("elastic-system");
    expect(all.eck.vals.managedNamespaces).toEqual(["logging"]);
    expect(eck.CHART.chart).toBe("eck-operator");
  });
});

describe("kube-prometheus-stack", () => {
  const v = all.kps.vals;
  it("picks up every rule and monitor, in every namespace", () => {
    const spec = v.prometheus.prometheusSpec;
    expect(spec).toMatchObject({
      ruleSelectorNilUsesHelmValues: false,
      serviceMonitorSelectorNilUsesHelmValues: false,
      podMonitorSelectorNilUsesHelmValues: false,
      ruleSelector: {},
      serviceMonitorSelector: {},
      ruleNamespaceSelector: {},
      serviceMonitorNamespaceSelector: {},
    });
  });
  it("keeps Prometheus on gp3 with retention, at dev's version", () => {
    const spec = v.prometheus.prometheusSpec;
    expect(spec.retention).toBe("15d");
    expect(spec.storageSpec.volumeClaimTemplate.spec).toMatchObject({ storageClassName: "gp3", resources: { requests: { storage: "50Gi" } } });
    expect(spec.image.tag).toBe(IMAGES.prometheus.tag);
    expect(v.alertmanager.enabled).toBe(true);
  });
  it("has no literal password anywhere: Grafana's admin comes from an existing Secret", () => {
    expect(v.grafana.admin).toEqual({ existingSecret: "grafana-admin", userKey: "user", passwordKey: "password" });
    const json = JSON.stringify(v);
    expect(json).not.toMatch(/adminPassword/);
    expect(json).not.toMatch(/prom-operator/);
    // The only password-ish values are references to the environment, filled from Secrets.
    const secure = v.grafana.additionalDataSources[1]!.secureJsonData!;
    expect(secure.basicAuthPassword).toBe("$ES_PASSWORD");
    expect(v.grafana.envValueFrom.ES_PASSWORD).toEqual({ secretKeyRef: { name: "es-creds", key: "password" } });
  });
  it("provisions dashboards from labelled ConfigMaps and Jaeger/Elasticsearch datasources", () => {
    expect(v.grafana.sidecar.dashboards).toEqual({ enabled: true, label: "grafana_dashboard", labelValue: "1", searchNamespace: "ALL" });
    expect(v.grafana.persistence).toMatchObject({ enabled: true, storageClassName: "gp3" });
    expect(v.grafana.additionalDataSources.map((d) => [d.type, d.url])).toEqual([
      ["jaeger", "http://jaeger.observability.svc:16686"],
      ["elasticsearch", "https://elk-es-http.logging.svc:9200"],
    ]);
  });
  it("rejects a malformed retention", () => {
    expect(() => kps.values({ ...({} as any), grafanaAdmin: { secretName: "s", userKey: "u", passwordKey: "p" }, retention: "two weeks" })).toThrow(/retention/);
  });
});

describe("opentelemetry-collector", () => {
  const v = all.otel.vals;
  const rendered = renderCollectorConfig({ memoryLimitMiB: 512, jaegerEndpoint: "jaeger.observability.svc:4317" });
  it("runs the contrib image at dev's version, as a 2-replica deployment with presets off", () => {
    expect(v.mode).toBe("deployment");
    expect(v.replicaCount).toBe(2);
    expect(v.image).toEqual({ repository: "otel/opentelemetry-collector-contrib", tag: IMAGES.otelCollector.tag });
    for (const preset of Object.values(v.presets)) expect(preset.enabled).toBe(false);
  });
  it("embeds exactly the rendered pipelines and components", () => {
    const config = v.config as any;
    expect(config.service.pipelines.traces).toEqual(rendered.service.pipelines.traces);
    expect(config.service.pipelines.metrics).toEqual(rendered.service.pipelines.metrics);
    expect(config.exporters["otlp/jaeger"]).toEqual(rendered.exporters["otlp/jaeger"]);
    expect(config.exporters["otlp/jaeger"].endpoint).toBe("jaeger.observability.svc:4317");
  });
  it("after Helm merges it over the chart's defaults, the rendered config wins entirely", () => {
    const merged = otel.helmMerge(otel.CHART_DEFAULT_CONFIG, v.config as any) as any;
    const { telemetry: mergedTelemetry, ...mergedService } = merged.service;
    const { telemetry: renderedTelemetry, ...renderedService } = rendered.service;
    expect({ ...merged, service: mergedService }).toEqual({ ...rendered, service: renderedService });
    // Only the collector's own metrics address survives from the chart, for scraping.
    expect(mergedTelemetry).toEqual({ ...renderedTelemetry, metrics: { address: "${env:MY_POD_IP}:8888" } });
    expect(merged.service.pipelines.logs).toBeUndefined();
    expect(merged.receivers.jaeger).toBeUndefined();
    expect(merged.processors.memory_limiter.limit_percentage).toBeUndefined();
  });
  it("exposes the Prometheus exporter port and closes the unused receivers' ports", () => {
    expect(v.ports["prom-exporter"]).toMatchObject({ enabled: true, containerPort: 8889 });
    expect(v.ports.zipkin.enabled).toBe(false);
  });
});

describe("jaeger", () => {
  const v = all.jaeger.vals;
  it("stores spans persistently in Elasticsearch over TLS with credentials from Secrets", () => {
    const es = v.userconfig.extensions.jaeger_storage.backends.abode_traces.elasticsearch;
    expect(es.server_urls).toEqual(["https://elk-es-http.logging.svc:9200"]);
    expect(es.auth.basic.password).toBe("${env:ES_PASSWORD}");
    expect(es.tls).toEqual({ ca_pem: "${env:ES_CA_PEM}" });
    expect(v.jaeger.extraEnv.map((e) => e.name)).toEqual(["ES_USERNAME", "ES_PASSWORD", "ES_CA_PEM"]);
    expect(() => jaeger.renderJaegerEsConfig({ url: "http://es:9200" })).toThrow(/https/);
  });
  it("receives OTLP and serves the UI on a ClusterIP Service", () => {
    expect(v.userconfig.receivers.otlp.protocols).toEqual({ grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } });
    expect(v.userconfig.service.pipelines.traces.receivers).toEqual(["otlp"]);
    expect(v.jaeger.service.type).toBe("ClusterIP");
    expect(v.jaeger.image.tag).toBe(IMAGES.jaeger.tag);
  });
});
