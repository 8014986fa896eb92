import type { StackPolicy } from "../core/policy";
import { bucketsOf, companionsOf } from "./s3-companions";

const VERSIONING = ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"];

/** Versioning on, so an overwrite or delete can be undone. */
export const awsS3BucketEnableVersioning: StackPolicy = {
  kind: "stack",
  name: "aws-s3-bucket-enable-versioning",
  pack: "security",
  description:
    "Every S3 bucket has versioning `Enabled` (a BucketVersioning naming it, or the legacy inline block). Matches AWS Foundational Security Best Practices S3.14, " +
    "Control Tower CT.S3.PR.11, tfsec aws-s3-enable-versioning, Checkov CKV_AWS_21.",
  severity: "medium",
  remediation: "Add an aws.s3.BucketVersioning for the bucket with `versioningConfiguration: { status: \"Enabled\" }`, and a lifecycle rule expiring noncurrent versions.",
  frameworks: ["aws-fsbp:S3.14", "ct:CT.S3.PR.11", "tfsec:aws-s3-enable-versioning", "checkov:CKV_AWS_21"],
  validateStack(resources) {
    return bucketsOf(resources).flatMap((bucket) => {
      const companions = companionsOf(bucket, VERSIONING, resources);
      const inline = bucket.props.versioning;
      if (companions.length === 0) {
        if (inline?.enabled === true) return [];
        return [{ resource: bucket, message: "versioning is not enabled (no BucketVersioning names this bucket)" }];
      }
      return companions
        .filter((v) => v.props.versioningConfiguration?.status !== "Enabled")
        .map((v) => ({ resource: bucket, message: `${v.name} sets status ${JSON.stringify(v.props.versioningConfiguration?.status ?? "unset")}, not "Enabled"` }));
    });
  },
};
