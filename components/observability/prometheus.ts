import type { Resources, WorkloadSpec } from "../workload/spec";
import { renderAlertRules, type AlertRuleOptions } from "./alert-rules";
import { wgetHealthCommand } from "./health";
import { IMAGES } from "./versions";
import { toYaml } from "../workload/yaml";

export const PROMETHEUS_NAME = "prometheus";
/** `nobody`, the user the upstream image runs as and owns `/prometheus` with. */
export const PROMETHEUS_UID = 65534;
export const PROMETHEUS_PORT = 9090;
export const PROMETHEUS_CONFIG_PATH = "/etc/prometheus/prometheus.yml";
export const PROMETHEUS_RULES_PATH = "/etc/prometheus/rules/abode.rules.yml";
const DATA_PATH = "/prometheus";

/** Where Prometheus scrapes one workload. The job label is the workload name (contract with the alert rules). */
export interface ScrapeTarget {
  job: string;
  /** `host:port` on the workloads' network. */
  address: string;
  metricsPath: string;
  scheme: "http" | "https";
  /** Extra labels on every scraped series. */
  labels: Record<string, string>;
}

/** One scrape target per workload that declares `metrics`, at `<name>:<containerPort of the named port>`. */
export function scrapeTargetsFor(specs: WorkloadSpec[]): ScrapeTarget[] {
  return specs.flatMap((spec) => {
    if (!spec.metrics) return [];
    const port = spec.ports.find((p) => p.name === spec.metrics!.port);
    if (!port) {
      const known = spec.ports.map((p) => p.name).join(", ") || "none";
      throw new Error(`${spec.name}: metrics port "${spec.metrics.port}" is not one of its ports (${known})`);
    }
    return [
      {
        job: spec.name,
        address: `${spec.name}:${port.containerPort}`,
        metricsPath: spec.metrics.path,
        scheme: spec.metrics.scheme ?? "http",
        labels: { component: spec.component },
      },
    ];
  });
}

export interface PrometheusConfigArgs {
  targets: ScrapeTarget[];
  /** Rule file paths, absolute or relative to the config file. */
  ruleFiles: string[];
  scrapeIntervalSeconds: number;
}

/**
 * prometheus.yml: every target's metrics endpoint plus Prometheus itself (unless a target
 * already is Prometheus). Only syntax Prometheus 2.42 understands, so the Debian `promtool`
 * used in CI checks exactly what the 2.55 image will load.
 */
export function renderPrometheusConfig(args: PrometheusConfigArgs) {
  const interval = args.scrapeIntervalSeconds;
  if (!Number.isInteger(interval) || interval < 1) throw new Error(`scrape interval must be a whole number of seconds ≥ 1, got ${interval}`);
  const duplicates = args.targets.map((t) => t.job).filter((job, i, jobs) => jobs.indexOf(job) !== i);
  if (duplicates.length) throw new Error(`duplicate scrape jobs: ${[...new Set(duplicates)].join(", ")}`);

  const self: ScrapeTarget = { job: PROMETHEUS_NAME, address: `localhost:${PROMETHEUS_PORT}`, metricsPath: "/metrics", scheme: "http", labels: { component: "observability" } };
  const targets = args.targets.some((t) => t.job === self.job) ? args.targets : [self, ...args.targets];
  return {
    global: {
      scrape_interval: `${interval}s`,
      // A scrape may not outlast its interval; 10 s is Prometheus' own default otherwise.
      scrape_timeout: `${Math.min(interval, 10)}s`,
      evaluation_interval: `${interval}s`,
    },
    rule_files: args.ruleFiles,
    scrape_configs: targets.map((t) => ({
      job_name: t.job,
      metrics_path: t.metricsPath,
      scheme: t.scheme,
      static_configs: [{ targets: [t.address], labels: t.labels }],
    })),
  };
}

export interface PrometheusWorkloadArgs {
  /** What to scrape, usually `scrapeTargetsFor(allSpecs)`. */
  targets: ScrapeTarget[];
  /** Services on the service kit that get the RED alerts (see alert-rules.ts). */
  alertedServices: string[];
  /** Thresholds and runbook link for the alerts. @default {} */
  alertOptions?: AlertRuleOptions;
  /** @default 15 */
  scrapeIntervalSeconds?: number;
  /** How long samples are kept (`--storage.tsdb.retention.time`). @default "15d" */
  retention?: string;
  /** Size of the data volume; retention by size stops at 80 % of it so the disk never fills. @default 20 */
  dataSizeGiB?: number;
  /** @default { cpu: 1, memoryMiB: 1024 } */
  resources?: Resources;
  /** @default [] */
  dependsOn?: string[];
}

/** Prometheus, with its config and the RED alert rules rendered in. */
export function prometheusWorkload(args: PrometheusWorkloadArgs): WorkloadSpec {
  const retention = args.retention ?? "15d";
  if (!/^\d+(ms|s|m|h|d|w|y)$/.test(retention)) throw new Error(`prometheus retention must be a duration like "15d", got "${retention}"`);
  const dataSizeGiB = args.dataSizeGiB ?? 20;
  const config = renderPrometheusConfig({
    targets: args.targets,
    ruleFiles: [PROMETHEUS_RULES_PATH],
    scrapeIntervalSeconds: args.scrapeIntervalSeconds ?? 15,
  });
  const rules = renderAlertRules(args.alertedServices, args.alertOptions);
  const url = (path: string) => `http://127.0.0.1:${PROMETHEUS_PORT}${path}`;
  return {
    name: PROMETHEUS_NAME,
    component: "observability",
    version: IMAGES.prometheus.tag,
    image: { kind: "pinned", repository: IMAGES.prometheus.repository, tag: IMAGES.prometheus.tag },
    args: [
      `--config.file=${PROMETHEUS_CONFIG_PATH}`,
      `--storage.tsdb.path=${DATA_PATH}`,
      `--storage.tsdb.retention.time=${retention}`,
      `--storage.tsdb.retention.size=${Math.max(1, Math.floor(dataSizeGiB * 0.8))}GB`,
      `--web.listen-address=0.0.0.0:${PROMETHEUS_PORT}`,
    ],
    ports: [{ name: "http", containerPort: PROMETHEUS_PORT }],
    env: {},
    configFiles: [
      { path: PROMETHEUS_CONFIG_PATH, content: toYaml(config) },
      { path: PROMETHEUS_RULES_PATH, content: toYaml(rules) },
    ],
    volumes: [{ name: "data", mountPath: DATA_PATH, sizeGiB: dataSizeGiB }],
    health: {
      http: { port: PROMETHEUS_PORT, path: "/-/healthy", readinessPath: "/-/ready" },
      // The image is busybox-based: its own wget probes the liveness endpoint.
      command: wgetHealthCommand(url("/-/healthy")),
    },
    resources: args.resources ?? { cpu: 1, memoryMiB: 1024 },
    security: { runAsUser: PROMETHEUS_UID, runAsGroup: PROMETHEUS_UID, readOnlyRootFilesystem: true },
    dependsOn: args.dependsOn ?? [],
    metrics: { port: "http", path: "/metrics" },
  };
}
