import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Seconds; spans a cached health check (sub-ms) to a heavy optimisation (seconds). */
export const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface HttpMetrics {
  registry: Registry;
  /** Records one finished request. `route` must be the route pattern, never the raw URL. */
  observe(route: string, method: string, statusCode: number, seconds: number): void;
}

/**
 * The metric names are a contract: Prometheus alert rules and Grafana dashboards use them.
 * One registry per service instance (not prom-client's global one) so several services can
 * live in one process, as they do in tests.
 */
export function createHttpMetrics(serviceName: string): HttpMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: serviceName });
  collectDefaultMetrics({ register: registry });
  const labelNames = ["route", "method", "status_code"] as const;
  const requests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests served, by route pattern, method and status code.",
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "Time from request received to response sent, by route pattern, method and status code.",
    labelNames,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({
    name: "http_request_errors_total",
    help: "Responses with a 5xx status (server faults; client mistakes are 4xx and not counted).",
    labelNames: ["route", "method"] as const,
    registers: [registry],
  });
  // prom-client hashes the label object on every call; resolve each (route, method, status)
  // to its labelled children once. Routes are patterns and statuses few, so this stays small.
  type Children = { requests: ReturnType<typeof requests.labels>; duration: ReturnType<typeof duration.labels>; errors?: ReturnType<typeof errors.labels> };
  const children = new Map<string, Map<string, Map<number, Children>>>();
  const childrenOf = (route: string, method: string, statusCode: number): Children => {
    let byMethod = children.get(route);
    if (!byMethod) children.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map()));
    let found = byStatus.get(statusCode);
    if (!found) {
      const labels = { route, method, status_code: String(statusCode) };
      found = {
        requests: requests.labels(labels),
        duration: duration.labels(labels),
        errors: statusCode >= 500 ? errors.labels({ route, method }) : undefined,
      };
      byStatus.set(statusCode, found);
    }
    return found;
  };
  return {
    registry,
    observe(route, method, statusCode, seconds) {
      const found = childrenOf(route, method, statusCode);
      found.requests.inc();
      found.duration.observe(seconds);
      found.errors?.inc();
    },
  };
}
