import { runService } from "@abode/service-kit";
import { registerPostprocessorRoutes } from "./app";
import { LocalCaseSource } from "./case/source";
import { optionsFromEnv, postprocessorEnv, type PostprocessorEnv } from "./env";
import { DEFAULT_PORT, SERVICE_NAME, SERVICE_VERSION } from "./version";

void runService({
  name: SERVICE_NAME,
  version: SERVICE_VERSION,
  defaultPort: DEFAULT_PORT,
  extraEnv: postprocessorEnv,
  register: (service, env) => {
    const vars = env as unknown as PostprocessorEnv;
    registerPostprocessorRoutes(service, { source: new LocalCaseSource(vars.CFD_CASES_DIR), ...optionsFromEnv(vars) });
  },
}).catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: "fatal", time: new Date().toISOString(), service: SERVICE_NAME, msg: `failed to start: ${(error as Error).message}` })}\n`);
  process.exit(1);
});
