import type { ResourcePolicy } from "../core/policy";
import { isTrue } from "./helpers";

export const awsEfsFilesystemRequireEncryption: ResourcePolicy = {
  kind: "resource",
  name: "aws-efs-filesystem-require-encryption",
  pack: "security",
  description: "EFS file systems are encrypted at rest. Matches AWS Foundational Security Best Practices EFS.1, Checkov CKV_AWS_42, tfsec aws-efs-enable-at-rest-encryption.",
  severity: "high",
  remediation: "Set `encrypted: true` and `kmsKeyId` on the file system (encryption cannot be turned on later: create a new one and copy).",
  frameworks: ["aws-fsbp:EFS.1", "checkov:CKV_AWS_42", "tfsec:aws-efs-enable-at-rest-encryption"],
  validateResource({ type, props }) {
    if (type !== "aws:efs/fileSystem:FileSystem") return [];
    return isTrue(props.encrypted) ? [] : ["the EFS file system is not encrypted at rest"];
  },
};
