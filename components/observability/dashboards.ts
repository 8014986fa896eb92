import { HTTP_METRICS } from "./alert-rules";

/** The uid the Prometheus datasource is provisioned with; dashboards reference it by uid. */
export const PROMETHEUS_DATASOURCE_UID = "prometheus";

export interface RedDashboardOptions {
  /** Drawn as a threshold line on the latency panel; pass the same value as the alert's. */
  p99ThresholdSeconds?: number;
}

const datasource = { type: "prometheus", uid: PROMETHEUS_DATASOURCE_UID };

/**
 * A RED dashboard (Rate, Errors, Duration) for one service, as Grafana dashboard JSON. Every
 * query is scoped to `job="<service>"` and the `route` variable, on the contract metrics.
 */
export function redDashboard(service: string, options: RedDashboardOptions = {}) {
  const scope = `job="${service}", route=~"$route"`;
  const rate = (extra = "") => `rate(${HTTP_METRICS.requests}{${scope}${extra}}[$__rate_interval])`;
  const quantile = (q: number, by = "le") =>
    `histogram_quantile(${q}, sum by (${by}) (rate(${HTTP_METRICS.durationBuckets}{${scope}}[$__rate_interval])))`;

  const panels = [
    timeseries(1, "Request rate by route", "reqps", { x: 0, y: 0 }, [target("A", `sum by (route) (${rate()})`, "{{route}}")]),
    timeseries(2, "5xx ratio", "percentunit", { x: 12, y: 0 }, [
      target("A", `sum(${rate(', status_code=~"5.."')}) / sum(${rate()})`, "5xx ratio"),
    ], 0.05),
    timeseries(3, "Errors by status code", "reqps", { x: 0, y: 8 }, [
      target("A", `sum by (status_code) (${rate(', status_code=~"[45].."')})`, "{{status_code}}"),
    ]),
    timeseries(4, "Latency p50 / p95 / p99", "s", { x: 12, y: 8 }, [
      target("A", quantile(0.5), "p50"),
      target("B", quantile(0.95), "p95"),
      target("C", quantile(0.99), "p99"),
    ], options.p99ThresholdSeconds),
    timeseries(5, "p99 latency by route", "s", { x: 0, y: 16 }, [target("A", quantile(0.99, "le, route"), "{{route}}")], options.p99ThresholdSeconds),
  ];

  return {
    uid: `abode-red-${service}`.slice(0, 40), // Grafana caps uids at 40 characters
    title: `${service} · RED`,
    tags: ["abode", "red", service],
    editable: false, // provisioned: edits in the UI would be lost on the next deploy
    schemaVersion: 39,
    version: 1,
    time: { from: "now-1h", to: "now" },
    refresh: "30s",
    timezone: "browser",
    templating: {
      list: [
        {
          name: "route",
          label: "Route",
          type: "query",
          datasource,
          query: { query: `label_values(${HTTP_METRICS.requests}{job="${service}"}, route)`, refId: "route" },
          refresh: 2, // on time-range change
          includeAll: true,
          allValue: ".*",
          multi: true,
          current: { text: "All", value: "$__all" },
          sort: 1,
        },
      ],
    },
    panels,
  };
}

function target(refId: string, expr: string, legendFormat: string) {
  return { refId, datasource, expr, legendFormat, range: true };
}

function timeseries(
  id: number,
  title: string,
  unit: string,
  at: { x: number; y: number },
  targets: ReturnType<typeof target>[],
  threshold?: number,
) {
  return {
    id,
    type: "timeseries",
    title,
    datasource,
    gridPos: { ...at, w: 12, h: 8 },
    targets,
    fieldConfig: {
      defaults: {
        unit,
        min: 0,
        ...(threshold !== undefined
          ? {
              thresholds: { mode: "absolute", steps: [{ color: "green", value: null }, { color: "red", value: threshold }] },
              custom: { thresholdsStyle: { mode: "line" } },
            }
          : {}),
      },
      overrides: [],
    },
    options: { legend: { displayMode: "list", placement: "bottom" }, tooltip: { mode: "multi" } },
  };
}
