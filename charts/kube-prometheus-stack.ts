import type * as pulumi from "@pulumi/pulumi";
import { IMAGES } from "../components/observability/versions";
import type { ChartRef } from "./helm-release";
import { SYSTEM_POOL, containerSecurity, poolSelector, podSecurity, resources } from "./common";

/**
 * kube-prometheus-stack. 66.2.1 verified: pinned from the prometheus-community repository in a
 * public Flux HelmRelease. Prometheus and Grafana images are set to dev's pins (`IMAGES`).
 */
export const CHART: ChartRef = {
  repository: "https://prometheus-community.github.io/helm-charts",
  chart: "kube-prometheus-stack",
  version: "66.2.1",
};

export const NAMESPACE = "observability";

export interface SecretKeyRef {
  name: string;
  key: string;
}

export interface KubePrometheusStackValuesArgs {
  /** Existing Secret (in NAMESPACE) holding Grafana's admin user and password. */
  grafanaAdmin: { secretName: string; userKey: string; passwordKey: string };
  /** Jaeger query URL for the Grafana datasource, e.g. http://jaeger.observability.svc:16686 */
  jaegerUrl: string;
  /** Elasticsearch for the Grafana datasource; its credentials and CA come from Secrets in NAMESPACE. */
  elasticsearch: { url: string; index: string; username: SecretKeyRef; password: SecretKeyRef; ca: SecretKeyRef };
  /** @default "15d" */
  retention?: string;
  /** @default 50 */
  prometheusStorageGiB?: number;
  /** @default 10 */
  grafanaStorageGiB?: number;
  /** @default "gp3" */
  storageClassName?: string;
}

const pvc = (storageClassName: string, gib: number) => ({
  spec: { storageClassName, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: `${gib}Gi` } } },
});

/**
 * Prometheus (general pool: it is the heavy one) with gp3 storage and selectors that pick up
 * every PrometheusRule / ServiceMonitor / PodMonitor in every namespace, not only the chart's;
 * Alertmanager, the operator, kube-state-metrics and Grafana on the system pool; node-exporter
 * on every node. Grafana's admin comes from an existing Secret (no password in values), its
 * dashboards from ConfigMaps labelled `grafana_dashboard: "1"` in any namespace.
 */
export function values(args: KubePrometheusStackValuesArgs) {
  const storageClassName = args.storageClassName ?? "gp3";
  const retention = args.retention ?? "15d";
  if (!/^\d+[dhwy]$/.test(retention)) throw new Error(`kube-prometheus-stack: retention "${retention}" is not a duration like 15d`);
  const env = (ref: SecretKeyRef) => ({ secretKeyRef: { name: ref.name, key: ref.key } });
  return {
    crds: { enabled: true },
    prometheusOperator: {
      nodeSelector: SYSTEM_POOL,
      securityContext: podSecurity(65534, 65534, 65534),
      containerSecurityContext: containerSecurity(),
      resources: resources({ cpu: "100m", memory: "128Mi" }, { cpu: "500m", memory: "512Mi" }),
      admissionWebhooks: { patch: { nodeSelector: SYSTEM_POOL } },
    },
    prometheus: {
      prometheusSpec: {
        image: { registry: "quay.io", repository: "prometheus/prometheus", tag: IMAGES.prometheus.tag },
        retention,
        ruleSelectorNilUsesHelmValues: false,
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        probeSelectorNilUsesHelmValues: false,
        ruleSelector: {},
        serviceMonitorSelector: {},
        podMonitorSelector: {},
        ruleNamespaceSelector: {},
        serviceMonitorNamespaceSelector: {},
        podMonitorNamespaceSelector: {},
        storageSpec: { volumeClaimTemplate: pvc(storageClassName, args.prometheusStorageGiB ?? 50) },
        nodeSelector: poolSelector("general"),
        securityContext: podSecurity(1000, 2000, 2000),
        resources: resources({ cpu: "500m", memory: "2Gi" }, { cpu: "2", memory: "4Gi" }),
      },
    },
    alertmanager: {
      enabled: true,
      alertmanagerSpec: {
        nodeSelector: SYSTEM_POOL,
        securityContext: podSecurity(1000, 2000, 2000),
        storage: { volumeClaimTemplate: pvc(storageClassName, 2) },
        resources: resources({ cpu: "50m", memory: "64Mi" }, { cpu: "200m", memory: "256Mi" }),
      },
    },
    grafana: {
      enabled: true,
      image: { repository: "grafana/grafana", tag: IMAGES.grafana.tag },
      admin: { existingSecret: args.grafanaAdmin.secretName, userKey: args.grafanaAdmin.userKey, passwordKey: args.grafanaAdmin.passwordKey },
      persistence: { enabled: true, type: "pvc", storageClassName, accessModes: ["ReadWriteOnce"], size: `${args.grafanaStorageGiB ?? 10}Gi` },
      sidecar: {
        dashboards: { enabled: true, label: "grafana_dashboard", labelValue: "1", searchNamespace: "ALL" },
        datasources: { enabled: true },
      },
      envValueFrom: { ES_USERNAME: env(args.elasticsearch.username), ES_PASSWORD: env(args.elasticsearch.password), ES_CA_PEM: env(args.elasticsearch.ca) },
      additionalDataSources: [
        { name: "Jaeger", type: "jaeger", uid: "jaeger", access: "proxy", url: args.jaegerUrl, editable: false },
        {
          name: "Elasticsearch",
          type: "elasticsearch",
          uid: "elasticsearch",
          access: "proxy",
          url: args.elasticsearch.url,
          editable: false,
          basicAuth: true,
          // Grafana expands $VARS from its environment when it reads provisioning files.
          basicAuthUser: "$ES_USERNAME",
          jsonData: { index: args.elasticsearch.index, timeField: "@timestamp", tlsAuthWithCACert: true },
          secureJsonData: { basicAuthPassword: "$ES_PASSWORD", tlsCACert: "$ES_CA_PEM" },
        },
      ],
      nodeSelector: SYSTEM_POOL,
      securityContext: podSecurity(472, 472, 472),
      containerSecurityContext: containerSecurity(),
      resources: resources({ cpu: "100m", memory: "256Mi" }, { cpu: "500m", memory: "512Mi" }),
    },
    "kube-state-metrics": {
      nodeSelector: SYSTEM_POOL,
      resources: resources({ cpu: "50m", memory: "128Mi" }, { cpu: "200m", memory: "256Mi" }),
    },
    "prometheus-node-exporter": {
      // A node agent: every node, whatever its taint.
      tolerations: [{ operator: "Exists" }],
      resources: resources({ cpu: "20m", memory: "32Mi" }, { cpu: "200m", memory: "64Mi" }),
    },
  } satisfies Record<string, pulumi.Input<unknown>>;
}
