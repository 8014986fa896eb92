import { runService } from "@abode/service-kit";
import { registerPostprocessorRoutes } from "./app";
import { caseSourcesFromEnv, optionsFromEnv, postprocessorEnv, type PostprocessorEnv } from "./env";
import { DEFAULT_PORT, SERVICE_NAME, SERVICE_VERSION } from "./version";

void runService({
  name: SERVICE_NAME,
  version: SERVICE_VERSION,
  defaultPort: DEFAULT_PORT,
  extraEnv: postprocessorEnv,
  register: async (service, env) => {
    const vars = env as unknown as PostprocessorEnv;
    const { close, ...sources } = await caseSourcesFromEnv(vars);
    service.app.addHook("onClose", async () => close());
    service.log.info({ cases: sources.source.description, results: sources.results.description }, "case source");
    registerPostprocessorRoutes(service, { ...sources, ...optionsFromEnv(vars) });
  },
});
