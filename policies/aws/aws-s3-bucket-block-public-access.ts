import type { StackPolicy } from "../core/policy";
import { bucketsOf, companionsOf } from "./s3-companions";

const BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const SETTINGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

/** Bucket-level Block Public Access with all four switches on. */
export const awsS3BucketBlockPublicAccess: StackPolicy = {
  kind: "stack",
  name: "aws-s3-bucket-block-public-access",
  pack: "security",
  description:
    "Every S3 bucket has a BucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true. " +
    "Matches AWS Foundational Security Best Practices S3.8 (bucket-level block public access), Control Tower CT.S3.PR.1, tfsec aws-s3-specify-public-access-block (AVD-AWS-0094), " +
    "Checkov CKV_AWS_53 / CKV_AWS_54 / CKV_AWS_55 / CKV_AWS_56.",
  severity: "critical",
  remediation: "Add an aws.s3.BucketPublicAccessBlock for the bucket with all four settings `true`; share data through roles or presigned URLs, not public access.",
  frameworks: ["aws-fsbp:S3.8", "ct:CT.S3.PR.1", "tfsec:aws-s3-specify-public-access-block", "checkov:CKV_AWS_53", "checkov:CKV_AWS_54", "checkov:CKV_AWS_55", "checkov:CKV_AWS_56"],
  validateStack(resources) {
    return bucketsOf(resources).flatMap((bucket) => {
      const blocks = companionsOf(bucket, BLOCK, resources);
      if (blocks.length === 0) return [{ resource: bucket, message: "no BucketPublicAccessBlock names this bucket" }];
      return blocks.flatMap((block) =>
        SETTINGS.filter((setting) => block.props[setting] !== true).map((setting) => ({ resource: bucket, message: `${block.name}: ${setting} is not true` })),
      );
    });
  },
};
