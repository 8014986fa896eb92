import type { Resources, WorkloadSpec } from "../workload/spec";
import { derivedImage } from "./derived-image";
import { PROBE_BUSYBOX, wgetHealthCommand } from "./health";
import { IMAGES } from "./versions";
import { toYaml } from "../workload/yaml";

export const COLLECTOR_NAME = "otel-collector";
export const COLLECTOR_UID = 10001; // the upstream image's user
export const COLLECTOR_PORTS = { otlpGrpc: 4317, otlpHttp: 4318, metrics: 8889, health: 13133 } as const;
export const COLLECTOR_CONFIG_PATH = "/etc/otelcol-contrib/config.yaml";

/** The smallest memory limit the collector is given: below it, memory_limiter leaves no room to work. */
const MIN_MEMORY_MIB = 128;

export interface CollectorConfigArgs {
  /** The container's memory limit; memory_limiter is sized from it. */
  memoryLimitMiB: number;
  /** Jaeger's OTLP/gRPC endpoint. @default "jaeger:4317" */
  jaegerEndpoint?: string;
  /**
   * CA that signs Jaeger's OTLP certificate. Without it the exporter speaks plaintext gRPC,
   * which is acceptable only because Jaeger's OTLP ports are never published: traffic stays
   * on the private Docker network / inside the cluster's NetworkPolicy. @default plaintext
   */
  jaegerCaFile?: string;
  /** @default 5 */
  batchTimeoutSeconds?: number;
}

/**
 * memory_limiter thresholds for a container limit: the hard limit at 80 % leaves the Go runtime
 * and buffers headroom before the kernel OOM-kills; the spike allowance is a quarter of it, as
 * upstream recommends, so the soft limit (hard − spike) is 60 % of the container.
 */
export function memoryLimiterFor(memoryLimitMiB: number): { limitMiB: number; spikeLimitMiB: number } {
  if (!Number.isFinite(memoryLimitMiB) || memoryLimitMiB < MIN_MEMORY_MIB) {
    throw new Error(`otel-collector memory limit must be at least ${MIN_MEMORY_MIB} MiB, got ${memoryLimitMiB}`);
  }
  const limitMiB = Math.floor(memoryLimitMiB * 0.8);
  return { limitMiB, spikeLimitMiB: Math.floor(limitMiB / 4) };
}

/**
 * The collector's config: OTLP in (gRPC + HTTP), traces to Jaeger over OTLP, metrics exposed
 * for Prometheus to scrape. memory_limiter runs first in every pipeline so it can refuse data
 * before anything else buffers it; batch runs last, right before the exporters.
 */
export function renderCollectorConfig(args: CollectorConfigArgs) {
  const limiter = memoryLimiterFor(args.memoryLimitMiB);
  const processors = ["memory_limiter", "batch"];
  return {
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `0.0.0.0:${COLLECTOR_PORTS.otlpGrpc}` },
          http: { endpoint: `0.0.0.0:${COLLECTOR_PORTS.otlpHttp}` },
        },
      },
    },
    processors: {
      memory_limiter: { check_interval: "1s", limit_mib: limiter.limitMiB, spike_limit_mib: limiter.spikeLimitMiB },
      batch: { timeout: `${args.batchTimeoutSeconds ?? 5}s`, send_batch_size: 8192 },
    },
    exporters: {
      "otlp/jaeger": {
        endpoint: args.jaegerEndpoint ?? "jaeger:4317",
        tls: args.jaegerCaFile ? { ca_file: args.jaegerCaFile } : { insecure: true },
      },
      prometheus: {
        endpoint: `0.0.0.0:${COLLECTOR_PORTS.metrics}`,
        // service.name etc. become labels, so metrics from different services stay apart.
        resource_to_telemetry_conversion: { enabled: true },
      },
    },
    extensions: {
      // 0.0.0.0, not the localhost default: the Kubernetes kubelet probes from outside the pod.
      health_check: { endpoint: `0.0.0.0:${COLLECTOR_PORTS.health}` },
    },
    service: {
      extensions: ["health_check"],
      pipelines: {
        traces: { receivers: ["otlp"], processors, exporters: ["otlp/jaeger"] },
        metrics: { receivers: ["otlp"], processors, exporters: ["prometheus"] },
      },
      // JSON logs, like every other workload, so Filebeat/Logstash parse them without grok.
      telemetry: { logs: { level: "info", encoding: "json" } },
    },
  };
}

export interface OtelCollectorWorkloadArgs {
  /** @default { cpu: 1, memoryMiB: 512 } */
  resources?: Resources;
  /** @default "jaeger:4317" */
  jaegerEndpoint?: string;
  /** @default plaintext on the private network (see CollectorConfigArgs.jaegerCaFile) */
  jaegerCaFile?: string;
  /** @default ["jaeger"] */
  dependsOn?: string[];
}

/** The OpenTelemetry collector every service sends OTLP to. */
export function otelCollectorWorkload(args: OtelCollectorWorkloadArgs = {}): WorkloadSpec {
  const resources = args.resources ?? { cpu: 1, memoryMiB: 512 };
  const config = renderCollectorConfig({ memoryLimitMiB: resources.memoryMiB, jaegerEndpoint: args.jaegerEndpoint, jaegerCaFile: args.jaegerCaFile });
  return {
    name: COLLECTOR_NAME,
    component: "observability",
    version: IMAGES.otelCollector.tag,
    image: derivedImage(COLLECTOR_NAME, IMAGES.otelCollector.tag),
    args: [`--config=${COLLECTOR_CONFIG_PATH}`],
    ports: [
      { name: "otlp-grpc", containerPort: COLLECTOR_PORTS.otlpGrpc },
      { name: "otlp-http", containerPort: COLLECTOR_PORTS.otlpHttp },
      { name: "metrics", containerPort: COLLECTOR_PORTS.metrics },
    ],
    // The Go runtime collects garbage harder as it nears this, before memory_limiter refuses data.
    env: { GOMEMLIMIT: `${config.processors.memory_limiter.limit_mib}MiB` },
    configFiles: [{ path: COLLECTOR_CONFIG_PATH, content: toYaml(config) }],
    volumes: [],
    health: {
      http: { port: COLLECTOR_PORTS.health, path: "/" },
      command: wgetHealthCommand(`http://127.0.0.1:${COLLECTOR_PORTS.health}/`, [PROBE_BUSYBOX, "wget"]),
      startPeriodSeconds: 10,
    },
    resources,
    security: { runAsUser: COLLECTOR_UID, runAsGroup: COLLECTOR_UID, readOnlyRootFilesystem: true },
    dependsOn: args.dependsOn ?? ["jaeger"],
    metrics: { port: "metrics", path: "/metrics" },
  };
}
