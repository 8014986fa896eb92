import * as pulumi from "@pulumi/pulumi";
import { parseEnv, serviceEnvSchema } from "@abode/service-kit";
import { specProblems } from "../../../components/workload/validate";
import { reasoningEnvSchema } from "../src/config";
import { REASONING_DEFAULT_RESOURCES, REASONING_PORT, reasoningWorkload } from "../workload";

const base = { version: "1.2.3", otlpEndpoint: "http://otel-collector:4318", llm: { baseUrl: "http://ollama:11434/v1", model: "qwen2.5:0.5b" } };
const fullEnv = serviceEnvSchema({ port: REASONING_PORT, serviceName: "reasoning" }).extend(reasoningEnvSchema.shape);

test("the spec: port 8006, built from the shared services/Dockerfile, probes, default resources, valid", () => {
  const spec = reasoningWorkload(base);
  expect(spec).toMatchObject({
    name: "reasoning",
    ports: [{ name: "http", containerPort: 8006 }],
    image: { kind: "build", context: ".", dockerfile: "services/Dockerfile", repository: "abode/reasoning", tag: "1.2.3", args: { SERVICE: "reasoning", PORT: "8006", DATA_DIRS: "" } },
    health: { http: { port: 8006, path: "/healthz", readinessPath: "/readyz" } },
    resources: REASONING_DEFAULT_RESOURCES,
    security: { runAsUser: 10001, writablePaths: ["/tmp"] },
  });
  expect(specProblems(spec)).toEqual([]);
  // Only what was given: no tool URL means the tool is not offered (and the service says why).
  expect(Object.keys(spec.env).filter((k) => /^(LLM|AI_|RISK|RAG|IFC|REASON|TOOL)/.test(k))).toEqual(["LLM_BASE_URL", "LLM_MODEL"]);
});

test("every argument becomes a variable the service accepts; the API key stays a Pulumi secret", () => {
  const apiKey = pulumi.secret("sk-live");
  const spec = reasoningWorkload({
    ...base,
    llm: { ...base.llm, apiKey },
    tools: { aiLightingUrl: "http://ai-lighting:8005", riskUrl: "http://risk:8009", ragUrl: "http://rag:8007", ifcUrl: "http://ifc:8004", ifcSourceHosts: ["minio:9000", "files.example.com"] },
    limits: { timeBudgetMs: 60_000, tokenBudget: 8_000, maxSteps: 10, toolTimeoutMs: 15_000, llmTimeoutMs: 30_000 },
    dependsOn: ["ollama"],
  });
  expect(spec.env.LLM_API_KEY).toBe(apiKey);
  expect(spec.dependsOn).toEqual(["ollama"]);
  const plain = Object.fromEntries(Object.entries(spec.env).filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const parsed = parseEnv(fullEnv, { ...plain, LLM_API_KEY: "sk-live" });
  expect(parsed.ok).toBe(true);
  expect(parsed.ok && parsed.env).toMatchObject({
    PORT: 8006,
    LLM_BASE_URL: "http://ollama:11434/v1",
    RAG_URL: "http://rag:8007",
    IFC_SOURCE_HOSTS: ["minio:9000", "files.example.com"],
    REASON_TIME_BUDGET_MS: 60_000,
    REASON_TOKEN_BUDGET: 8_000,
    REASON_MAX_STEPS: 10,
    TOOL_TIMEOUT_MS: 15_000,
    LLM_TIMEOUT_MS: 30_000,
  });
});
