import { runService } from "@abode/service-kit";
import { registerLightingRoutes } from "./app";
import { DEFAULT_PORT, SERVICE_NAME, SERVICE_VERSION } from "./version";

void runService({
  name: SERVICE_NAME,
  version: SERVICE_VERSION,
  defaultPort: DEFAULT_PORT,
  register: (service) => registerLightingRoutes(service),
});
