/**
 * Prometheus alerting rules for services built on the service kit. The metric names are a
 * contract with the kit (see `HTTP_METRICS`); the job label is the workload name, which is
 * what `scrapeTargetsFor` sets.
 */

/** Metric names fixed by contract with the service kit. */
export const HTTP_METRICS = {
  /** Counter, labels `route`, `method`, `status_code`. */
  requests: "http_requests_total",
  /** Histogram buckets, labels `route`, `method`, `status_code`, `le`. */
  durationBuckets: "http_request_duration_seconds_bucket",
} as const;

/** The alerts every service gets, with the anchor of their section in `docs/runbooks.md`. */
export const ALERTS = {
  TargetDown: { anchor: "targetdown", for: "2m", severity: "critical" },
  High5xxRatio: { anchor: "high5xxratio", for: "5m", severity: "critical" },
  HighP99Latency: { anchor: "highp99latency", for: "10m", severity: "warning" },
} as const;
export type AlertName = keyof typeof ALERTS;

/** Share of requests answered with a 5xx above which High5xxRatio fires. */
export const MAX_5XX_RATIO = 0.05;

export interface AlertRuleOptions {
  /** p99 latency threshold, seconds, for services not listed in `p99ThresholdSeconds`. @default 1 */
  defaultP99ThresholdSeconds?: number;
  /** Per-service p99 thresholds, seconds (a CFD solve is not a metadata lookup). @default {} */
  p99ThresholdSeconds?: Record<string, number>;
  /**
   * Where `docs/runbooks.md` is served; each alert's `runbook_url` is this plus `#<anchor>`.
   * The stack should pass the repository's web URL so the link is clickable in a notification.
   * @default "docs/runbooks.md"
   */
  runbookBaseUrl?: string;
}

export interface AlertingRule {
  alert: AlertName;
  expr: string;
  for: string;
  labels: { severity: string; service: string };
  annotations: { summary: string; description: string; runbook_url: string };
}

export interface RuleGroup {
  name: string;
  rules: AlertingRule[];
}

/** Service names end up inside PromQL label matchers: only DNS-label characters are allowed. */
const SERVICE_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** One rule group per service: TargetDown, High5xxRatio, HighP99Latency. */
export function renderAlertRules(services: string[], options: AlertRuleOptions = {}): { groups: RuleGroup[] } {
  const thresholds = options.p99ThresholdSeconds ?? {};
  const defaultThreshold = options.defaultP99ThresholdSeconds ?? 1;
  const problems = [
    ...services.filter((s) => !SERVICE_NAME.test(s)).map((s) => `"${s}" is not a valid service name`),
    ...services.filter((s, i) => services.indexOf(s) !== i).map((s) => `"${s}" is listed twice`),
    ...Object.keys(thresholds).filter((s) => !services.includes(s)).map((s) => `p99 threshold given for "${s}", which is not alerted on`),
    ...Object.entries({ default: defaultThreshold, ...thresholds })
      .filter(([, t]) => !(Number.isFinite(t) && t > 0))
      .map(([s, t]) => `p99 threshold for ${s} must be a positive number of seconds, got ${t}`),
  ];
  if (problems.length) throw new Error(`Invalid alert rules:\n- ${problems.join("\n- ")}`);

  const runbook = (alert: AlertName) => `${options.runbookBaseUrl ?? "docs/runbooks.md"}#${ALERTS[alert].anchor}`;
  return {
    groups: services.map((service) => {
      const job = `job="${service}"`;
      const p99 = thresholds[service] ?? defaultThreshold;
      const meta = (alert: AlertName) => ({ alert, for: ALERTS[alert].for, labels: { severity: ALERTS[alert].severity, service } });
      return {
        name: `abode-${service}`,
        rules: [
          {
            ...meta("TargetDown"),
            expr: `up{${job}} == 0`,
            annotations: {
              summary: `${service} is down`,
              description: `Prometheus has failed to scrape ${service} at {{ $labels.instance }} for at least ${ALERTS.TargetDown.for}.`,
              runbook_url: runbook("TargetDown"),
            },
          },
          {
            ...meta("High5xxRatio"),
            // No requests at all gives 0/0 = NaN, which compares false: silence, not a false alarm.
            expr:
              `sum by (job) (rate(${HTTP_METRICS.requests}{${job}, status_code=~"5.."}[5m]))` +
              ` / sum by (job) (rate(${HTTP_METRICS.requests}{${job}}[5m])) > ${MAX_5XX_RATIO}`,
            annotations: {
              summary: `${service} is failing requests`,
              description: `{{ $value | humanizePercentage }} of ${service} requests returned a 5xx status over the last 5 minutes (threshold ${MAX_5XX_RATIO * 100}%).`,
              runbook_url: runbook("High5xxRatio"),
            },
          },
          {
            ...meta("HighP99Latency"),
            expr: `histogram_quantile(0.99, sum by (job, le) (rate(${HTTP_METRICS.durationBuckets}{${job}}[5m]))) > ${p99}`,
            annotations: {
              summary: `${service} is slow`,
              description: `The 99th percentile latency of ${service} is {{ $value | humanizeDuration }} over the last 5 minutes (threshold ${p99}s).`,
              runbook_url: runbook("HighP99Latency"),
            },
          },
        ],
      };
    }),
  };
}
