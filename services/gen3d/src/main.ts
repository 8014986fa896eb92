import { runService } from "@abode/service-kit";
import { registerGen3dRoutes } from "./app";
import { configFromEnv, gen3dEnvSchema, type Gen3dEnv } from "./config";
import { TaskStore } from "./tasks/store";
import { DEFAULT_PORT, SERVICE_NAME, SERVICE_VERSION } from "./version";

void runService({
  name: SERVICE_NAME,
  version: SERVICE_VERSION,
  defaultPort: DEFAULT_PORT,
  extraEnv: gen3dEnvSchema,
  register: async (service, env) => {
    const config = configFromEnv(env as unknown as Gen3dEnv);
    const store = await TaskStore.open(config.dataDir, config.maxTasks);
    registerGen3dRoutes(service, config, store);
  },
});
