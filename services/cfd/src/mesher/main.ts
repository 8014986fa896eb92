import { runService } from "@abode/service-kit";
import { cfdEnv, configFromEnv, type CfdEnv } from "../case/config";
import { registerMesherRoutes } from "./app";
import { DEFAULT_PORT, SERVICE_NAME, SERVICE_VERSION } from "./version";

void runService({
  name: SERVICE_NAME,
  version: SERVICE_VERSION,
  defaultPort: DEFAULT_PORT,
  extraEnv: cfdEnv,
  // Meshes run here, as child processes: CFD_RUNNER applies to the solver only.
  register: async (service, env) => {
    await registerMesherRoutes(service, { config: configFromEnv(env as unknown as CfdEnv) });
  },
});
