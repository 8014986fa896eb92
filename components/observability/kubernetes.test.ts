import * as pulumi from "@pulumi/pulumi";
import { installMocks, type Captured } from "../../test/mocks";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { renderAlertRules } from "./alert-rules";
import { redDashboard } from "./dashboards";
import { ObservabilityObjects, dashboardConfigMaps, prometheusRule } from "./kubernetes";

const SERVICES = ["ai-lighting", "ifc", "cfd-solver"];
const OPTIONS = { p99ThresholdSeconds: { "cfd-solver": 30 }, runbookBaseUrl: "https://example.org/runbooks.md" };

describe("prometheusRule", () => {
  it("is a PrometheusRule in observability, labelled for kube-prometheus-stack's rule selector", () => {
    const rule = prometheusRule(SERVICES, OPTIONS);
    expect(rule.apiVersion).toBe("monitoring.coreos.com/v1");
    expect(rule.kind).toBe("PrometheusRule");
    expect(rule.metadata.namespace).toBe("observability");
    expect(rule.metadata.labels).toMatchObject({
      release: "kube-prometheus-stack",
      "app.kubernetes.io/name": "abode-alerts",
      "app.kubernetes.io/part-of": "abode",
      "app.kubernetes.io/managed-by": "pulumi",
      "app.kubernetes.io/component": "alerting",
    });
    expect(rule.metadata.labels["app.kubernetes.io/version"]).toMatch(/^[0-9a-f]{12}$/);
  });

  it("carries exactly the dev alert groups (dev/prod parity)", () => {
    expect(prometheusRule(SERVICES, OPTIONS).spec.groups).toEqual(renderAlertRules(SERVICES, OPTIONS).groups);
    expect(prometheusRule(SERVICES).spec.groups).toEqual(renderAlertRules(SERVICES).groups);
  });

  it("honours another release name and namespace, and rejects what the renderer rejects", () => {
    const rule = prometheusRule(SERVICES, { release: "kps", namespace: "monitoring" });
    expect(rule.metadata.labels.release).toBe("kps");
    expect(rule.metadata.namespace).toBe("monitoring");
    expect(() => prometheusRule(["Bad Name"])).toThrow(/not a valid service name/);
  });
});

describe("dashboardConfigMaps", () => {
  it("renders one valid ConfigMap per service, labelled for the Grafana sidecar, holding the dev dashboard", () => {
    const maps = dashboardConfigMaps(SERVICES, { p99ThresholdSeconds: OPTIONS.p99ThresholdSeconds });
    expect(maps).toHaveLength(SERVICES.length);
    for (const [i, service] of SERVICES.entries()) {
      const map = maps[i];
      new ConfigMap(map).validate();
      expect(map.metadata!.namespace).toBe("observability");
      expect(map.metadata!.labels).toMatchObject({ grafana_dashboard: "1", "app.kubernetes.io/part-of": "abode", "app.kubernetes.io/managed-by": "pulumi" });
      expect(JSON.parse(map.data![`${service}.json`])).toEqual(redDashboard(service, { p99ThresholdSeconds: OPTIONS.p99ThresholdSeconds[service as "cfd-solver"] }));
    }
  });
});

describe("ObservabilityObjects under mocks", () => {
  let created: Captured[] = [];
  beforeAll(() => {
    created = installMocks(pulumi);
  });

  it("registers the PrometheusRule as a CustomResource and one ConfigMap per dashboard", async () => {
    const component = new ObservabilityObjects("obs", { services: SERVICES, alertOptions: OPTIONS });
    await new Promise<void>((resolve) => pulumi.output(component.urn).apply(() => resolve()));
    await new Promise((r) => setImmediate(r));
    expect(created.find((r) => r.type === "abode:observability:KubernetesObjects")).toBeDefined();
    const rules = created.filter((r) => r.type === "kubernetes:monitoring.coreos.com/v1:PrometheusRule");
    expect(rules).toHaveLength(1);
    expect(rules[0].inputs.spec.groups).toEqual(renderAlertRules(SERVICES, OPTIONS).groups);
    const maps = created.filter((r) => r.type === "kubernetes:core/v1:ConfigMap");
    expect(maps.map((m) => m.inputs.metadata.name).sort()).toEqual(SERVICES.map((s) => `dashboard-${s}`).sort());
    for (const m of maps) expect(m.inputs.metadata.labels.grafana_dashboard).toBe("1");
    expect(component.dashboardNames).toHaveLength(3);
  });
});
