import { readStackFile, rawConfig } from "../../test/stack-file";
import { parseStackConfig, StackConfigError } from "./load";
import { hostPorts, isEnabled } from "./schema";

const base = { "abode:target": "docker" };

function problemsOf(config: Record<string, unknown>, secretKeys: string[] = []): string[] {
  try {
    parseStackConfig(rawConfig({ ...base, ...config }, secretKeys));
  } catch (error) {
    expect(error).toBeInstanceOf(StackConfigError);
    return (error as StackConfigError).problems;
  }
  throw new Error("expected the config to be rejected");
}

describe("stack config", () => {
  it("parses Pulumi.dev.yaml with the seed defaults filled in", () => {
    const config = parseStackConfig(readStackFile("dev"));
    expect(config.target).toBe("docker");
    expect(config.bindAddress).toBe("127.0.0.1");
    expect(isEnabled(config, "ai-lighting")).toBe(true);
    expect(isEnabled(config, "ifc")).toBe(false);
    expect(isEnabled(config, "grafana")).toBe(true);
    expect(hostPorts(config, "grafana")).toEqual({ http: 3001 });
    expect(hostPorts(config, "otel-collector")).toEqual({ "otlp-grpc": 4317, "otlp-http": 4318 });
    expect(config.workloads.elasticsearch?.resources).toEqual({ cpu: 2, memoryMiB: 2048 });
  });

  it("parses Pulumi.prod.yaml (the kubernetes sketch)", () => {
    const config = parseStackConfig(readStackFile("prod"));
    expect(config.target).toBe("kubernetes");
    expect(config.workloads["ai-lighting"]?.replicas).toBe(2);
  });

  it("ignores other namespaces (provider config)", () => {
    expect(() => parseStackConfig(rawConfig({ ...base, "aws:region": "eu-west-1", "docker:host": "unix:///x" }))).not.toThrow();
  });

  it("rejects a wrong type, naming the key path", () => {
    expect(problemsOf({ "abode:workloads": { grafana: { enabled: "yes" } } })).toEqual([
      expect.stringMatching(/^abode:workloads\.grafana\.enabled: .*boolean/),
    ]);
  });

  it("rejects unknown keys at every level", () => {
    const problems = problemsOf({
      "abode:colour": "blue",
      "abode:workloads": { grafna: {}, grafana: { port: 3001, ports: { https: 3002 } } },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        "abode:colour: unknown key",
        "abode:workloads.grafna: unknown key",
        "abode:workloads.grafana.port: unknown key",
        "abode:workloads.grafana.ports.https: unknown key",
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it.each([0, 65536, 80.5, -1])("rejects the out-of-range port %p", (port) => {
    expect(problemsOf({ "abode:workloads": { prometheus: { ports: { http: port } } } })).toEqual([
      expect.stringMatching(/^abode:workloads\.prometheus\.ports\.http: /),
    ]);
  });

  it("rejects two workloads on one host port, naming both", () => {
    expect(problemsOf({ "abode:workloads": { grafana: { ports: { http: 9090 } } } })).toEqual([
      "abode:workloads.grafana.ports.http: host port 9090 is already published by prometheus.http",
    ]);
  });

  it("does not count a disabled workload's port as taken", () => {
    const config = parseStackConfig(
      rawConfig({ ...base, "abode:workloads": { prometheus: { enabled: false }, grafana: { enabled: false, ports: { http: 9090 } }, ifc: { ports: { http: 9090 } } } }),
    );
    expect(hostPorts(config, "ifc")).toEqual({ http: 9090 });
  });

  it("rejects a secret given in plain text", () => {
    expect(problemsOf({ "abode:secrets": { rodinApiKey: "sk-live-123" } })).toEqual([
      expect.stringMatching(/^abode:secrets: given in plain text; set each with `pulumi config set --secret/),
    ]);
    expect(problemsOf({ "abode:grafanaPassword": "admin" })).toEqual(
      expect.arrayContaining(["abode:grafanaPassword: looks like a credential given in plain text; use `pulumi config set --secret`"]),
    );
  });

  it("accepts secrets set with --secret", () => {
    const config = parseStackConfig(rawConfig({ ...base, "abode:secrets": { rodinApiKey: { secure: "v1:abc" } } }));
    expect(config.secrets).toEqual({ rodinApiKey: "<secret>" });
  });

  it("rejects latest and malformed image tags", () => {
    expect(problemsOf({ "abode:workloads": { kibana: { imageTag: "8.17 .0" }, grafana: { imageTag: "latest" } } })).toEqual([
      expect.stringMatching(/^abode:workloads\.grafana\.imageTag: `latest` is not a pinned version/),
      expect.stringMatching(/^abode:workloads\.kibana\.imageTag: must be a Docker tag/),
    ]);
  });

  it("rejects enabling a service whose code has not landed, and a missing dependency", () => {
    expect(problemsOf({ "abode:workloads": { ifc: { enabled: true }, elasticsearch: { enabled: false } } })).toEqual(
      expect.arrayContaining([
        "abode:workloads.ifc.enabled: services/ifc has no code yet (it lands with issue 7); it cannot be enabled",
        "abode:workloads.elasticsearch.enabled: logstash needs elasticsearch; enable it or disable logstash",
        "abode:workloads.elasticsearch.enabled: kibana needs elasticsearch; enable it or disable kibana",
      ]),
    );
  });

  it("rejects more than one replica on docker but allows it on kubernetes", () => {
    expect(problemsOf({ "abode:workloads": { grafana: { replicas: 2 } } })).toEqual([
      "abode:workloads.grafana.replicas: the docker target runs one container per workload (got 2)",
    ]);
    expect(() => parseStackConfig(rawConfig({ "abode:target": "kubernetes", "abode:workloads": { grafana: { replicas: 2 } } }))).not.toThrow();
  });

  it("lists every problem of a badly broken file at once, in one error", () => {
    const raw = rawConfig({
      "abode:target": "swarm",
      "abode:bindAddress": "localhost",
      "abode:workloads": { grafana: { ports: { http: 9090 }, resources: { cpu: 0, memoryMiB: 64 } }, kibana: { imageTag: "latest" } },
      "abode:secrets": { token: "x" },
    });
    let message = "";
    try {
      parseStackConfig(raw);
    } catch (error) {
      message = (error as Error).message;
    }
    for (const key of ["abode:target", "abode:bindAddress", "abode:workloads.grafana.ports.http", "abode:workloads.grafana.resources.cpu", "abode:workloads.kibana.imageTag", "abode:secrets"]) {
      expect(message).toContain(`  - ${key}: `);
    }
    expect(message).toMatch(/^Invalid stack configuration \(6 problems\); nothing was declared:/);
  });

  it("reports a missing target", () => {
    expect(() => parseStackConfig(rawConfig({}))).toThrow(/abode:target: /);
  });
});
