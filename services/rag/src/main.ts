import "./quiet-sqlite-warning"; // first: before anything loads node:sqlite
import { runService } from "@abode/service-kit";
import { embedderFor, registerRagRoutes } from "./app";
import { ragConfig, ragEnvSchema, type RagEnv } from "./config";
import { RagStore } from "./store";
import { DEFAULT_PORT, SERVICE_NAME, SERVICE_VERSION } from "./version";

void runService({
  name: SERVICE_NAME,
  version: SERVICE_VERSION,
  defaultPort: DEFAULT_PORT,
  extraEnv: ragEnvSchema,
  register: (service, env) => {
    const config = ragConfig(env as unknown as RagEnv);
    const store = RagStore.open(config.dataDir, { exactSearchMaxChunks: config.exactSearchMaxChunks, binaryOversample: config.binaryOversample });
    const space = store.space();
    service.log.info(
      { database: store.file, chunks: store.chunkCount(), embedding_space: space ?? null, embedding_model: config.embedder?.model ?? null },
      "store opened",
    );
    registerRagRoutes(service, {
      store,
      embedder: embedderFor(config.embedder),
      embeddingMissing: config.embeddingMissing,
      chunking: config.chunking,
      maxDocumentBytes: config.maxDocumentBytes,
      searchDepth: config.searchDepth,
    });
  },
});
