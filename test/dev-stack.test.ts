import { evaluateStack, isSecret, unsecret, type Captured, type Evaluation } from "./mocks";
import { rawConfig, readStackFile, stackFileConfig } from "./stack-file";

const CONTAINER = "docker:index/container:Container";
const VOLUME = "docker:index/volume:Volume";

/** The seed port map (and the next free ports for the services it lacks): workload → container port → host port, all on 127.0.0.1. */
const SEED_PORTS: Record<string, Record<number, number>> = {
  "cfd-solver": { 8000: 8000 },
  "cfd-mesher": { 8001: 8001 },
  "cfd-postprocessor": { 8002: 8002 },
  "ai-parsing": { 8003: 8003 },
  ifc: { 8004: 8004 },
  "ai-lighting": { 8005: 8005 },
  reasoning: { 8006: 8006 },
  rag: { 8007: 8007 },
  gen3d: { 8008: 8008 },
  risk: { 8009: 8009 },
  paraview: { 11111: 11111 },
  ollama: { 11434: 11434 },
  elasticsearch: { 9200: 9200, 9300: 9300 },
  logstash: { 5000: 5000, 9600: 9600 },
  kibana: { 5601: 5601 },
  filebeat: {},
  jaeger: { 16686: 16686 },
  "otel-collector": { 4317: 4317, 4318: 4318 },
  prometheus: { 9090: 9090 },
  grafana: { 3000: 3001 },
};
const SERVICES = Object.keys(SEED_PORTS);
const JOBS = ["elk-setup", "ollama-pull"];

describe("the dev stack, evaluated from Pulumi.dev.yaml", () => {
  let stack: Evaluation;
  const containers = () => stack.resources.filter((r) => r.type === CONTAINER);
  const container = (name: string): Captured => {
    const found = containers().find((c) => c.inputs.name === `abode-dev-${name}`);
    if (!found) throw new Error(`no container abode-dev-${name}; have ${containers().map((c) => c.inputs.name).join(", ")}`);
    return found;
  };

  beforeAll(async () => {
    stack = await evaluateStack(readStackFile("dev"));
    if (stack.error) throw stack.error;
  });

  it("runs every enabled seed service and its setup jobs, and nothing else", () => {
    expect(containers().map((c) => c.inputs.name).sort()).toEqual([...SERVICES, ...JOBS].map((n) => `abode-dev-${n}`).sort());
  });

  it.each(SERVICES)("%s publishes exactly its seed ports, on 127.0.0.1", (name) => {
    const ports = container(name).inputs.ports ?? [];
    const expected = Object.entries(SEED_PORTS[name]).map(([internal, external]) => ({ internal: Number(internal), external, ip: "127.0.0.1", protocol: "tcp" }));
    expect(ports).toEqual(expect.arrayContaining(expected));
    expect(ports).toHaveLength(expected.length);
  });

  it.each([...SERVICES, ...JOBS])("%s is locked down, limited, health-checked and on the private network", (name) => {
    const c = container(name).inputs;
    expect(c.networksAdvanced).toEqual([{ name: "abode-dev-net", aliases: [name] }]);
    expect(c.healthcheck.tests.length).toBeGreaterThan(1);
    expect(c.healthcheck.tests[0]).toMatch(/^CMD(-SHELL)?$/);
    expect(c.memory).toBeGreaterThan(0);
    expect(Number(c.cpus)).toBeGreaterThan(0);
    expect(c.capabilities.drops).toEqual(["ALL"]);
    expect(c.securityOpts).toContain("no-new-privileges:true");
    expect(c.logDriver).toBe("json-file");
    expect(c.privileged).toBeUndefined();
  });

  it.each(SERVICES)("%s restarts unless stopped and is created only once healthy", (name) => {
    expect(container(name).inputs).toMatchObject({ restart: "unless-stopped", wait: true, mustRun: true });
  });

  it.each(JOBS)("%s runs once to completion", (name) => {
    expect(container(name).inputs).toMatchObject({ restart: "no", wait: false, attach: true });
  });

  it("runs as non-root everywhere but Filebeat, which must read root-owned logs", () => {
    const rootUsers = containers().filter((c) => /^0(:|$)/.test(c.inputs.user ?? "0"));
    expect(rootUsers.map((c) => c.inputs.name)).toEqual(["abode-dev-filebeat"]);
    expect(container("filebeat").inputs.capabilities).toEqual({ drops: ["ALL"], adds: [] });
  });

  it("never mounts the Docker socket, and host paths only read-only", () => {
    const hostMounts = containers().flatMap((c) => (c.inputs.volumes ?? []).filter((v: any) => v.hostPath));
    expect(hostMounts).toEqual([{ hostPath: "/var/lib/docker/containers", containerPath: "/var/lib/docker/containers", readOnly: true }]);
  });

  it("keeps every root filesystem read-only", () => {
    expect(containers().filter((c) => c.inputs.readOnly !== true).map((c) => c.inputs.name)).toEqual([]);
  });

  it("puts state on named volumes that the stack declares", () => {
    const declared = new Set(stack.resources.filter((r) => r.type === VOLUME).map((r) => r.inputs.name));
    for (const c of containers()) {
      for (const v of c.inputs.volumes ?? []) {
        if (v.volumeName) expect(declared).toContain(v.volumeName);
        else expect(v).toMatchObject({ readOnly: true }); // host paths: read-only only
      }
    }
    for (const [name, path] of [
      ["elasticsearch", "/usr/share/elasticsearch/data"],
      ["prometheus", "/prometheus"],
      ["grafana", "/var/lib/grafana"],
      ["ollama", "/models"],
      ["cfd-solver", "/var/lib/abode/cases"],
      ["rag", "/data"],
    ]) {
      expect(container(name).inputs.volumes).toEqual(expect.arrayContaining([expect.objectContaining({ volumeName: expect.stringMatching(/^abode-dev-/), containerPath: path })]));
    }
  });

  it("creates every container after the containers it depends on", () => {
    const dependsOn = (name: string) =>
      container(name)
        .dependencies.filter((urn) => urn.includes(`${CONTAINER}::`))
        .map((urn) => urn.split("::").pop());
    expect(dependsOn("kibana")).toEqual(expect.arrayContaining(["elasticsearch"]));
    expect(dependsOn("logstash")).toEqual(expect.arrayContaining(["elasticsearch"]));
    expect(dependsOn("filebeat")).toEqual(expect.arrayContaining(["logstash"]));
    expect(dependsOn("otel-collector")).toEqual(expect.arrayContaining(["jaeger"]));
    expect(dependsOn("elk-setup")).toEqual(expect.arrayContaining(["elasticsearch"]));
    expect(dependsOn("ollama-pull")).toEqual(["ollama"]);
    expect(dependsOn("rag")).toEqual(["ollama"]);
    expect(dependsOn("reasoning").sort()).toEqual(["ai-lighting", "ifc", "ollama", "rag", "risk"]);
    // It reads the solver's cases from the solver's volume, which the solver's container creates.
    expect(dependsOn("cfd-postprocessor")).toEqual(["cfd-solver"]);
  });

  it("shares the cases volume between the CFD solver and post-processor, and nothing else", () => {
    const cases = (name: string) => (container(name).inputs.volumes ?? []).filter((v: any) => v.volumeName === "abode-dev-cfd-solver-cases");
    expect(cases("cfd-solver")).toEqual([expect.objectContaining({ containerPath: "/var/lib/abode/cases" })]);
    expect(cases("cfd-postprocessor")).toEqual([expect.objectContaining({ containerPath: "/var/lib/abode/cases" })]);
    expect(stack.resources.filter((r) => r.type === VOLUME && r.inputs.name === "abode-dev-cfd-solver-cases")).toHaveLength(1);
    expect(container("cfd-postprocessor").inputs.command).toEqual(["node", "services/cfd/dist/post/main.js"]);
  });

  it("points reasoning and RAG at the stack's Ollama, with the configured models, and reasoning at its tools", () => {
    const env = (name: string) => Object.fromEntries((container(name).inputs.envs as string[]).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
    expect(env("reasoning")).toMatchObject({
      LLM_BASE_URL: "http://ollama:11434/v1",
      LLM_MODEL: "qwen2.5:0.5b",
      AI_LIGHTING_URL: "http://ai-lighting:8005",
      RISK_URL: "http://risk:8009",
      RAG_URL: "http://rag:8007",
      IFC_URL: "http://ifc:8004",
    });
    expect(env("reasoning").LLM_API_KEY).toBeUndefined();
    expect(env("rag")).toMatchObject({ EMBEDDING_BASE_URL: "http://ollama:11434/v1", EMBEDDING_MODEL: "nomic-embed-text", EMBEDDING_QUERY_PREFIX: "search_query: " });
    // Without secrets.rodinApiKey the 3D service runs and says it is not ready; no key is invented.
    expect(env("gen3d").RODIN_API_KEY).toBeUndefined();
  });

  it("pins every third-party image to an exact version and builds ours from their Dockerfile", () => {
    const pulled = stack.resources.filter((r) => r.type === "docker:index/remoteImage:RemoteImage").map((r) => r.inputs.name as string);
    expect(pulled.length).toBeGreaterThan(0);
    for (const image of pulled) expect(image).toMatch(/^[a-z0-9./_-]+:[A-Za-z0-9._-]*\d[A-Za-z0-9._-]*(@sha256:[a-f0-9]{64})?$/);
    expect(pulled.join(" ")).not.toMatch(/:latest\b/);
    const built = stack.resources.filter((r) => r.type === "docker:index/image:Image");
    expect(built.find((b) => b.inputs.build.args?.SERVICE === "ai-lighting")?.inputs.build).toMatchObject({ dockerfile: "services/Dockerfile", args: { PORT: "8005" } });
    for (const b of built) expect(b.inputs.skipPush).toBe(true);
  });

  it("pulls each image once: a job runs from its server's image", () => {
    const pulled = stack.resources.filter((r) => r.type === "docker:index/remoteImage:RemoteImage").map((r) => r.inputs.name);
    expect(new Set(pulled).size).toBe(pulled.length);
    expect(container("elk-setup").inputs.image).toBe(container("elasticsearch").inputs.image);
    expect(container("ollama-pull").inputs.image).toBe(container("ollama").inputs.image);
    expect(container("kibana").inputs.image).not.toBe(container("elasticsearch").inputs.image);
  });

  it("generates every password; none is a default", () => {
    const passwords = stack.resources.filter((r) => r.type === "random:index/randomPassword:RandomPassword");
    expect(passwords.map((p) => p.name).sort()).toEqual(
      ["elastic-password", "grafana-admin-password", "grafana-reader-password", "kibana-encryption-key", "kibana-system-password", "logstash-writer-password"].sort(),
    );
    for (const p of passwords) expect(p.inputs.length).toBeGreaterThanOrEqual(32);
    const env = containers().flatMap((c) => c.inputs.envs ?? []);
    expect(env).toContain("ELASTIC_PASSWORD=generated-elastic-password");
    expect(env.join("\n")).not.toMatch(/(PASSWORD|SECRET|KEY)[A-Z_]*=(admin|changeme|password|elastic|secret)?$/m);
  });

  it("outputs every URL an SRE needs, and credentials only as secrets", () => {
    expect(stack.outputs.urls).toEqual({
      "cfd-solver": "http://127.0.0.1:8000",
      "cfd-mesher": "http://127.0.0.1:8001",
      "cfd-postprocessor": "http://127.0.0.1:8002",
      "ai-parsing": "http://127.0.0.1:8003",
      ifc: "http://127.0.0.1:8004",
      "ai-lighting": "http://127.0.0.1:8005",
      reasoning: "http://127.0.0.1:8006",
      rag: "http://127.0.0.1:8007",
      gen3d: "http://127.0.0.1:8008",
      risk: "http://127.0.0.1:8009",
      ollama: "http://127.0.0.1:11434",
      elasticsearch: "https://127.0.0.1:9200",
      kibana: "http://127.0.0.1:5601",
      jaeger: "http://127.0.0.1:16686",
      prometheus: "http://127.0.0.1:9090",
      grafana: "http://127.0.0.1:3001",
    });
    expect(stack.outputs.endpoints).toMatchObject({ "otel-collector.otlp-grpc": "127.0.0.1:4317", "paraview.pvserver": "127.0.0.1:11111" });
    expect(stack.outputs.grafanaAdminPassword).toBe("generated-grafana-admin-password");
  });
});

describe("an external model endpoint and API keys", () => {
  it("go to reasoning, RAG and 3D generation as secrets, without Ollama", async () => {
    const raw = rawConfig(
      {
        ...stackFileConfig("dev"),
        "abode:models": { chat: "gpt-4o-mini", embedding: "text-embedding-3-small", endpoint: "https://api.openai.com/v1" },
        "abode:workloads": { ollama: { enabled: false } },
        "abode:secrets": { llmApiKey: "sk-test-key", rodinApiKey: "rodin-test-key" },
      },
      ["abode:secrets"],
    );
    const external = await evaluateStack(raw);
    if (external.error) throw external.error;
    const envs = (name: string) => external.resources.find((r) => r.type === CONTAINER && r.inputs.name === `abode-dev-${name}`)!.inputs.envs;
    for (const name of ["reasoning", "rag", "gen3d"]) expect(isSecret(envs(name))).toBe(true);
    const env = (name: string) => unsecret(envs(name)) as string[];
    expect(env("reasoning")).toEqual(expect.arrayContaining(["LLM_BASE_URL=https://api.openai.com/v1", "LLM_MODEL=gpt-4o-mini", "LLM_API_KEY=sk-test-key"]));
    expect(env("rag")).toEqual(expect.arrayContaining(["EMBEDDING_BASE_URL=https://api.openai.com/v1", "EMBEDDING_API_KEY=sk-test-key"]));
    expect(env("gen3d")).toContain("RODIN_API_KEY=rodin-test-key");
    expect(external.resources.some((r) => r.type === CONTAINER && /ollama/.test(r.inputs.name))).toBe(false);
  });
});

describe("a broken stack file", () => {
  it("declares no resource at all and names every bad key", async () => {
    const broken = await evaluateStack(
      rawConfig({ "abode:target": "docker", "abode:workloads": { grafana: { ports: { http: 9090 } }, kibana: { enabled: "no" } } }),
    );
    expect(broken.error?.message).toContain("abode:workloads.grafana.ports.http: host port 9090 is already published by prometheus.http");
    expect(broken.error?.message).toContain("abode:workloads.kibana.enabled: ");
    expect(broken.resources).toEqual([]);
  });

});
