import * as pulumi from "@pulumi/pulumi";
import { irsaTrustPolicy, leastPrivilegeProblems } from "./irsa";
import { MOCK_ACCOUNT, MOCK_OIDC_ISSUER, installMocks, resolved, settle, type Captured } from "../../test/mocks";
import { denyInsecureTransportPolicy } from "./private-bucket";
import { SnapshotBucket, snapshotRepositoryPolicy } from "./snapshots";

const captured = installMocks(pulumi, "prod");
const KEY = `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT}:key/platform`;
const PROVIDER_ARN = `arn:aws:iam::${MOCK_ACCOUNT}:oidc-provider/${MOCK_OIDC_ISSUER}`;
const BUCKET_ARN = "arn:aws:s3:::snap-bucket-bucket";

describe("policies", () => {
  test("the bucket policy denies every request not made over TLS, on the bucket and its objects", () => {
    expect(denyInsecureTransportPolicy("arn:aws:s3:::b").Statement).toEqual([
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
  });

  test("Elasticsearch's permissions: listed S3 actions on this bucket only, and the key", () => {
    const policy = snapshotRepositoryPolicy("arn:aws:s3:::b", KEY);
    expect(leastPrivilegeProblems(policy)).toEqual([]);
    const resources = policy.Statement.flatMap((s) => ([] as string[]).concat(s.Resource));
    expect(resources.sort()).toEqual(["arn:aws:s3:::b", "arn:aws:s3:::b/*", KEY].sort());
    const actions = policy.Statement.flatMap((s) => ([] as string[]).concat(s.Action));
    expect(actions).toEqual(expect.arrayContaining(["s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "kms:GenerateDataKey", "kms:Decrypt"]));
    expect(actions.some((a) => /DeleteBucket|PutBucketPolicy|PutBucketAcl|PutObjectAcl/.test(a))).toBe(false);
  });
});

describe("SnapshotBucket under mocks", () => {
  const snapshots = new SnapshotBucket("snap", {
    kmsKeyArn: KEY,
    oidcProviderArn: PROVIDER_ARN,
    oidcProviderUrl: `https://${MOCK_OIDC_ISSUER}`,
    serviceAccount: "elasticsearch-es",
    noncurrentVersionDays: 14,
  });

  beforeAll(async () => {
    await resolved(pulumi.all([snapshots.bucketName, snapshots.roleArn]));
    await settle();
  });

  const one = (type: string): Captured => {
    const found = captured.filter((r) => r.type === type && r.name.startsWith("snap-"));
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
    return found[0]!;
  };

  test("the bucket is never force-destroyed", () => {
    expect(one("aws:s3/bucket:Bucket").inputs.forceDestroy).toBe(false);
  });

  test("versioning enabled", () => {
    expect(one("aws:s3/bucketVersioning:BucketVersioning").inputs).toMatchObject({ bucket: "snap-bucket-id", versioningConfiguration: { status: "Enabled" } });
  });

  test("SSE-KMS with the platform key and a bucket key", () => {
    expect(one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs.rules).toEqual([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY }, bucketKeyEnabled: true },
    ]);
  });

  test("all four public-access blocks on; ACLs disabled", () => {
    expect(one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(one("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
  });

  test("the bucket policy denies non-TLS access", () => {
    expect(JSON.parse(one("aws:s3/bucketPolicy:BucketPolicy").inputs.policy)).toEqual(denyInsecureTransportPolicy(BUCKET_ARN));
  });

  test("old versions expire after the configured days; current snapshot blobs never expire here", () => {
    const rules = one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules;
    expect(rules).toEqual([
      { id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 14 } },
      { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
    ]);
    expect(rules.some((r: Record<string, unknown>) => "expiration" in r)).toBe(false);
  });

  test("the bucket and its settings are protected and retained", () => {
    const stateful = captured.filter((r) => r.type.startsWith("aws:s3/") && r.name.startsWith("snap-"));
    expect(stateful).toHaveLength(7);
    for (const r of stateful) expect([r.type, r.protect, r.retainOnDelete]).toEqual([r.type, true, true]);
  });

  test("the IRSA role trusts only logging/<serviceAccount> and may touch only this bucket and the key", async () => {
    const role = captured.find((r) => r.type === "aws:iam/role:Role" && r.name === "snap-role")!;
    expect(JSON.parse(role.inputs.assumeRolePolicy)).toEqual(
      irsaTrustPolicy({ oidcProviderArn: PROVIDER_ARN, oidcProviderUrl: MOCK_OIDC_ISSUER, namespace: "logging", serviceAccount: "elasticsearch-es" }),
    );
    const inline = captured.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === "snap-role-policy")!;
    expect(JSON.parse(inline.inputs.policy)).toEqual(snapshotRepositoryPolicy(BUCKET_ARN, KEY));
    expect(await resolved(snapshots.roleArn)).toBe(`arn:aws:iam::${MOCK_ACCOUNT}:role/snap-role`);
    expect(await resolved(snapshots.bucketName)).toBe("snap-bucket-bucket");
  });

  test("refuses a non-positive retention", () => {
    expect(
      () => new SnapshotBucket("bad", { kmsKeyArn: KEY, oidcProviderArn: PROVIDER_ARN, oidcProviderUrl: MOCK_OIDC_ISSUER, serviceAccount: "es", noncurrentVersionDays: 0 }),
    ).toThrow(/noncurrentVersionDays must be a positive integer/);
  });
});
