import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { irsaRole, type PolicyDocument } from "./irsa";

/** Denies every request that does not come over TLS. */
export function denyInsecureTransportPolicy(bucketArn: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}

/**
 * What Elasticsearch's S3 repository needs, on this bucket only: list and locate the bucket,
 * read, write and delete snapshot blobs, manage multipart uploads; and use the bucket's key.
 */
export function snapshotRepositoryPolicy(bucketArn: string, kmsKeyArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Bucket",
        Effect: "Allow",
        Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads", "s3:ListBucketVersions"],
        Resource: bucketArn,
      },
      {
        Sid: "Objects",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
        Resource: `${bucketArn}/*`,
      },
      {
        Sid: "BucketKey",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: kmsKeyArn,
      },
    ],
  };
}

export interface SnapshotBucketArgs {
  /** The platform key; objects are encrypted with it (SSE-KMS, with an S3 bucket key). */
  kmsKeyArn: pulumi.Input<string>;
  oidcProviderArn: pulumi.Input<string>;
  oidcProviderUrl: pulumi.Input<string>;
  /** Elasticsearch's ServiceAccount name (the ECK-managed pods'). */
  serviceAccount: string;
  /** @default "logging" */
  namespace?: string;
  /**
   * Days an overwritten or deleted snapshot blob stays recoverable as a noncurrent version.
   * Current objects never expire here: Elasticsearch's snapshot lifecycle decides which
   * snapshots to delete, and expiring its blobs behind its back would corrupt the repository.
   * @default 30
   */
  noncurrentVersionDays?: number;
  /** @default {} */
  tags?: Record<string, string>;
}

/**
 * The bucket Elasticsearch snapshots to: versioned, SSE-KMS with the platform key, all public
 * access blocked, ACLs disabled, TLS only, old versions expired; protected and retained. Plus
 * the IRSA role the Elasticsearch pods use, allowed on this bucket and nothing else.
 */
export class SnapshotBucket extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;
  /** Annotate Elasticsearch's ServiceAccount with `eks.amazonaws.com/role-arn: <roleArn>`. */
  readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: SnapshotBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("abode:cluster:SnapshotBucket", name, {}, opts);
    const namespace = args.namespace ?? "logging";
    const noncurrentDays = args.noncurrentVersionDays ?? 30;
    if (!Number.isInteger(noncurrentDays) || noncurrentDays < 1) throw new pulumi.ResourceError(`noncurrentVersionDays must be a positive integer (got ${noncurrentDays})`, this);
    const stateful = { parent: this, protect: true, retainOnDelete: true };
    const tags = { ...args.tags, "abode.io/purpose": "elasticsearch-snapshots" };

    const bucket = new aws.s3.Bucket(`${name}-bucket`, { forceDestroy: false, tags }, stateful);
    const versioning = new aws.s3.BucketVersioning(
      `${name}-versioning`,
      { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
      stateful,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }],
      },
      stateful,
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      stateful,
    );
    new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, stateful);
    new aws.s3.BucketPolicy(
      `${name}-policy`,
      { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(denyInsecureTransportPolicy(arn))) },
      // S3 rejects a bucket policy while the public access block is still being applied.
      { ...stateful, dependsOn: [publicAccess] },
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: bucket.id,
        rules: [
          { id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays } },
          { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
        ],
      },
      { ...stateful, dependsOn: [versioning] },
    );

    const role = irsaRole(
      `${name}-role`,
      {
        oidcProviderArn: args.oidcProviderArn,
        oidcProviderUrl: args.oidcProviderUrl,
        namespace,
        serviceAccount: args.serviceAccount,
        policy: pulumi.all([bucket.arn, args.kmsKeyArn]).apply(([arn, key]) => snapshotRepositoryPolicy(arn, key)),
        tags,
      },
      { parent: this },
    );

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.roleArn = role.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, roleArn: this.roleArn });
  }
}
