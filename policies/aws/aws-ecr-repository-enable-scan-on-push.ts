import type { ResourcePolicy } from "../core/policy";
import { isTrue } from "./helpers";

export const awsEcrRepositoryEnableScanOnPush: ResourcePolicy = {
  kind: "resource",
  name: "aws-ecr-repository-enable-scan-on-push",
  pack: "security",
  description:
    "ECR repositories scan every image on push. Matches AWS Foundational Security Best Practices ECR.1, AWS Config ecr-private-image-scanning-enabled, " +
    "Checkov CKV_AWS_163, tfsec aws-ecr-enable-image-scans.",
  severity: "high",
  remediation: "Set `imageScanningConfiguration: { scanOnPush: true }` (or enable registry-level enhanced scanning) and act on the findings.",
  frameworks: ["aws-fsbp:ECR.1", "aws-config:ecr-private-image-scanning-enabled", "checkov:CKV_AWS_163", "tfsec:aws-ecr-enable-image-scans"],
  validateResource({ type, props }) {
    if (type !== "aws:ecr/repository:Repository") return [];
    return isTrue(props.imageScanningConfiguration?.scanOnPush) ? [] : ["images are not scanned on push"];
  },
};
