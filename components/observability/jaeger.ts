import type { Resources, WorkloadSpec } from "../workload/spec";
import { derivedImage } from "./derived-image";
import { PROBE_BUSYBOX, wgetHealthCommand } from "./health";
import { IMAGES } from "./versions";
import { toYaml } from "../workload/yaml";

export const JAEGER_NAME = "jaeger";
export const JAEGER_UID = 10001; // the upstream image's user
export const JAEGER_PORTS = { otlpGrpc: 4317, otlpHttp: 4318, ui: 16686, metrics: 8888, health: 13133 } as const;
export const JAEGER_CONFIG_PATH = "/etc/jaeger/config.yaml";
/** Created owned by JAEGER_UID in the derived image, so a fresh volume inherits that ownership. */
export const JAEGER_DATA_PATH = "/var/lib/jaeger";
const STORE = "abode_traces" as const;

export interface JaegerConfigArgs {
  /** How long spans are kept in badger, in hours. @default 168 (7 days) */
  retentionHours?: number;
}

/**
 * Jaeger v2 config (the OpenTelemetry-collector format): OTLP in, spans written to `backend`,
 * the query service and UI reading the same store. Dev stores spans in badger on a volume
 * (`badgerStorage`), prod in Elasticsearch (charts/jaeger.ts); everything else is the same.
 * Endpoints bind 0.0.0.0 because the collector and Prometheus reach Jaeger over the network;
 * which ports are published is the stack's decision (only the UI is).
 */
export function renderJaegerConfig<Backend>(backend: Backend) {
  return {
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `0.0.0.0:${JAEGER_PORTS.otlpGrpc}` },
          http: { endpoint: `0.0.0.0:${JAEGER_PORTS.otlpHttp}` },
        },
      },
    },
    processors: { batch: {} },
    exporters: { jaeger_storage_exporter: { trace_storage: STORE } },
    extensions: {
      healthcheckv2: { use_v2: true, http: { endpoint: `0.0.0.0:${JAEGER_PORTS.health}` } },
      jaeger_storage: { backends: { [STORE]: backend } as Record<typeof STORE, Backend> },
      // The UI listens on :16686 (all interfaces) by default.
      jaeger_query: { storage: { traces: STORE } },
    },
    service: {
      extensions: ["jaeger_storage", "jaeger_query", "healthcheckv2"],
      pipelines: {
        traces: { receivers: ["otlp"], processors: ["batch"], exporters: ["jaeger_storage_exporter"] },
      },
      telemetry: {
        // `readers`, not the `address` shorthand the collector core deprecated in 2024.
        metrics: { level: "detailed", readers: [{ pull: { exporter: { prometheus: { host: "0.0.0.0", port: JAEGER_PORTS.metrics } } } }] },
        logs: { level: "info", encoding: "json" },
      },
    },
  };
}

/** Spans in badger on the data volume, kept `retentionHours`. */
export function badgerStorage(args: JaegerConfigArgs = {}) {
  const retentionHours = args.retentionHours ?? 168;
  if (!Number.isInteger(retentionHours) || retentionHours < 1) throw new Error(`jaeger retention must be a whole number of hours ≥ 1, got ${retentionHours}`);
  return {
    badger: {
      directories: { keys: `${JAEGER_DATA_PATH}/badger/keys`, values: `${JAEGER_DATA_PATH}/badger/values` },
      ephemeral: false,
      ttl: { spans: `${retentionHours}h` },
    },
  };
}

export interface JaegerWorkloadArgs extends JaegerConfigArgs {
  /** Size of the badger volume in prod. @default 10 */
  dataSizeGiB?: number;
  /** @default { cpu: 1, memoryMiB: 1024 } */
  resources?: Resources;
  /** @default [] */
  dependsOn?: string[];
}

/** Jaeger v2, all-in-one: OTLP receiver (internal only), badger storage, UI on 16686. */
export function jaegerWorkload(args: JaegerWorkloadArgs = {}): WorkloadSpec {
  const health = `http://127.0.0.1:${JAEGER_PORTS.health}/status`;
  return {
    name: JAEGER_NAME,
    component: "observability",
    version: IMAGES.jaeger.tag,
    image: derivedImage(JAEGER_NAME, IMAGES.jaeger.tag),
    args: ["--config", JAEGER_CONFIG_PATH],
    ports: [
      { name: "otlp-grpc", containerPort: JAEGER_PORTS.otlpGrpc },
      { name: "otlp-http", containerPort: JAEGER_PORTS.otlpHttp },
      { name: "ui", containerPort: JAEGER_PORTS.ui },
      { name: "metrics", containerPort: JAEGER_PORTS.metrics },
    ],
    env: {},
    configFiles: [{ path: JAEGER_CONFIG_PATH, content: toYaml(renderJaegerConfig(badgerStorage(args))) }],
    volumes: [{ name: "data", mountPath: JAEGER_DATA_PATH, sizeGiB: args.dataSizeGiB ?? 10 }],
    health: {
      http: { port: JAEGER_PORTS.health, path: "/status" },
      command: wgetHealthCommand(health, [PROBE_BUSYBOX, "wget"]),
      startPeriodSeconds: 20,
    },
    resources: args.resources ?? { cpu: 1, memoryMiB: 1024 },
    // Badger writes only to the data volume; Go may use /tmp for scratch.
    security: { runAsUser: JAEGER_UID, runAsGroup: JAEGER_UID, readOnlyRootFilesystem: true, writablePaths: ["/tmp"] },
    dependsOn: args.dependsOn ?? [],
    metrics: { port: "metrics", path: "/metrics" },
  };
}
