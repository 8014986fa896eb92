import { runService } from "@abode/service-kit";
import { registerParsingRoutes } from "./app";
import { aiParsingEnvSchema, configFromEnv, type AiParsingEnv } from "./config";
import { DEFAULT_PORT, SERVICE_NAME, SERVICE_VERSION } from "./version";

void runService({
  name: SERVICE_NAME,
  version: SERVICE_VERSION,
  defaultPort: DEFAULT_PORT,
  extraEnv: aiParsingEnvSchema,
  // The model loads in the background: /healthz answers at once, /readyz says "loading" until it is in.
  register: (service, env) => void registerParsingRoutes(service, configFromEnv(env as unknown as AiParsingEnv)),
});
