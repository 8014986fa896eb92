/**
 * The CFD workloads' specs, consumed by the stacks (stacks/workloads.ts): the solver API (8000),
 * the mesher API (8001) and the post-processor (8002). All three run the one image built from
 * `services/cfd/Dockerfile` (repository root as context); `args` picks the entry point.
 */
import type * as pulumi from "@pulumi/pulumi";
import { POOL_LABEL, POOL_TAINTS } from "../../components/cluster/node-pools";
import { appServiceWorkload } from "../../components/workload/app-service";
import { publicHttpsEgress, type Resources, type VolumeSpec, type WorkloadSpec } from "../../components/workload/spec";
import { KUBERNETES_RUNNER_ENV } from "./src/kubernetes/settings";
import { CASE_JOB_SERVICE_ACCOUNT } from "./src/kubernetes/manifest";

export const CFD_SOLVER_PORT = 8000;
export const CFD_MESHER_PORT = 8001;
export const CFD_POSTPROCESSOR_PORT = 8002;
/** The folder under `services/` whose Dockerfile builds the shared image. */
export const CFD_SOURCE = "cfd";
/** Where the cases volume is mounted (`CFD_CASES_DIR`). */
export const CFD_CASES_DIR = "/var/lib/abode/cases";
const CASES_VOLUME_GIB = 50;

/**
 * Four cores and 4 GiB: in dev the solver runs OpenFOAM itself, one MPI rank per core (a
 * coarse case of a few hundred thousand cells meshes and solves in minutes). With the
 * Kubernetes runner it only orchestrates; pass smaller resources there.
 */
export const CFD_SOLVER_DEFAULT_RESOURCES: Resources = { cpu: 4, memoryMiB: 4096, requests: { cpu: 1, memoryMiB: 1024 } };
/** Meshing runs here (snappyHexMesh peaks at ~2 GiB per million cells). */
export const CFD_MESHER_DEFAULT_RESOURCES: Resources = { cpu: 4, memoryMiB: 4096, requests: { cpu: 1, memoryMiB: 1024 } };
/** Parsing ASCII fields and classifying comfort over every sector: memory for the field cache. */
export const CFD_POSTPROCESSOR_DEFAULT_RESOURCES: Resources = { cpu: 2, memoryMiB: 4096, requests: { cpu: 0.5, memoryMiB: 1024 } };
/** A sector running longer fails the case (`CFD_RUN_TIMEOUT_SECONDS`). */
export const CFD_DEFAULT_RUN_TIMEOUT_SECONDS = 21_600;
/** Time a case Job may wait for a CFD node (the pool scales from zero) on top of the run timeout. */
export const CASE_JOB_SCHEDULING_MARGIN_SECONDS = 900;

export interface CfdWorkloadArgs {
  version: string;
  /** OTLP/HTTP base URL traces go to, e.g. http://otel-collector:4318. */
  otlpEndpoint: string;
  /** @default the service's *_DEFAULT_RESOURCES */
  resources?: Resources;
}

/** Prod: the solver runs every case as a Kubernetes Job on the CFD pool, with results in S3. */
export interface CfdCaseJobsTarget {
  /** The image case Jobs run. @default the solver's own (read from its pod, so Jobs always run the solver's release) */
  image?: pulumi.Input<string>;
  /** The results bucket (`CaseJobs.bucketName`, components/cfd/case-jobs.ts). */
  bucket: pulumi.Input<string>;
  /** The bucket's AWS region. */
  region: string;
  /** MPI ranks (and cores) per case Job. @default 8 */
  processes?: number;
  /** How long a finished Job is kept (results are in S3 already). @default 3600 */
  ttlSeconds?: number;
}

export interface CfdSolverWorkloadArgs extends CfdWorkloadArgs {
  /** @default CFD_DEFAULT_RUN_TIMEOUT_SECONDS */
  runTimeoutSeconds?: number;
  /** Run cases as Kubernetes Jobs. @default none: OpenFOAM runs in the solver's container */
  caseJobs?: CfdCaseJobsTarget;
}

const casesVolume = (owner?: string): VolumeSpec => ({ name: "cases", mountPath: CFD_CASES_DIR, sizeGiB: CASES_VOLUME_GIB, ...(owner ? { owner } : {}) });
const entryPoint = (name: string) => ["node", `services/cfd/dist/${name}/main.js`];
/** Ranks for local runs: one per whole core of the container. */
const localProcesses = (resources: Resources) => String(Math.max(1, Math.floor(resources.cpu)));

/** The environment of the Kubernetes runner (src/kubernetes/config.ts), the pool's label and taint as node-pools.ts declares them. */
export function caseJobsEnv(target: CfdCaseJobsTarget, version: string, runTimeoutSeconds: number): Record<string, pulumi.Input<string>> {
  const taint = POOL_TAINTS.cfd!;
  const E = KUBERNETES_RUNNER_ENV;
  return {
    CFD_RUNNER: "kubernetes",
    CFD_PROCESSES: String(target.processes ?? 8),
    ...(target.image !== undefined ? { [E.image]: target.image } : {}),
    [E.version]: version,
    [E.serviceAccount]: CASE_JOB_SERVICE_ACCOUNT,
    [E.poolSelector]: `${POOL_LABEL}=cfd`,
    [E.poolToleration]: `${taint.key}=${taint.value}:${taint.effect}`,
    // The solver's own timeout cancels a run first; the Job's deadline stops it if the solver is gone.
    [E.deadlineSeconds]: String(runTimeoutSeconds + CASE_JOB_SCHEDULING_MARGIN_SECONDS),
    [E.ttlSeconds]: String(target.ttlSeconds ?? 3600),
    [E.bucket]: target.bucket,
    [E.region]: target.region,
  };
}

export function cfdSolverWorkload(args: CfdSolverWorkloadArgs): WorkloadSpec {
  const resources = args.resources ?? CFD_SOLVER_DEFAULT_RESOURCES;
  const runTimeoutSeconds = args.runTimeoutSeconds ?? CFD_DEFAULT_RUN_TIMEOUT_SECONDS;
  return appServiceWorkload({
    name: "cfd-solver",
    source: CFD_SOURCE,
    ownDockerfile: true,
    args: entryPoint("solver"),
    component: "cfd",
    port: CFD_SOLVER_PORT,
    version: args.version,
    otlpEndpoint: args.otlpEndpoint,
    resources,
    env: {
      CFD_CASES_DIR,
      CFD_RUN_TIMEOUT_SECONDS: String(runTimeoutSeconds),
      ...(args.caseJobs ? caseJobsEnv(args.caseJobs, args.version, runTimeoutSeconds) : { CFD_RUNNER: "local", CFD_PROCESSES: localProcesses(resources) }),
    },
    volumes: [casesVolume()],
    singleReplica: "its case queue lives in the process and its cases on its own volume; a second solver would neither see nor run them",
    serviceAccountTokenReason: args.caseJobs
      ? "creates, follows and deletes its case Jobs through the Kubernetes API (Role cfd-solver: jobs, pods, pods/log in its namespace only)"
      : undefined,
    externalEgress: args.caseJobs ? [publicHttpsEgress("uploads prepared cases to S3, reads their results, and assumes its IRSA role through STS")] : undefined,
  });
}

/** Mesh-only runs; meshes run in its own container (the Kubernetes runner is the solver's). */
export function cfdMesherWorkload(args: CfdWorkloadArgs): WorkloadSpec {
  const resources = args.resources ?? CFD_MESHER_DEFAULT_RESOURCES;
  return appServiceWorkload({
    name: "cfd-mesher",
    source: CFD_SOURCE,
    ownDockerfile: true,
    args: entryPoint("mesher"),
    component: "cfd",
    port: CFD_MESHER_PORT,
    version: args.version,
    otlpEndpoint: args.otlpEndpoint,
    resources,
    env: { CFD_CASES_DIR, CFD_PROCESSES: localProcesses(resources) },
    volumes: [casesVolume()],
    singleReplica: "its mesh queue lives in the process and its meshes on its own volume; a second mesher would neither see nor run them",
  });
}

/** The solver's results bucket, for services that read its cases from there (the `CaseJobs` bucket). */
export type CfdCaseBucket = Pick<CfdCaseJobsTarget, "bucket" | "region">;

export interface CfdPostprocessorWorkloadArgs extends CfdWorkloadArgs {
  /**
   * Read cases from the solver's bucket (prod, where each pod has its own volume); its IRSA role
   * is `CaseJobs.postprocessorRoleArn`. @default none: the solver's cases volume, shared (dev)
   */
  caseBucket?: CfdCaseBucket;
}

/** The post-processor's environment for cases in S3 (src/post/env.ts); the names are the solver's. */
export function caseBucketEnv(target: CfdCaseBucket): Record<string, pulumi.Input<string>> {
  return { POST_CASE_SOURCE: "s3", [KUBERNETES_RUNNER_ENV.bucket]: target.bucket, [KUBERNETES_RUNNER_ENV.region]: target.region };
}

/**
 * Reads the solver's cases: in dev from the solver's own volume (see `VolumeSpec.owner`); with
 * `caseBucket` from S3, keeping results and its download cache on a volume of its own.
 */
export function cfdPostprocessorWorkload(args: CfdPostprocessorWorkloadArgs): WorkloadSpec {
  return appServiceWorkload({
    name: "cfd-postprocessor",
    source: CFD_SOURCE,
    ownDockerfile: true,
    args: entryPoint("post"),
    component: "cfd",
    port: CFD_POSTPROCESSOR_PORT,
    version: args.version,
    otlpEndpoint: args.otlpEndpoint,
    resources: args.resources ?? CFD_POSTPROCESSOR_DEFAULT_RESOURCES,
    env: { CFD_CASES_DIR, ...(args.caseBucket ? caseBucketEnv(args.caseBucket) : {}) },
    volumes: [args.caseBucket ? casesVolume() : casesVolume("cfd-solver")],
    singleReplica: "the comfort results it computes are stored on its own volume; another replica would not find them",
    externalEgress: args.caseBucket ? [publicHttpsEgress("reads finished cases from S3 and assumes its IRSA role through STS")] : undefined,
  });
}
