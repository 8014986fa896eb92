import { runService } from "@abode/service-kit";
import { registerReasoningRoutes } from "./app";
import { configFromEnv, reasoningEnvSchema, type ReasoningEnv } from "./config";
import { DEFAULT_PORT, SERVICE_NAME, SERVICE_VERSION } from "./version";

void runService({
  name: SERVICE_NAME,
  version: SERVICE_VERSION,
  defaultPort: DEFAULT_PORT,
  extraEnv: reasoningEnvSchema,
  register: (service, env) => registerReasoningRoutes(service, configFromEnv(env as unknown as ReasoningEnv)),
});
