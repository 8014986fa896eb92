import { runService } from "@abode/service-kit";
import { cfdEnv, configFromEnv, type CfdEnv } from "../case/config";
import { registerSolverRoutes } from "./app";
import { DEFAULT_PORT, SERVICE_NAME, SERVICE_VERSION } from "./version";

void runService({
  name: SERVICE_NAME,
  version: SERVICE_VERSION,
  defaultPort: DEFAULT_PORT,
  extraEnv: cfdEnv,
  register: async (service, env) => {
    const vars = env as unknown as CfdEnv;
    const config = configFromEnv(vars);
    if (vars.CFD_RUNNER === "kubernetes") {
      // Loaded only here: the Kubernetes runner brings the S3 client along.
      const { kubernetesRunnerFromEnv } = await import("../kubernetes/config");
      const { S3RecordMirror } = await import("../storage/mirror");
      const kubernetes = kubernetesRunnerFromEnv(config.casesDir);
      // Every case.json goes to the bucket too: the post-processor reads cases from there.
      const recordMirror = new S3RecordMirror({ store: kubernetes.store, log: service.log });
      // onClose hooks run last-registered first: this one after the cases' own (their final writes).
      service.app.addHook("onClose", async () => {
        await recordMirror.close();
        kubernetes.close();
      });
      await registerSolverRoutes(service, { config, runner: kubernetes.runner, recordMirror });
    } else {
      await registerSolverRoutes(service, { config });
    }
  },
});
