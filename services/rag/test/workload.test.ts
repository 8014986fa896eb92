import { DEFAULT_PORT } from "../src/version";
import { RAG_DATA_PATH, RAG_PORT, TASK_PREFIXES, ragWorkload } from "../workload";

test("the spec, the image and the service agree on port and data directory", () => {
  const spec = ragWorkload({ version: "1.2.3", otlpEndpoint: "http://otel:4318", embeddingBaseUrl: "http://ollama:11434/v1", embeddingModel: "all-minilm" });
  expect(RAG_PORT).toBe(DEFAULT_PORT);
  // The shared image creates the data directory owned by the service's user (test/service-images.test.ts checks the recipe).
  expect(spec.image).toMatchObject({ args: { SERVICE: "rag", PORT: String(RAG_PORT), DATA_DIRS: RAG_DATA_PATH } });
  expect(spec.ports).toEqual([{ name: "http", containerPort: RAG_PORT }]);
  expect(spec.volumes).toEqual([{ name: "data", mountPath: RAG_DATA_PATH, sizeGiB: 5 }]);
  expect(spec.env).toMatchObject({ PORT: "8007", RAG_DATA_DIR: "/data", EMBEDDING_BASE_URL: "http://ollama:11434/v1", EMBEDDING_MODEL: "all-minilm" });
  expect(spec.env).not.toHaveProperty("EMBEDDING_API_KEY");
  expect(spec.image).toMatchObject({ kind: "build", dockerfile: "services/Dockerfile", tag: "1.2.3" });
  expect(spec.env).not.toHaveProperty("EMBEDDING_QUERY_PREFIX");
});

test("a model trained with task prefixes gets them unless given others", () => {
  const nomic = ragWorkload({ version: "1", otlpEndpoint: "http://otel:4318", embeddingBaseUrl: "http://ollama:11434/v1", embeddingModel: "nomic-embed-text:v1.5" });
  expect(nomic.env).toMatchObject({ EMBEDDING_DOCUMENT_PREFIX: TASK_PREFIXES["nomic-embed-text"]!.document, EMBEDDING_QUERY_PREFIX: "search_query: " });
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
