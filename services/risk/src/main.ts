import { runService } from "@abode/service-kit";
import { registerRiskRoutes } from "./app";
import { riskEnvSchema, settingsFromEnv, type RiskEnv } from "./settings";
import { DEFAULT_PORT, SERVICE_NAME, SERVICE_VERSION } from "./version";

void runService({
  name: SERVICE_NAME,
  version: SERVICE_VERSION,
  defaultPort: DEFAULT_PORT,
  extraEnv: riskEnvSchema,
  register: (service, env) => registerRiskRoutes(service, settingsFromEnv(env as unknown as RiskEnv)),
});
