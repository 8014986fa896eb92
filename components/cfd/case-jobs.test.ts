import * as pulumi from "@pulumi/pulumi";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { toAuditResources } from "../../policies/audit/evaluate";
import { AWS_POLICIES } from "../../policies/aws";
import { KUBERNETES_POLICIES } from "../../policies/kubernetes";
import { runPolicies } from "../../policies/kubernetes/testing";
import { MOCK_ACCOUNT, MOCK_OIDC_ISSUER, installMocks, resolved, settle, type Captured } from "../../test/mocks";
import { irsaTrustPolicy, leastPrivilegeProblems } from "../cluster/irsa";
import { denyInsecureTransportPolicy } from "../cluster/private-bucket";
import {
  CASE_JOB_SERVICE_ACCOUNT,
  CaseJobs,
  caseBucketLifecycleRules,
  caseJobBucketPolicy,
  caseJobNetworkPolicy,
  POSTPROCESSOR_SERVICE_ACCOUNT,
  postprocessorBucketPolicy,
  solverBucketPolicy,
  solverJobsRole,
} from "./case-jobs";

const captured = installMocks(pulumi, "prod");
const KEY = `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT}:key/platform`;
const PROVIDER_ARN = `arn:aws:iam::${MOCK_ACCOUNT}:oidc-provider/${MOCK_OIDC_ISSUER}`;
const BUCKET_ARN = "arn:aws:s3:::cfd-bucket-bucket";
const LABELS = { "app.kubernetes.io/instance": "abode-prod" };

describe("pure decisions", () => {
  test("the solver's Role: Jobs create/get/list/watch/delete, pods get/list, pods/log get, and nothing else", () => {
    const { role, binding } = solverJobsRole("abode");
    expect(role.rules).toEqual([
      { apiGroups: ["batch"], resources: ["jobs"], verbs: ["create", "get", "list", "watch", "delete"] },
      { apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] },
      { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
    ]);
    expect(binding.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata!.name });
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "cfd-solver", namespace: "abode" }]);
    new Role(role).validate();
    new RoleBinding(binding).validate();
  });

  test("IAM: each side gets listed actions on cases/ of this bucket and the key; Jobs cannot rewrite inputs nor case records", () => {
    const solver = solverBucketPolicy("arn:aws:s3:::b", KEY);
    const job = caseJobBucketPolicy("arn:aws:s3:::b", KEY);
    expect(leastPrivilegeProblems(solver)).toEqual([]);
    expect(leastPrivilegeProblems(job)).toEqual([]);
    const allowed = (doc: typeof solver) =>
      doc.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => ([] as string[]).concat(s.Action).map((a) => `${a} ${([] as string[]).concat(s.Resource).join(",")}`));
    expect(allowed(solver).sort()).toEqual(
      [
        "s3:ListBucket arn:aws:s3:::b",
        "s3:PutObject arn:aws:s3:::b/cases/*/input/*",
        "s3:PutObject arn:aws:s3:::b/cases/*/case.json",
        "s3:GetObject arn:aws:s3:::b/cases/*",
        `kms:GenerateDataKey ${KEY}`,
        `kms:Decrypt ${KEY}`,
      ].sort(),
    );
    expect(allowed(job).sort()).toEqual(
      ["s3:ListBucket arn:aws:s3:::b", "s3:GetObject arn:aws:s3:::b/cases/*/input/*", "s3:PutObject arn:aws:s3:::b/cases/*", `kms:GenerateDataKey ${KEY}`, `kms:Decrypt ${KEY}`].sort(),
    );
    expect(job.Statement.filter((s) => s.Effect === "Deny")).toEqual([
      { Sid: "InputsAreReadOnly", Effect: "Deny", Action: "s3:PutObject", Resource: "arn:aws:s3:::b/cases/*/input/*" },
      { Sid: "RecordsAreTheSolvers", Effect: "Deny", Action: "s3:PutObject", Resource: "arn:aws:s3:::b/cases/*/case.json" },
    ]);
    for (const doc of [solver, job]) {
      expect(doc.Statement.find((s) => s.Sid === "ListCases")!.Condition).toEqual({ StringLike: { "s3:prefix": ["cases/*"] } });
    }
  });

  test("IAM: the post-processor only lists and reads cases/ of this bucket and decrypts with the key; it writes nothing", () => {
    const policy = postprocessorBucketPolicy("arn:aws:s3:::b", KEY);
    expect(policy).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "ListCases", Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::b", Condition: { StringLike: { "s3:prefix": ["cases/*"] } } },
        { Sid: "ReadCases", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/cases/*" },
        { Sid: "DecryptCases", Effect: "Allow", Action: "kms:Decrypt", Resource: KEY },
      ],
    });
    expect(leastPrivilegeProblems(policy)).toEqual([]);
  });

  test("the Jobs' pods: no ingress, egress only DNS and HTTPS outside the private ranges", () => {
    const policy = caseJobNetworkPolicy("abode", "0.1.0", LABELS);
    new NetworkPolicy(policy).validate();
    expect(policy.spec!.podSelector).toEqual({ matchLabels: { "app.kubernetes.io/name": "cfd-case" } });
    expect(policy.spec!.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(policy.spec!.ingress).toEqual([]);
    const egress = policy.spec!.egress!;
    expect(egress).toHaveLength(2);
    expect(egress[0]!.ports).toEqual([
      { protocol: "UDP", port: 53 },
      { protocol: "TCP", port: 53 },
    ]);
    expect(egress[1]).toEqual({
      to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] } }],
      ports: [{ protocol: "TCP", port: 443 }],
    });
  });

  test("lifecycle: cases expire after the retention, old versions after their days, stale uploads after a week", () => {
    expect(caseBucketLifecycleRules(14, 3)).toEqual([
      { id: "expire-cases", status: "Enabled", filter: { prefix: "cases/" }, expiration: { days: 14 } },
      { id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 3 } },
      { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
    ]);
  });
});

describe("CaseJobs under mocks", () => {
  const jobs = new CaseJobs("cfd", {
    namespace: "abode",
    version: "0.1.0",
    kmsKeyArn: KEY,
    oidcProviderArn: PROVIDER_ARN,
    oidcProviderUrl: `https://${MOCK_OIDC_ISSUER}`,
    retentionDays: 30,
    labels: LABELS,
  });
  const mine = () => captured.filter((r) => r.name.startsWith("cfd-"));
  const one = (type: string, name?: string): Captured => {
    const found = mine().filter((r) => r.type === type && (name === undefined || r.name === name));
    if (found.length !== 1) throw new Error(`expected one ${type} ${name ?? ""}, found ${found.length}`);
    return found[0]!;
  };

  beforeAll(async () => {
    await resolved(pulumi.all([jobs.bucketName, jobs.solverRoleArn, jobs.jobRoleArn, jobs.postprocessorRoleArn]));
    await settle();
  });

  test("the bucket: never force-destroyed, versioned, SSE-KMS with the platform key, public access blocked, TLS only", () => {
    expect(one("aws:s3/bucket:Bucket").inputs.forceDestroy).toBe(false);
    expect(one("aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration).toEqual({ status: "Enabled" });
    expect(one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs.rules).toEqual([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY }, bucketKeyEnabled: true },
    ]);
    expect(one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(one("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
    expect(JSON.parse(one("aws:s3/bucketPolicy:BucketPolicy").inputs.policy)).toEqual(denyInsecureTransportPolicy(BUCKET_ARN));
    expect(one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules).toEqual(caseBucketLifecycleRules(30, 30));
  });

  test("every piece of the bucket is protected and retained on delete", () => {
    const stateful = mine().filter((r) => r.type.startsWith("aws:s3/"));
    expect(stateful).toHaveLength(7);
    for (const r of stateful) expect([r.type, r.protect, r.retainOnDelete]).toEqual([r.type, true, true]);
  });

  test("IRSA: the solver's role trusts abode/cfd-solver, the Jobs' role abode/cfd-case-job, each with its own bucket policy", async () => {
    const trust = (serviceAccount: string) => irsaTrustPolicy({ oidcProviderArn: PROVIDER_ARN, oidcProviderUrl: MOCK_OIDC_ISSUER, namespace: "abode", serviceAccount });
    expect(JSON.parse(one("aws:iam/role:Role", "cfd-solver-role").inputs.assumeRolePolicy)).toEqual(trust("cfd-solver"));
    expect(JSON.parse(one("aws:iam/role:Role", "cfd-job-role").inputs.assumeRolePolicy)).toEqual(trust("cfd-case-job"));
    expect(JSON.parse(one("aws:iam/rolePolicy:RolePolicy", "cfd-solver-role-policy").inputs.policy)).toEqual(solverBucketPolicy(BUCKET_ARN, KEY));
    expect(JSON.parse(one("aws:iam/rolePolicy:RolePolicy", "cfd-job-role-policy").inputs.policy)).toEqual(caseJobBucketPolicy(BUCKET_ARN, KEY));
    expect(await resolved(jobs.solverRoleArn)).toBe(`arn:aws:iam::${MOCK_ACCOUNT}:role/cfd-solver-role`);
  });

  test("IRSA: the post-processor's role trusts abode/cfd-postprocessor only and carries exactly the read-only policy", async () => {
    const trust = irsaTrustPolicy({ oidcProviderArn: PROVIDER_ARN, oidcProviderUrl: MOCK_OIDC_ISSUER, namespace: "abode", serviceAccount: POSTPROCESSOR_SERVICE_ACCOUNT });
    expect(JSON.parse(one("aws:iam/role:Role", "cfd-postprocessor-role").inputs.assumeRolePolicy)).toEqual(trust);
    expect(JSON.stringify(trust)).toContain("system:serviceaccount:abode:cfd-postprocessor");
    expect(JSON.parse(one("aws:iam/rolePolicy:RolePolicy", "cfd-postprocessor-role-policy").inputs.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "ListCases", Effect: "Allow", Action: "s3:ListBucket", Resource: BUCKET_ARN, Condition: { StringLike: { "s3:prefix": ["cases/*"] } } },
        { Sid: "ReadCases", Effect: "Allow", Action: "s3:GetObject", Resource: `${BUCKET_ARN}/cases/*` },
        { Sid: "DecryptCases", Effect: "Allow", Action: "kms:Decrypt", Resource: KEY },
      ],
    });
    expect(await resolved(jobs.postprocessorRoleArn)).toBe(`arn:aws:iam::${MOCK_ACCOUNT}:role/cfd-postprocessor-role`);
  });

  test("the Jobs' ServiceAccount carries the Jobs' role and mounts no API token", () => {
    const sa = one("kubernetes:core/v1:ServiceAccount").inputs;
    expect(sa.metadata).toMatchObject({ name: CASE_JOB_SERVICE_ACCOUNT, namespace: "abode", annotations: { "eks.amazonaws.com/role-arn": `arn:aws:iam::${MOCK_ACCOUNT}:role/cfd-job-role` } });
    expect(sa.automountServiceAccountToken).toBe(false);
    new ServiceAccount(sa).validate();
  });

  test("the Role and RoleBinding registered are exactly the pure ones", () => {
    const { role, binding } = solverJobsRole("abode", LABELS);
    expect(one("kubernetes:rbac.authorization.k8s.io/v1:Role").inputs).toEqual(role);
    expect(one("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding").inputs).toEqual(binding);
    expect(one("kubernetes:networking.k8s.io/v1:NetworkPolicy").inputs).toEqual(caseJobNetworkPolicy("abode", "0.1.0", LABELS));
  });

  test("the AWS and Kubernetes policy packs find nothing in what it registers", () => {
    const resources = toAuditResources(mine());
    const findings = runPolicies([...AWS_POLICIES, ...KUBERNETES_POLICIES], resources, { prod: true });
    expect(findings.map((f) => `${f.policy}: ${f.resource.name}: ${f.message}`)).toEqual([]);
    // …and they do look: without its encryption configuration, the bucket is reported.
    const unencrypted = resources.filter((r) => !r.type.includes("bucketServerSideEncryptionConfiguration"));
    expect(runPolicies(AWS_POLICIES, unencrypted, { prod: true }).map((f) => f.policy)).toContain("aws-s3-bucket-require-encryption");
  });

  test("refuses a retention that is not a positive number of days", () => {
    const args = { namespace: "abode", version: "0.1.0", kmsKeyArn: KEY, oidcProviderArn: PROVIDER_ARN, oidcProviderUrl: MOCK_OIDC_ISSUER };
    expect(() => new CaseJobs("bad", { ...args, retentionDays: 0 })).toThrow(/retentionDays must be a positive integer/);
    expect(() => new CaseJobs("bad2", { ...args, noncurrentVersionDays: 1.5 })).toThrow(/noncurrentVersionDays must be a positive integer/);
  });
});
