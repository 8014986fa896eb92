import { createHash } from "node:crypto";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { IToleration } from "kubernetes-models/v1/Toleration";
import type { IVolume } from "kubernetes-models/v1/Volume";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import { JOB_ENV, type JobRunSpec } from "../job/env";
import { assertCaseId, assertRunKey } from "../storage/layout";
import { caseJobResources, DEFAULT_POOL_CAPACITY, type PoolCapacity } from "./sizing";

/** `app.kubernetes.io/name` of every case Job and its pods (the NetworkPolicy and the jobs' Role select it). */
export const CASE_JOB_APP = "cfd-case";
/** The ServiceAccount case Jobs run as (IRSA to the bucket; created by components/cfd/case-jobs.ts). */
export const CASE_JOB_SERVICE_ACCOUNT = "cfd-case-job";
export const CASE_ID_LABEL = "abode.io/case-id";
export const RUN_KEY_ANNOTATION = "abode.io/run-key";
/** The one container of a case Job's pod. */
export const CASE_CONTAINER = "case";
/** The Job's entry point inside the shared CFD image (WORKDIR /app). */
export const JOB_ENTRY_POINT = ["node", "/app/services/cfd/dist/job/main.js"];
/** The image's (and every Abode service's) numeric uid/gid. */
export const CASE_JOB_UID = 10001;
export const SCRATCH_DIR = "/scratch";

/** The CFD pool, as `components/cluster/node-pools.ts` labels and taints it (passed in from the workload spec). */
export interface CaseJobPlacement {
  nodeSelector: Record<string, string>;
  tolerations: IToleration[];
}

export interface CaseJobArgs {
  caseId: string;
  /** The run within the case (`sectors/270`); see src/storage/layout.ts. */
  runKey: string;
  namespace: string;
  /** The CFD image, pinned (ECR tag or digest). */
  image: string;
  /** `app.kubernetes.io/version`. */
  version: string;
  /** The jobs' ServiceAccount: IRSA to the results bucket, no Kubernetes API token. */
  serviceAccountName: string;
  placement: CaseJobPlacement;
  storage: { bucket: string; region: string; endpoint?: string; forcePathStyle?: boolean };
  run: JobRunSpec;
  estimatedCells: number;
  /** Longest the Job may run before Kubernetes stops it. */
  activeDeadlineSeconds: number;
  /** How long a finished Job (and its pod's log) is kept; results are in S3 already. */
  ttlSecondsAfterFinished: number;
  /** @default DEFAULT_POOL_CAPACITY */
  capacity?: PoolCapacity;
  /** @default "info" */
  logLevel?: string;
}

/**
 * The Job's name: readable (a slug of the case id) and unique per case, run and steps (a hash
 * of them: a run meshed by one Job and solved by the next gets two), a DNS label short enough
 * for the pod names derived from it. Deterministic, so a solver that starts the same steps
 * again after a restart finds their Job instead of starting a second one.
 */
export function caseJobName(caseId: string, runKey: string, run: { steps: readonly unknown[]; processes: number }): string {
  const slug = caseId.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 30).replace(/-+$/, "");
  const hash = createHash("sha256").update(JSON.stringify([caseId, runKey, run.processes, run.steps])).digest("hex").slice(0, 10);
  return `cfd-${slug ? `${slug}-` : ""}${hash}`;
}

/**
 * A case as a batch/v1 Job on the CFD pool. Pure. Sizing: see ./sizing.ts. Failure handling:
 * a pod lost to a spot interruption, a drain or a preemption (condition `DisruptionTarget`) is
 * replaced without counting as a failure; any non-zero exit of the case container fails the
 * Job at once (a diverging solver or an OOM kill would only fail again); `backoffLimit` 1
 * covers a pod failing without an exit code.
 */
export function caseJobManifest(args: CaseJobArgs): IJob {
  assertCaseId(args.caseId);
  assertRunKey(args.runKey);
  const resources = caseJobResources(args.estimatedCells, args.run.processes, args.capacity ?? DEFAULT_POOL_CAPACITY);
  const name = caseJobName(args.caseId, args.runKey, args.run);
  const labels = {
    "app.kubernetes.io/name": CASE_JOB_APP,
    "app.kubernetes.io/instance": name,
    "app.kubernetes.io/version": args.version,
    "app.kubernetes.io/component": "cfd",
    "app.kubernetes.io/part-of": "abode",
    "app.kubernetes.io/managed-by": "cfd-solver",
    [CASE_ID_LABEL]: args.caseId,
  };
  const annotations = { [RUN_KEY_ANNOTATION]: args.runKey, "abode.io/estimated-cells": String(Math.round(args.estimatedCells)) };

  const value = (name: string, value: string): IEnvVar => ({ name, value });
  const env: IEnvVar[] = [
    value(JOB_ENV.caseId, args.caseId),
    value(JOB_ENV.runKey, args.runKey),
    value(JOB_ENV.run, JSON.stringify(args.run)),
    value(JOB_ENV.scratchDir, SCRATCH_DIR),
    { name: JOB_ENV.jobUid, valueFrom: { fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/controller-uid']" } } },
    value(JOB_ENV.bucket, args.storage.bucket),
    value(JOB_ENV.region, args.storage.region),
    ...(args.storage.endpoint ? [value(JOB_ENV.endpoint, args.storage.endpoint)] : []),
    ...(args.storage.forcePathStyle ? [value(JOB_ENV.forcePathStyle, "true")] : []),
    // OpenFOAM's and Open MPI's settings (WM_PROJECT_DIR, OMPI_MCA_*, HOME, TMPDIR) come with the image.
    value("LOG_LEVEL", args.logLevel ?? "info"),
  ];

  const volumes: IVolume[] = [
    { name: "scratch", emptyDir: { sizeLimit: `${resources.scratchGiB}Gi` } },
    { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
    ...(resources.shmMiB > 0 ? [{ name: "shm", emptyDir: { medium: "Memory", sizeLimit: `${resources.shmMiB}Mi` } }] : []),
  ];
  const volumeMounts: IVolumeMount[] = [
    { name: "scratch", mountPath: SCRATCH_DIR },
    { name: "tmp", mountPath: "/tmp" },
    ...(resources.shmMiB > 0 ? [{ name: "shm", mountPath: "/dev/shm" }] : []),
  ];
  const quantities = { cpu: String(resources.cpu), memory: `${resources.memoryMiB}Mi`, "ephemeral-storage": `${resources.ephemeralStorageGiB}Gi` };

  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name, namespace: args.namespace, labels, annotations },
    spec: {
      backoffLimit: 1,
      activeDeadlineSeconds: args.activeDeadlineSeconds,
      ttlSecondsAfterFinished: args.ttlSecondsAfterFinished,
      // A replacement pod starts only once the old one is gone: never two writers of one result prefix.
      podReplacementPolicy: "Failed",
      podFailurePolicy: {
        rules: [
          { action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] },
          { action: "FailJob", onExitCodes: { containerName: CASE_CONTAINER, operator: "NotIn", values: [0] } },
        ],
      },
      template: {
        metadata: { labels: { ...labels }, annotations: { ...annotations } },
        spec: {
          serviceAccountName: args.serviceAccountName,
          // S3 credentials come from IRSA's own projected token; the pod never calls the Kubernetes API.
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          restartPolicy: "Never",
          terminationGracePeriodSeconds: 30,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: CASE_JOB_UID,
            runAsGroup: CASE_JOB_UID,
            fsGroup: CASE_JOB_UID,
            seccompProfile: { type: "RuntimeDefault" },
          },
          nodeSelector: { ...args.placement.nodeSelector },
          tolerations: args.placement.tolerations.map((t) => ({ ...t })),
          containers: [
            {
              name: CASE_CONTAINER,
              image: args.image,
              command: JOB_ENTRY_POINT,
              env,
              resources: { requests: { ...quantities }, limits: { ...quantities } },
              securityContext: {
                runAsNonRoot: true,
                runAsUser: CASE_JOB_UID,
                runAsGroup: CASE_JOB_UID,
                readOnlyRootFilesystem: true,
                allowPrivilegeEscalation: false,
                privileged: false,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
              },
              volumeMounts,
            },
          ],
          volumes,
        },
      },
    },
  };
}

/** `key=value` → a nodeSelector entry (how the workload spec passes the pool label). */
export function parseNodeSelector(text: string): Record<string, string> {
  const match = /^([A-Za-z0-9./_-]+)=([A-Za-z0-9._-]*)$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a node selector (key=value)`);
  return { [match[1]!]: match[2]! };
}

/** `key=value:Effect` (kubectl's taint syntax) → the toleration of that taint. */
export function parseToleration(text: string): IToleration {
  const match = /^([A-Za-z0-9./_-]+)=([A-Za-z0-9._-]*):(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a taint (key=value:Effect)`);
  return { key: match[1]!, operator: "Equal", value: match[2]!, effect: match[3]! as IToleration["effect"] };
}
