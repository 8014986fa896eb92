/**
 * Every workload a stack can run, with its published ports (the seed port map; the services it
 * lacks take the next free ports, 8006–8009). The config schema validates names and port names
 * against this table; spec builders own the container side.
 */
export interface CatalogueEntry {
  /** Port name → host port published in dev (bound to `bindAddress`). */
  hostPorts: Record<string, number>;
  /** Our own service, built from `services/<name>/Dockerfile`. */
  builtFromSource?: boolean;
  /** Workloads that must run (and be healthy) for this one to work. */
  requires?: readonly string[];
  /** Scheme of its published URLs. @default "http" */
  urlScheme?: "http" | "https";
}

export const CATALOGUE = {
  "cfd-solver": { hostPorts: { http: 8000 }, builtFromSource: true },
  "cfd-mesher": { hostPorts: { http: 8001 }, builtFromSource: true },
  // It reads the solver's cases (its volume in dev, its bucket in prod).
  "cfd-postprocessor": { hostPorts: { http: 8002 }, builtFromSource: true, requires: ["cfd-solver"] },
  "ai-parsing": { hostPorts: { http: 8003 }, builtFromSource: true },
  ifc: { hostPorts: { http: 8004 }, builtFromSource: true },
  "ai-lighting": { hostPorts: { http: 8005 }, builtFromSource: true },
  reasoning: { hostPorts: { http: 8006 }, builtFromSource: true },
  rag: { hostPorts: { http: 8007 }, builtFromSource: true },
  gen3d: { hostPorts: { http: 8008 }, builtFromSource: true },
  risk: { hostPorts: { http: 8009 }, builtFromSource: true },
  paraview: { hostPorts: { pvserver: 11111 } },
  ollama: { hostPorts: { http: 11434 } },
  elasticsearch: { hostPorts: { http: 9200, transport: 9300 }, urlScheme: "https" },
  logstash: { hostPorts: { beats: 5000, api: 9600 }, requires: ["elasticsearch"] },
  kibana: { hostPorts: { http: 5601 }, requires: ["elasticsearch"] },
  filebeat: { hostPorts: {}, requires: ["logstash"] },
  jaeger: { hostPorts: { ui: 16686 } },
  "otel-collector": { hostPorts: { "otlp-grpc": 4317, "otlp-http": 4318 }, requires: ["jaeger"] },
  prometheus: { hostPorts: { http: 9090 } },
  grafana: { hostPorts: { http: 3001 } },
} as const satisfies Record<string, CatalogueEntry>;

export type WorkloadName = keyof typeof CATALOGUE;
export const WORKLOAD_NAMES = Object.keys(CATALOGUE) as WorkloadName[];

export function catalogueEntry(name: WorkloadName): CatalogueEntry {
  return CATALOGUE[name];
}
