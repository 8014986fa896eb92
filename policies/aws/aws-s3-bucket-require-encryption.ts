import type { AuditResource, StackPolicy } from "../core/policy";
import { asArray } from "./helpers";
import { bucketsOf, companionsOf } from "./s3-companions";

const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const SSE_V2 = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2";
const ALGORITHMS = new Set(["aws:kms", "aws:kms:dsse", "AES256"]);

function sseProblems(config: AuditResource): string[] {
  const rules = asArray<Record<string, any>>(config.props.rules);
  if (rules.length === 0) return [`${config.name} has no encryption rule`];
  return rules
    .map((rule) => rule.applyServerSideEncryptionByDefault?.sseAlgorithm)
    .filter((algorithm) => !ALGORITHMS.has(algorithm))
    .map((algorithm) => `${config.name} sets sseAlgorithm ${JSON.stringify(algorithm ?? "unset")}`);
}

/** Default server-side encryption configured explicitly for every bucket. */
export const awsS3BucketRequireEncryption: StackPolicy = {
  kind: "stack",
  name: "aws-s3-bucket-require-encryption",
  pack: "security",
  description:
    "Every S3 bucket has a server-side encryption configuration (aws:kms, aws:kms:dsse or AES256), declared in the stack (a BucketServerSideEncryptionConfiguration naming it, or the legacy inline block). " +
    "Matches AWS Foundational Security Best Practices S3.4 (server-side encryption) and S3.17 (KMS at rest), tfsec aws-s3-enable-bucket-encryption, Checkov CKV_AWS_145.",
  severity: "high",
  remediation: "Add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket with `applyServerSideEncryptionByDefault: { sseAlgorithm: \"aws:kms\", kmsMasterKeyId }` and `bucketKeyEnabled: true`.",
  frameworks: ["aws-fsbp:S3.4", "aws-fsbp:S3.17", "tfsec:aws-s3-enable-bucket-encryption", "checkov:CKV_AWS_145"],
  validateStack(resources) {
    return bucketsOf(resources).flatMap((bucket) => {
      const inline = bucket.props.serverSideEncryptionConfiguration;
      const companions = companionsOf(bucket, [SSE, SSE_V2], resources);
      if (companions.length === 0 && !inline) return [{ resource: bucket, message: "no server-side encryption configuration names this bucket" }];
      const problems = companions.flatMap(sseProblems);
      if (inline) {
        const algorithm = inline.rule?.applyServerSideEncryptionByDefault?.sseAlgorithm;
        if (!ALGORITHMS.has(algorithm)) problems.push(`the inline configuration sets sseAlgorithm ${JSON.stringify(algorithm ?? "unset")}`);
      }
      return problems.map((message) => ({ resource: bucket, message }));
    });
  },
};
