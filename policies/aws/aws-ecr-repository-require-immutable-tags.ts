import type { ResourcePolicy } from "../core/policy";

export const awsEcrRepositoryRequireImmutableTags: ResourcePolicy = {
  kind: "resource",
  name: "aws-ecr-repository-require-immutable-tags",
  pack: "security",
  description:
    "ECR repositories have immutable tags, so a tag a deployment pinned cannot be re-pointed at other content. Matches AWS Foundational Security Best Practices ECR.2, " +
    "AWS Config ecr-private-tag-immutability-enabled, tfsec aws-ecr-enforce-immutable-repository, Checkov CKV_AWS_51.",
  severity: "medium",
  remediation: "Set `imageTagMutability: \"IMMUTABLE\"`; push a new tag per build.",
  frameworks: ["aws-fsbp:ECR.2", "aws-config:ecr-private-tag-immutability-enabled", "tfsec:aws-ecr-enforce-immutable-repository", "checkov:CKV_AWS_51"],
  validateResource({ type, props }) {
    if (type !== "aws:ecr/repository:Repository") return [];
    const mutability = props.imageTagMutability ?? "MUTABLE";
    return String(mutability).startsWith("IMMUTABLE") ? [] : [`imageTagMutability is ${mutability}`];
  },
};
