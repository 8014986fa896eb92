import type { ResourcePolicy } from "../core/policy";
import { isTrue } from "./helpers";

export const awsKmsKeyEnableRotation: ResourcePolicy = {
  kind: "resource",
  name: "aws-kms-key-enable-rotation",
  pack: "security",
  description:
    "Symmetric customer-managed KMS keys rotate their key material automatically. Matches AWS Foundational Security Best Practices KMS.4, Control Tower CT.KMS.PR.1, " +
    "tfsec aws-kms-auto-rotate-keys, Checkov CKV_AWS_7.",
  severity: "medium",
  remediation: "Set `enableKeyRotation: true` (and `rotationPeriodInDays`, 90–2560, 365 by default). Asymmetric and HMAC keys cannot rotate and are not checked.",
  frameworks: ["aws-fsbp:KMS.4", "ct:CT.KMS.PR.1", "tfsec:aws-kms-auto-rotate-keys", "checkov:CKV_AWS_7"],
  validateResource({ type, props }) {
    if (type !== "aws:kms/key:Key") return [];
    const spec = props.customerMasterKeySpec ?? props.keySpec ?? "SYMMETRIC_DEFAULT";
    if (spec !== "SYMMETRIC_DEFAULT") return [];
    return isTrue(props.enableKeyRotation) ? [] : ["key rotation is off (enableKeyRotation)"];
  },
};
