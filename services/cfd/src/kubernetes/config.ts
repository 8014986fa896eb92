import { parseEnv } from "@abode/service-kit";
import { z } from "zod";
import { CaseStore } from "../storage/s3";
import { inClusterOptions, KubernetesApi, SERVICE_ACCOUNT_DIR, type KubernetesApiOptions } from "./client";
import { parseNodeSelector, parseToleration } from "./manifest";
import { KubernetesCaseRunner } from "./runner";
import { KUBERNETES_RUNNER_ENV } from "./settings";

export { KUBERNETES_RUNNER_ENV };

const E = KUBERNETES_RUNNER_ENV;
/** A string the given parser turns into a value; its error becomes the variable's problem. */
const parsedWith = <T>(parse: (text: string) => T) =>
  z.string().transform((text, ctx) => {
    try {
      return parse(text);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
      return z.NEVER;
    }
  });

export const kubernetesRunnerEnvSchema = z.object({
  /** Unset: the solver's own image, read from its pod (HOSTNAME), so Jobs always run the solver's release. */
  [E.image]: z
    .string()
    .regex(/^[^\s:@]+(:[\w.-]+)?(@sha256:[0-9a-f]{64})?$/, "must be an image reference (repository[:tag][@sha256:digest])")
    .optional(),
  /** Kubernetes sets it to the pod's name. */
  HOSTNAME: z.string().optional(),
  [E.version]: z.string().min(1),
  [E.serviceAccount]: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a ServiceAccount name"),
  [E.poolSelector]: parsedWith(parseNodeSelector),
  [E.poolToleration]: parsedWith(parseToleration),
  /** Six hours: a few million cells on 30 cores, with room. */
  [E.deadlineSeconds]: z.coerce.number().int().min(60).default(21_600),
  /** An hour: results are in S3 by then; the Job only keeps its pod's log for debugging. */
  [E.ttlSeconds]: z.coerce.number().int().min(0).default(3_600),
  [E.bucket]: z.string().min(3),
  [E.region]: z.string().min(1),
  [E.endpoint]: z.url().optional(),
  [E.forcePathStyle]: z.enum(["true", "false"]).default("false"),
  LOG_LEVEL: z.string().default("info"),
});

export interface KubernetesRunnerSetup {
  /** Its `readiness()` lists the case Jobs and the bucket. */
  runner: KubernetesCaseRunner;
  /** The bucket the runner uses (the solver also publishes case.json there). */
  store: CaseStore;
  close(): void;
}

/**
 * The Kubernetes runner from the environment and the pod's service-account files. Throws one
 * error listing every bad variable. Without a mounted token (or outside a pod) it is still
 * built, but every API call fails with the reason, so `/readyz` says it and runs fail with it.
 */
export function kubernetesRunnerFromEnv(
  casesDir: string,
  env: NodeJS.ProcessEnv = process.env,
  serviceAccountDir: string = SERVICE_ACCOUNT_DIR,
): KubernetesRunnerSetup {
  const parsed = parseEnv(kubernetesRunnerEnvSchema, env);
  if (!parsed.ok) throw new Error(`CFD_RUNNER=kubernetes: ${parsed.problems.join("; ")}`);
  const settings = parsed.env;
  const api = new KubernetesApi(inClusterOrUnavailable(env, serviceAccountDir));
  const storage = {
    bucket: settings[E.bucket],
    region: settings[E.region],
    endpoint: settings[E.endpoint],
    forcePathStyle: settings[E.forcePathStyle] === "true",
  };
  const store = new CaseStore(storage);
  const runner = new KubernetesCaseRunner({
    api,
    store,
    casesDir,
    job: {
      namespace: api.namespace,
      image: settings[E.image] ?? ownImage(api, settings.HOSTNAME),
      version: settings[E.version],
      serviceAccountName: settings[E.serviceAccount],
      placement: { nodeSelector: settings[E.poolSelector], tolerations: [settings[E.poolToleration]] },
      storage,
      activeDeadlineSeconds: settings[E.deadlineSeconds],
      ttlSecondsAfterFinished: settings[E.ttlSeconds],
      logLevel: settings.LOG_LEVEL,
    },
  });
  return {
    runner,
    store,
    close: () => store.destroy(),
  };
}

/** In-cluster options, or options whose every request fails with why there are none. */
function inClusterOrUnavailable(env: NodeJS.ProcessEnv, serviceAccountDir: string): KubernetesApiOptions {
  try {
    return inClusterOptions(env, serviceAccountDir);
  } catch (error) {
    return {
      baseUrl: "https://kubernetes.default.svc",
      namespace: "unknown",
      token: () => {
        throw error;
      },
    };
  }
}

/** The container this solver runs in: the workload's name (`KubernetesWorkload` names its container after it). */
export const SOLVER_CONTAINER = "cfd-solver";

/**
 * The image of the solver's own container, read once from its pod (the Role allows `pods get`);
 * a failed read is retried on the next call.
 */
export function ownImage(api: KubernetesApi, podName: string | undefined): () => Promise<string> {
  let image: Promise<string> | undefined;
  const read = async () => {
    if (!podName) throw new Error(`${E.image} is not set and HOSTNAME (the pod's name) is unknown`);
    const pod = await api.readPod(podName);
    const containers = pod?.spec?.containers ?? [];
    const own = containers.find((c) => c.name === SOLVER_CONTAINER) ?? (containers.length === 1 ? containers[0] : undefined);
    if (!own?.image) throw new Error(`${E.image} is not set and pod ${podName} has no container ${SOLVER_CONTAINER} to take the image from`);
    return own.image;
  };
  return () => {
    image ??= read().catch((error: unknown) => {
      image = undefined;
      throw error;
    });
    return image;
  };
}
