import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

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

export interface PrivateBucketArgs {
  /** The platform key: objects are SSE-KMS with an S3 bucket key. */
  kmsKeyArn: pulumi.Input<string>;
  lifecycleRules: aws.types.input.s3.BucketLifecycleConfigurationRule[];
  tags: Record<string, string>;
}

/**
 * A bucket for state we keep (snapshots, CFD cases): versioned, KMS-encrypted, public access
 * blocked, ACLs disabled, TLS only, with lifecycle rules; every part protected and retained.
 * Its resources are named `<name>-bucket`, `<name>-versioning`, ... under `parent`.
 */
export function privateBucket(name: string, args: PrivateBucketArgs, parent: pulumi.Resource): aws.s3.Bucket {
  const stateful = { parent, protect: true, retainOnDelete: true };
  const bucket = new aws.s3.Bucket(`${name}-bucket`, { forceDestroy: false, tags: args.tags }, stateful);
  const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, stateful);
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-encryption`,
    { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }] },
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
  new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, { bucket: bucket.id, rules: args.lifecycleRules }, { ...stateful, dependsOn: [versioning] });
  return bucket;
}
