import { runService } from "@abode/service-kit";
import { registerIfcRoutes } from "./app";
import { ifcEnvSchema, settingsFromEnv, type IfcEnv } from "./settings";
import { DEFAULT_PORT, SERVICE_NAME, SERVICE_VERSION } from "./version";

void runService({
  name: SERVICE_NAME,
  version: SERVICE_VERSION,
  defaultPort: DEFAULT_PORT,
  extraEnv: ifcEnvSchema,
  register: (service, env) => registerIfcRoutes(service, settingsFromEnv(env as unknown as IfcEnv)),
});
