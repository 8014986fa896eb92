/**
 * Every third-party image the observability stack runs, pinned to an exact release. The
 * derived images' Dockerfiles (`images/<name>/Dockerfile`) repeat these tags in their `FROM`
 * lines; a test keeps the two in step.
 */
export const IMAGES = {
  otelCollector: { repository: "otel/opentelemetry-collector-contrib", tag: "0.114.0" },
  jaeger: { repository: "jaegertracing/jaeger", tag: "2.1.0" },
  prometheus: { repository: "prom/prometheus", tag: "v2.55.1" },
  grafana: { repository: "grafana/grafana", tag: "11.3.1" },
  /** Source of the static `wget` the distroless images are probed with. */
  busybox: { repository: "busybox", tag: "1.37.0-musl" },
} as const;
