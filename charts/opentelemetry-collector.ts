import type * as pulumi from "@pulumi/pulumi";
import { COLLECTOR_PORTS, COLLECTOR_UID, renderCollectorConfig } from "../components/observability/otel-collector";
import { IMAGES } from "../components/observability/versions";
import type { ChartRef } from "./helm-release";
import { SYSTEM_POOL, containerSecurity, podSecurity, resources } from "./common";

/**
 * OpenTelemetry collector chart. 0.110.3 verified as the chart that ships collector 0.114.0 —
 * the version `IMAGES.otelCollector` pins for dev: a rendered release labelled
 * `helm.sh/chart: opentelemetry-collector-0.110.3` / `app.kubernetes.io/version: 0.114.0`
 * (chart bump PR open-telemetry/opentelemetry-helm-charts#1421).
 */
export const CHART: ChartRef = {
  repository: "https://open-telemetry.github.io/opentelemetry-helm-charts",
  chart: "opentelemetry-collector",
  version: "0.110.3",
};

/** Same version as dev; the `-contrib` distribution (otlp/jaeger + prometheus exporters live there). */
export const IMAGE = { repository: "otel/opentelemetry-collector-contrib", tag: IMAGES.otelCollector.tag } as const;

/**
 * The chart's built-in `config` (values.yaml of 0.110.x). Helm deep-merges our `config` over it,
 * so anything here we do not want must be set to null to be removed.
 */
export const CHART_DEFAULT_CONFIG = {
  exporters: { debug: {} },
  extensions: { health_check: { endpoint: "${env:MY_POD_IP}:13133" } },
  processors: {
    batch: {},
    memory_limiter: { check_interval: "5s", limit_percentage: 80, spike_limit_percentage: 25 },
  },
  receivers: {
    jaeger: {
      protocols: {
        grpc: { endpoint: "${env:MY_POD_IP}:14250" },
        thrift_http: { endpoint: "${env:MY_POD_IP}:14268" },
        thrift_compact: { endpoint: "${env:MY_POD_IP}:6831" },
      },
    },
    otlp: { protocols: { grpc: { endpoint: "${env:MY_POD_IP}:4317" }, http: { endpoint: "${env:MY_POD_IP}:4318" } } },
    prometheus: {
      config: { scrape_configs: [{ job_name: "opentelemetry-collector", scrape_interval: "10s", static_configs: [{ targets: ["${env:MY_POD_IP}:8888"] }] }] },
    },
    zipkin: { endpoint: "${env:MY_POD_IP}:9411" },
  },
  service: {
    telemetry: { metrics: { address: "${env:MY_POD_IP}:8888" } },
    extensions: ["health_check"],
    pipelines: {
      logs: { exporters: ["debug"], processors: ["memory_limiter", "batch"], receivers: ["otlp"] },
      metrics: { exporters: ["debug"], processors: ["memory_limiter", "batch"], receivers: ["otlp", "prometheus"] },
      traces: { exporters: ["debug"], processors: ["memory_limiter", "batch"], receivers: ["otlp", "jaeger", "zipkin"] },
    },
  },
};

/** Paths of the chart default we keep: the collector's own metrics on the pod IP, for scraping. */
const KEEP = new Set(["service.telemetry.metrics"]);

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * `desired` plus a `null` for every key of `defaults` that `desired` does not set, recursively
 * through maps both have: after Helm's merge (null deletes a key) the result is `desired`.
 */
export function overrideDefaults(defaults: Json, desired: Json, keep: Set<string> = KEEP, path = ""): Json {
  const out: Json = { ...desired };
  for (const [key, def] of Object.entries(defaults)) {
    const here = path ? `${path}.${key}` : key;
    if (keep.has(here)) continue;
    if (!(key in desired)) out[key] = null;
    else if (isMap(def) && isMap(desired[key])) out[key] = overrideDefaults(def, desired[key] as Json, keep, here);
  }
  return out;
}

/** Helm's value coalescing, for tests and reasoning: maps merge, lists and scalars replace, null deletes. */
export function helmMerge(defaults: Json, overrides: Json): Json {
  const out: Json = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null) delete out[key];
    else if (isMap(value) && isMap(out[key])) out[key] = helmMerge(out[key] as Json, value);
    else out[key] = value;
  }
  return out;
}

export interface OtelCollectorValuesArgs {
  /** Jaeger's OTLP/gRPC endpoint, e.g. "jaeger.observability.svc:4317". */
  jaegerEndpoint: string;
  /** @default 2 */
  replicas?: number;
  /** @default { cpu: "1", memoryMiB: 512 } limits; requests are a quarter of the CPU and half the memory */
  cpu?: string;
  memoryMiB?: number;
}

/**
 * Deployment mode, two replicas on the system pool, the contrib image at dev's version, presets
 * off, and the collector config rendered by the same function dev uses, with the chart's own
 * default receivers/exporters/pipelines nulled out so the rendered pipelines are the only ones.
 */
export function values(args: OtelCollectorValuesArgs) {
  const memoryMiB = args.memoryMiB ?? 512;
  const cpu = args.cpu ?? "1";
  const rendered = renderCollectorConfig({ memoryLimitMiB: memoryMiB, jaegerEndpoint: args.jaegerEndpoint });
  const presetOff = { enabled: false };
  return {
    mode: "deployment",
    replicaCount: args.replicas ?? 2,
    image: { repository: IMAGE.repository, tag: IMAGE.tag },
    command: { name: "otelcol-contrib" },
    presets: {
      logsCollection: presetOff,
      hostMetrics: presetOff,
      kubernetesAttributes: presetOff,
      kubeletMetrics: presetOff,
      kubernetesEvents: presetOff,
      clusterMetrics: presetOff,
    },
    config: overrideDefaults(CHART_DEFAULT_CONFIG, rendered as unknown as Json),
    ports: {
      "jaeger-compact": { enabled: false },
      "jaeger-thrift": { enabled: false },
      "jaeger-grpc": { enabled: false },
      zipkin: { enabled: false },
      otlp: { enabled: true },
      "otlp-http": { enabled: true },
      metrics: { enabled: true },
      "prom-exporter": { enabled: true, containerPort: COLLECTOR_PORTS.metrics, servicePort: COLLECTOR_PORTS.metrics, protocol: "TCP" },
    },
    service: { type: "ClusterIP" },
    useGOMEMLIMIT: true,
    nodeSelector: SYSTEM_POOL,
    podSecurityContext: podSecurity(COLLECTOR_UID),
    securityContext: containerSecurity({ uid: COLLECTOR_UID }),
    resources: resources({ cpu: quarter(cpu), memory: `${Math.floor(memoryMiB / 2)}Mi` }, { cpu, memory: `${memoryMiB}Mi` }),
  } satisfies Record<string, pulumi.Input<unknown>>;
}

function quarter(cpu: string): string {
  const cores = cpu.endsWith("m") ? Number(cpu.slice(0, -1)) / 1000 : Number(cpu);
  if (!Number.isFinite(cores) || cores <= 0) throw new Error(`otel-collector: cpu "${cpu}" is not a CPU quantity`);
  return `${Math.max(1, Math.round((cores * 1000) / 4))}m`;
}
