import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { IRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import type { IRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { CASE_JOB_APP, CASE_JOB_SERVICE_ACCOUNT } from "../../services/cfd/src/kubernetes/manifest";

export { CASE_JOB_SERVICE_ACCOUNT };
import { CASES_PREFIX } from "../../services/cfd/src/storage/layout";
import { irsaRole, type PolicyDocument } from "../cluster/irsa";
import { privateBucket } from "../cluster/private-bucket";
import { workloadNetworkPolicy, type ExternalEgress } from "../workload/network-policy";
import { publicHttpsEgress, type WorkloadSpec } from "../workload/spec";

/**
 * What prod needs so that the CFD solver can run each case as a Kubernetes Job (see
 * services/cfd/src/kubernetes): the results bucket, the Jobs' ServiceAccount and IRSA role,
 * the solver's namespaced Role over Jobs and their pods' logs, its IRSA role, the
 * post-processor's read-only IRSA role (it reads finished cases from the bucket), and the
 * NetworkPolicy of the Jobs' pods. Decisions are the pure functions below; `CaseJobs` registers them.
 */

/** The solver's ServiceAccount: `KubernetesWorkload` creates it, named after the workload. */
export const SOLVER_SERVICE_ACCOUNT = "cfd-solver";
/** The post-processor's, likewise (services/cfd/workload.ts names the workload). */
export const POSTPROCESSOR_SERVICE_ACCOUNT = "cfd-postprocessor";

function objectLabels(name: string, labels: Record<string, string>): Record<string, string> {
  return { "app.kubernetes.io/part-of": "abode", "app.kubernetes.io/managed-by": "pulumi", ...labels, "app.kubernetes.io/name": name, "app.kubernetes.io/component": "cfd" };
}

/**
 * Exactly what the solver does through the Kubernetes API, in its own namespace: create,
 * follow and delete case Jobs; find a Job's pods and read their logs. Nothing else (no
 * secrets, no pods/exec, no update/patch).
 */
export function solverJobsRole(namespace: string, labels: Record<string, string> = {}): { role: IRole; binding: IRoleBinding } {
  const name = "cfd-solver-case-jobs";
  const metadata = { name, namespace, labels: objectLabels(name, labels) };
  return {
    role: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata,
      rules: [
        { apiGroups: ["batch"], resources: ["jobs"], verbs: ["create", "get", "list", "watch", "delete"] },
        { apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] },
        { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
      ],
    },
    binding: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { ...metadata, labels: { ...metadata.labels } },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
      subjects: [{ kind: "ServiceAccount", name: SOLVER_SERVICE_ACCOUNT, namespace }],
    },
  };
}

/** The case Jobs' ServiceAccount: IRSA to the bucket; no Kubernetes API token. */
export function caseJobServiceAccount(namespace: string, roleArn: pulumi.Input<string>, labels: Record<string, string> = {}): Omit<IServiceAccount, "metadata"> & {
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, pulumi.Input<string>> };
} {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: CASE_JOB_SERVICE_ACCOUNT, namespace, labels: objectLabels(CASE_JOB_APP, labels), annotations: { "eks.amazonaws.com/role-arn": roleArn } },
    automountServiceAccountToken: false,
  };
}

/** Where case Jobs go: S3 (inputs, results) and STS (IRSA), both public AWS endpoints over HTTPS. */
export const CASE_JOB_EGRESS: ExternalEgress[] = [
  publicHttpsEgress("downloads the prepared case from and uploads results to S3, and assumes its IRSA role through STS"),
];

/** The case Jobs' pods: nothing comes in; out only DNS and HTTPS to AWS (no OTLP: the Job exports no traces). */
export function caseJobNetworkPolicy(namespace: string, version: string, labels: Record<string, string> = {}): INetworkPolicy {
  const pods: Pick<WorkloadSpec, "name" | "component" | "version" | "ports" | "dependsOn" | "metrics"> = {
    name: CASE_JOB_APP,
    component: "cfd",
    version,
    ports: [],
    dependsOn: [],
  };
  return workloadNetworkPolicy(pods as WorkloadSpec, {
    namespace,
    dependents: [],
    dependencyPorts: {},
    ingressFromAlb: false,
    observabilityNamespace: "unused",
    otlpEgress: false,
    externalEgress: CASE_JOB_EGRESS,
    labels,
  });
}

const listCases = (bucketArn: string) => ({
  Sid: "ListCases",
  Effect: "Allow" as const,
  Action: "s3:ListBucket",
  Resource: bucketArn,
  Condition: { StringLike: { "s3:prefix": [`${CASES_PREFIX}/*`] } },
});
const bucketKey = (kmsKeyArn: string) => ({ Sid: "BucketKey", Effect: "Allow" as const, Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: kmsKeyArn });

/** Where the solver publishes each case's record (services/cfd/src/storage/mirror.ts). */
const caseRecords = (bucketArn: string) => `${bucketArn}/${CASES_PREFIX}/*/case.json`;

/** The solver: uploads prepared cases (inputs), publishes case records, reads outcomes and results. */
export function solverBucketPolicy(bucketArn: string, kmsKeyArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      listCases(bucketArn),
      { Sid: "UploadInputs", Effect: "Allow", Action: "s3:PutObject", Resource: `${bucketArn}/${CASES_PREFIX}/*/input/*` },
      { Sid: "PublishRecords", Effect: "Allow", Action: "s3:PutObject", Resource: caseRecords(bucketArn) },
      { Sid: "ReadResults", Effect: "Allow", Action: "s3:GetObject", Resource: `${bucketArn}/${CASES_PREFIX}/*` },
      bucketKey(kmsKeyArn),
    ],
  };
}

/** A case Job: reads its inputs, writes results and its outcome, never rewrites inputs. */
export function caseJobBucketPolicy(bucketArn: string, kmsKeyArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      listCases(bucketArn),
      { Sid: "ReadInputs", Effect: "Allow", Action: "s3:GetObject", Resource: `${bucketArn}/${CASES_PREFIX}/*/input/*` },
      { Sid: "WriteResults", Effect: "Allow", Action: "s3:PutObject", Resource: `${bucketArn}/${CASES_PREFIX}/*` },
      { Sid: "InputsAreReadOnly", Effect: "Deny", Action: "s3:PutObject", Resource: `${bucketArn}/${CASES_PREFIX}/*/input/*` },
      // The post-processor trusts a case's record (its status); only the solver writes it.
      { Sid: "RecordsAreTheSolvers", Effect: "Deny", Action: "s3:PutObject", Resource: caseRecords(bucketArn) },
      bucketKey(kmsKeyArn),
    ],
  };
}

/** The post-processor: reads case records and results, nothing else; writes nothing. */
export function postprocessorBucketPolicy(bucketArn: string, kmsKeyArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      listCases(bucketArn),
      { Sid: "ReadCases", Effect: "Allow", Action: "s3:GetObject", Resource: `${bucketArn}/${CASES_PREFIX}/*` },
      { Sid: "DecryptCases", Effect: "Allow", Action: "kms:Decrypt", Resource: kmsKeyArn },
    ],
  };
}

/** Cases expire after `retentionDays`; overwritten or deleted versions after `noncurrentDays`. */
export function caseBucketLifecycleRules(retentionDays: number, noncurrentDays: number) {
  return [
    { id: "expire-cases", status: "Enabled", filter: { prefix: `${CASES_PREFIX}/` }, expiration: { days: retentionDays } },
    { id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays } },
    { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
  ];
}

export interface CaseJobsArgs {
  /** Where the solver runs and creates its Jobs (its Role is namespaced). */
  namespace: string;
  /** The CFD release (`app.kubernetes.io/version` of the objects here). */
  version: string;
  /** The platform key; case objects are encrypted with it (SSE-KMS, with an S3 bucket key). */
  kmsKeyArn: pulumi.Input<string>;
  oidcProviderArn: pulumi.Input<string>;
  oidcProviderUrl: pulumi.Input<string>;
  /** Days a case's inputs and results are kept. @default 90 */
  retentionDays?: number;
  /** Days an overwritten or deleted object stays recoverable. @default 30 */
  noncurrentVersionDays?: number;
  /** Labels every Kubernetes object carries (`part-of`, `managed-by`, `instance`). @default {} */
  labels?: Record<string, string>;
  /** @default {} */
  tags?: Record<string, string>;
}

/**
 * The results bucket (versioned, SSE-KMS, public access blocked, ACLs disabled, TLS only,
 * expiring; protected and retained), the IRSA roles of the solver, of the Jobs and of the post-processor (each
 * limited to `cases/` of this bucket and the key), the Jobs' ServiceAccount, the solver's
 * Role + RoleBinding and the Jobs' NetworkPolicy. Needs the Kubernetes provider in `opts`.
 */
export class CaseJobs extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;
  /** Pass as `serviceAccountRoleArn` of the solver's `KubernetesWorkload`. */
  readonly solverRoleArn: pulumi.Output<string>;
  /** Pass as `serviceAccountRoleArn` of the post-processor's `KubernetesWorkload` (it reads cases from the bucket). */
  readonly postprocessorRoleArn: pulumi.Output<string>;
  readonly jobRoleArn: pulumi.Output<string>;
  readonly jobServiceAccountName: string = CASE_JOB_SERVICE_ACCOUNT;

  constructor(name: string, args: CaseJobsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("abode:cfd:CaseJobs", name, {}, opts);
    const retentionDays = args.retentionDays ?? 90;
    const noncurrentDays = args.noncurrentVersionDays ?? 30;
    for (const [field, days] of [["retentionDays", retentionDays], ["noncurrentVersionDays", noncurrentDays]] as const) {
      if (!Number.isInteger(days) || days < 1) throw new pulumi.ResourceError(`${field} must be a positive integer (got ${days})`, this);
    }
    const tags = { ...args.tags, "abode.io/purpose": "cfd-cases" };
    const labels = args.labels ?? {};

    const bucket = privateBucket(name, { kmsKeyArn: args.kmsKeyArn, tags, lifecycleRules: caseBucketLifecycleRules(retentionDays, noncurrentDays) }, this);

    const role = (suffix: string, serviceAccount: string, policy: (bucketArn: string, keyArn: string) => PolicyDocument) =>
      irsaRole(
        `${name}-${suffix}-role`,
        {
          oidcProviderArn: args.oidcProviderArn,
          oidcProviderUrl: args.oidcProviderUrl,
          namespace: args.namespace,
          serviceAccount,
          policy: pulumi.all([bucket.arn, args.kmsKeyArn]).apply(([arn, key]) => policy(arn, key)),
          tags,
        },
        { parent: this },
      );
    const solverRole = role("solver", SOLVER_SERVICE_ACCOUNT, solverBucketPolicy);
    const jobRole = role("job", CASE_JOB_SERVICE_ACCOUNT, caseJobBucketPolicy);
    const postprocessorRole = role("postprocessor", POSTPROCESSOR_SERVICE_ACCOUNT, postprocessorBucketPolicy);

    const child = { parent: this };
    new k8s.core.v1.ServiceAccount(`${name}-job-sa`, caseJobServiceAccount(args.namespace, jobRole.arn, labels) as k8s.core.v1.ServiceAccountArgs, child);
    const rbac = solverJobsRole(args.namespace, labels);
    const k8sRole = new k8s.rbac.v1.Role(`${name}-solver-role`, rbac.role as k8s.rbac.v1.RoleArgs, child);
    new k8s.rbac.v1.RoleBinding(`${name}-solver-binding`, rbac.binding as k8s.rbac.v1.RoleBindingArgs, { ...child, dependsOn: [k8sRole] });
    new k8s.networking.v1.NetworkPolicy(
      `${name}-network-policy`,
      caseJobNetworkPolicy(args.namespace, args.version, labels) as k8s.networking.v1.NetworkPolicyArgs,
      child,
    );

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.solverRoleArn = solverRole.arn;
    this.jobRoleArn = jobRole.arn;
    this.postprocessorRoleArn = postprocessorRole.arn;
    this.registerOutputs({
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      solverRoleArn: this.solverRoleArn,
      jobRoleArn: this.jobRoleArn,
      postprocessorRoleArn: this.postprocessorRoleArn,
    });
  }
}
