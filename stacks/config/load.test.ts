import { readStackFile, rawConfig } from "../../test/stack-file";
import { parseStackConfig, StackConfigError } from "./load";
import { hostPorts, isEnabled } from "./schema";

const base = { "abode:target": "docker" };
const kubernetes = {
  "abode:target": "kubernetes",
  "abode:cluster": { ingressCertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-0000-4000-8000-000000000000" },
};

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
    expect(isEnabled(config, "ifc")).toBe(true);
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

  it("rejects a missing dependency", () => {
    expect(problemsOf({ "abode:workloads": { "cfd-solver": { enabled: false }, elasticsearch: { enabled: false } } })).toEqual(
      expect.arrayContaining([
        "abode:workloads.cfd-solver.enabled: cfd-postprocessor needs cfd-solver; enable it or disable cfd-postprocessor",
        "abode:workloads.elasticsearch.enabled: logstash needs elasticsearch; enable it or disable logstash",
        "abode:workloads.elasticsearch.enabled: kibana needs elasticsearch; enable it or disable kibana",
      ]),
    );
  });

  it("rejects more than one replica on docker but allows it on kubernetes", () => {
    expect(problemsOf({ "abode:workloads": { grafana: { replicas: 2 } } })).toEqual([
      "abode:workloads.grafana.replicas: the docker target runs one container per workload (got 2)",
    ]);
    expect(() => parseStackConfig(rawConfig({ ...kubernetes, "abode:workloads": { grafana: { replicas: 2 } } }))).not.toThrow();
  });

  it("fills in the prod cluster's defaults", () => {
    const config = parseStackConfig(rawConfig(kubernetes));
    expect(config.cluster).toMatchObject({
      kubernetesVersion: "1.33",
      vpcCidr: "10.40.0.0/16",
      availabilityZones: 3,
      publicAccessCidrs: [],
      nodePools: { gpu: { instanceTypes: ["g5.xlarge"], minSize: 0, maxSize: 4, diskSizeGiB: 100 }, cfd: { minSize: 0 } },
    });
  });

  it("requires a cluster with target kubernetes", () => {
    expect(() => parseStackConfig(rawConfig({ "abode:target": "kubernetes" }))).toThrow(/abode:cluster: required with target kubernetes/);
  });

  it("rejects an open API endpoint, wrong pool families, GPU/CFD pools that cannot scale to zero, and max below min", () => {
    const problems = problemsOf({
      ...kubernetes,
      "abode:cluster": {
        ...kubernetes["abode:cluster"],
        publicAccessCidrs: ["203.0.113.0/24", "0.0.0.0/0"],
        nodePools: {
          gpu: { instanceTypes: ["p4d.24xlarge"], minSize: 1, maxSize: 4 },
          cfd: { instanceTypes: ["c6i.8xlarge", "m6i.8xlarge"], minSize: 0, maxSize: 8 },
          general: { minSize: 5, maxSize: 3 },
        },
      },
    });
    expect(problems).toEqual([
      "abode:cluster.nodePools.cfd.instanceTypes[1]: m6i.8xlarge is not a compute-optimized (c5–c8) type",
      "abode:cluster.nodePools.general.maxSize: is below minSize (5)",
      "abode:cluster.nodePools.gpu.instanceTypes[0]: p4d.24xlarge is not an NVIDIA g5/g6 type",
      "abode:cluster.nodePools.gpu.minSize: must be 0 so the pool scales to zero when idle",
      "abode:cluster.publicAccessCidrs[1]: opens the API endpoint to the whole internet; list your own CIDRs",
    ]);
  });

  it("rejects a malformed CIDR and certificate ARN", () => {
    const problems = problemsOf({ ...kubernetes, "abode:cluster": { vpcCidr: "10.400.0.0/16", ingressCertificateArn: "arn:aws:iam::1:x" } });
    expect(problems).toEqual([
      expect.stringMatching(/^abode:cluster\.ingressCertificateArn: must be an ACM certificate ARN/),
      expect.stringMatching(/^abode:cluster\.vpcCidr: has an octet above 255/),
    ]);
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

  it("refuses reasoning or RAG without a model endpoint: the stack's Ollama or models.endpoint", () => {
    expect(problemsOf({ "abode:workloads": { ollama: { enabled: false } } })).toEqual([
      expect.stringMatching(/^abode:models\.endpoint: reasoning (and rag )?need a model endpoint: enable ollama or set models\.endpoint$/),
    ]);
    const external = parseStackConfig(
      rawConfig({ ...base, "abode:workloads": { ollama: { enabled: false } }, "abode:models": { endpoint: "https://api.openai.com/v1" }, "abode:secrets": { llmApiKey: "sk-x" } }, ["abode:secrets"]),
    );
    expect(external.models).toEqual({ chat: "qwen2.5:0.5b", embedding: "nomic-embed-text", endpoint: "https://api.openai.com/v1" });
    expect(problemsOf({ "abode:models": { endpoint: "ftp://models.example.com" } })).toEqual([expect.stringMatching(/^abode:models\.endpoint: /)]);
  });

  it("reports a missing target", () => {
    expect(() => parseStackConfig(rawConfig({}))).toThrow(/abode:target: /);
  });
});
