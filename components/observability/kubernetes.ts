import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import { renderAlertRules, type AlertRuleOptions, type RuleGroup } from "./alert-rules";
import { redDashboard } from "./dashboards";

/**
 * The dev stack's alert rules and dashboards, as the objects kube-prometheus-stack discovers
 * on Kubernetes: one PrometheusRule (the Prometheus Operator loads it into Prometheus) and one
 * ConfigMap per dashboard (Grafana's dashboard sidecar provisions it). Both come from the same
 * renderers as dev (`renderAlertRules`, `redDashboard`), so the alerts and panels are identical.
 *
 * Parity assumption: the rules select `job="<service>"`. Prometheus Operator names a
 * ServiceMonitor's job after the Service, and our Services are named after their workload,
 * so the ServiceMonitors must not set `jobLabel`.
 */

/** Where kube-prometheus-stack runs; its Grafana sidecar watches this namespace. */
export const OBSERVABILITY_NAMESPACE = "observability";
/** The kube-prometheus-stack Helm release name: its default `ruleSelector` matches `release: <name>`. */
export const KUBE_PROMETHEUS_RELEASE = "kube-prometheus-stack";
/** kube-prometheus-stack's Grafana sidecar default: ConfigMaps labelled `grafana_dashboard: "1"` are dashboards. */
export const GRAFANA_DASHBOARD_LABEL = { grafana_dashboard: "1" } as const;

export interface PrometheusRuleOptions extends AlertRuleOptions {
  /** @default "observability" */
  namespace?: string;
  /** The Helm release of kube-prometheus-stack (its rule selector's `release` label). @default "kube-prometheus-stack" */
  release?: string;
  /** @default "abode-alerts" */
  name?: string;
}

/** A PrometheusRule (monitoring.coreos.com/v1). The CRD is not in kubernetes-models, so it is typed here. */
export interface PrometheusRuleObject {
  apiVersion: "monitoring.coreos.com/v1";
  kind: "PrometheusRule";
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: { groups: RuleGroup[] };
}

/** Recommended labels; these objects have no release of their own, so `version` is a hash of their content. */
function labels(name: string, component: string, content: unknown): Record<string, string> {
  return {
    "app.kubernetes.io/name": name,
    "app.kubernetes.io/instance": name,
    "app.kubernetes.io/version": createHash("sha256").update(JSON.stringify(content)).digest("hex").slice(0, 12),
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/part-of": "abode",
    "app.kubernetes.io/managed-by": "pulumi",
  };
}

/** The alert rules of `services`, exactly `renderAlertRules(services, options)`'s groups. Pure. */
export function prometheusRule(services: string[], options: PrometheusRuleOptions = {}): PrometheusRuleObject {
  const { namespace, release, name, ...alertOptions } = options;
  const ruleName = name ?? "abode-alerts";
  const groups = renderAlertRules(services, alertOptions).groups;
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: {
      name: ruleName,
      namespace: namespace ?? OBSERVABILITY_NAMESPACE,
      labels: { ...labels(ruleName, "alerting", groups), release: release ?? KUBE_PROMETHEUS_RELEASE },
    },
    spec: { groups },
  };
}

export interface DashboardOptions {
  /** Per-service p99 thresholds drawn on the latency panels (pass the alerts' own). @default {} */
  p99ThresholdSeconds?: Record<string, number>;
  /** @default "observability" */
  namespace?: string;
}

/** One ConfigMap per service holding its RED dashboard JSON, for Grafana's dashboard sidecar. Pure. */
export function dashboardConfigMaps(services: string[], options: DashboardOptions = {}): IConfigMap[] {
  return services.map((service) => {
    const name = `dashboard-${service}`;
    const json = JSON.stringify(redDashboard(service, { p99ThresholdSeconds: options.p99ThresholdSeconds?.[service] }), null, 2);
    return {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name,
        namespace: options.namespace ?? OBSERVABILITY_NAMESPACE,
        labels: { ...labels(name, "dashboards", json), ...GRAFANA_DASHBOARD_LABEL },
      },
      data: { [`${service}.json`]: json },
    };
  });
}

export interface ObservabilityObjectsArgs {
  /** The services alerted on and given a dashboard (those exposing the service-kit metrics). */
  services: string[];
  /** Thresholds, runbook URL; namespace and release label of the rule. @default {} */
  alertOptions?: PrometheusRuleOptions;
  /** @default "observability" */
  namespace?: string;
}

/**
 * Registers the PrometheusRule and the dashboard ConfigMaps. Install it after kube-prometheus-stack
 * (pass the Helm release in `opts.dependsOn`): the PrometheusRule CRD comes with that chart.
 */
export class ObservabilityObjects extends pulumi.ComponentResource {
  public readonly ruleName: string;
  public readonly dashboardNames: string[];

  constructor(name: string, args: ObservabilityObjectsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("abode:observability:KubernetesObjects", name, {}, opts);
    const namespace = args.namespace ?? args.alertOptions?.namespace ?? OBSERVABILITY_NAMESPACE;
    const rule = prometheusRule(args.services, { ...args.alertOptions, namespace });
    new k8s.apiextensions.CustomResource(`${name}-rules`, rule, { parent: this });
    const maps = dashboardConfigMaps(args.services, { namespace, p99ThresholdSeconds: args.alertOptions?.p99ThresholdSeconds });
    for (const map of maps) {
      new k8s.core.v1.ConfigMap(`${name}-${map.metadata!.name}`, map as k8s.types.input.core.v1.ConfigMap, { parent: this });
    }
    this.ruleName = rule.metadata.name;
    this.dashboardNames = maps.map((m) => m.metadata!.name!);
    this.registerOutputs({ ruleName: this.ruleName, dashboardNames: this.dashboardNames });
  }
}
