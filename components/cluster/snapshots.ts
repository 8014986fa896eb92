import * as pulumi from "@pulumi/pulumi";
import { irsaRole, type PolicyDocument } from "./irsa";
import { privateBucket } from "./private-bucket";

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
    const tags = { ...args.tags, "abode.io/purpose": "elasticsearch-snapshots" };

    const bucket = privateBucket(
      name,
      {
        kmsKeyArn: args.kmsKeyArn,
        tags,
        lifecycleRules: [
          { id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays } },
          { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
        ],
      },
      this,
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
