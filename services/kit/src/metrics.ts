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
  return {
    registry,
    observe(route, method, statusCode, seconds) {
      const labels = { route, method, status_code: String(statusCode) };
      requests.inc(labels);
      duration.observe(labels, seconds);
      if (statusCode >= 500) errors.inc({ route, method });
    },
  };
}
