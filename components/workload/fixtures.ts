import type { WorkloadSpec } from "./spec";

/** A spec that uses every field, for renderer tests. */
export function sampleSpec(overrides: Partial<WorkloadSpec> = {}): WorkloadSpec {
  return {
    name: "search",
    component: "app",
    version: "1.2.3",
    image: { kind: "pinned", repository: "example/search", tag: "1.2.3" },
    command: ["/bin/search"],
    args: ["--serve"],
    ports: [
      { name: "http", containerPort: 8080 },
      { name: "admin", containerPort: 9000 },
    ],
    env: { ZETA: "last", ALPHA: "first" },
    configFiles: [
      { path: "/etc/search/search.yml", content: "a: 1\n" },
      { path: "/etc/search/tls/key.pem", content: "KEY", secret: true },
      { path: "/var/lib/search/seed.json", content: "{}" },
    ],
    volumes: [{ name: "data", mountPath: "/var/lib/search", sizeGiB: 10 }],
    health: { http: { port: 8080, path: "/healthz", readinessPath: "/readyz" }, command: ["CMD", "wget", "-q", "-O-", "http://127.0.0.1:8080/healthz"] },
    resources: { cpu: 1.5, memoryMiB: 1024 },
    security: { runAsUser: 1000, runAsGroup: 1000, writablePaths: ["/tmp"] },
    dependsOn: ["database"],
    metrics: { port: "http", path: "/metrics" },
    ...overrides,
  };
}
