/**
 * The solver's environment when it runs cases as Kubernetes Jobs (`CFD_RUNNER=kubernetes`,
 * set by services/cfd/workload.ts in prod). The namespace is the solver's own (its Role is
 * namespaced), read from the mounted service-account files.
 */
export const KUBERNETES_RUNNER_ENV = {
  image: "CFD_JOB_IMAGE",
  version: "CFD_JOB_VERSION",
  serviceAccount: "CFD_JOB_SERVICE_ACCOUNT",
  poolSelector: "CFD_JOB_POOL_SELECTOR",
  poolToleration: "CFD_JOB_POOL_TOLERATION",
  deadlineSeconds: "CFD_JOB_DEADLINE_SECONDS",
  ttlSeconds: "CFD_JOB_TTL_SECONDS",
  bucket: "CFD_S3_BUCKET",
  region: "CFD_S3_REGION",
  endpoint: "CFD_S3_ENDPOINT",
  forcePathStyle: "CFD_S3_FORCE_PATH_STYLE",
} as const;
