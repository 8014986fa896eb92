import { readFileSync } from "node:fs";
import path from "node:path";
import { DEFAULT_PORT } from "../src/version";
import { RAG_DATA_PATH, RAG_PORT, ragWorkload } from "../workload";

const dockerfile = readFileSync(path.join(__dirname, "../Dockerfile"), "utf8");

test("the spec, the image and the service agree on port and data directory", () => {
  const spec = ragWorkload({ version: "1.2.3", otlpEndpoint: "http://otel:4318", embeddingBaseUrl: "http://ollama:11434/v1", embeddingModel: "all-minilm" });
  expect(RAG_PORT).toBe(DEFAULT_PORT);
  expect(dockerfile).toContain(`PORT=${RAG_PORT}`);
  expect(dockerfile).toContain(`RAG_DATA_DIR=${RAG_DATA_PATH}`);
  expect(dockerfile).toContain(`mkdir -p ${RAG_DATA_PATH} && chown 10001:10001 ${RAG_DATA_PATH}`);
  expect(spec.ports).toEqual([{ name: "http", containerPort: RAG_PORT }]);
  expect(spec.volumes).toEqual([{ name: "data", mountPath: RAG_DATA_PATH, sizeGiB: 5 }]);
  expect(spec.env).toMatchObject({ PORT: "8007", RAG_DATA_DIR: "/data", EMBEDDING_BASE_URL: "http://ollama:11434/v1", EMBEDDING_MODEL: "all-minilm" });
  expect(spec.env).not.toHaveProperty("EMBEDDING_API_KEY");
  expect(spec.image).toMatchObject({ kind: "build", dockerfile: "services/rag/Dockerfile", tag: "1.2.3" });
});

test("the API key and optional settings pass through as given (a secret stays a secret Input)", () => {
  const secret = { secret: "sk-x" } as unknown as string; // stands in for a pulumi.Output<string>
  const spec = ragWorkload({
    version: "1",
    otlpEndpoint: "http://otel:4318",
    embeddingBaseUrl: "https://api.openai.com/v1",
    embeddingModel: "text-embedding-3-small",
    embeddingApiKey: secret,
    embeddingBatchSize: 64,
    embeddingDocumentPrefix: "search_document: ",
    embeddingQueryPrefix: "search_query: ",
    dependsOn: ["ollama"],
  });
  expect(spec.env.EMBEDDING_API_KEY).toBe(secret);
  expect(spec.env).toMatchObject({ EMBEDDING_BATCH_SIZE: "64", EMBEDDING_DOCUMENT_PREFIX: "search_document: ", EMBEDDING_QUERY_PREFIX: "search_query: " });
  expect(spec.dependsOn).toEqual(["ollama"]);
});
