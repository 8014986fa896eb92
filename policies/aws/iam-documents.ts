/** Where IAM and resource policy documents sit in the AWS resources we declare. */
import type { AuditResource } from "../core/policy";
import { asArray } from "./helpers";

/** Identity policies (what a principal may do), by where they live. */
export function identityDocuments(resource: AuditResource): { where: string; document: unknown }[] {
  switch (resource.type) {
    case "aws:iam/rolePolicy:RolePolicy":
    case "aws:iam/userPolicy:UserPolicy":
    case "aws:iam/groupPolicy:GroupPolicy":
    case "aws:iam/policy:Policy":
      return [{ where: "policy", document: resource.props.policy }];
    case "aws:iam/role:Role":
      return asArray<Record<string, unknown>>(resource.props.inlinePolicies).map((p, i) => ({ where: `inlinePolicies[${i}] ${p.name ?? ""}`.trim(), document: p.policy }));
    default:
      return [];
  }
}

/** Policies with principals (who may act): trust policies and resource policies. */
export function principalDocuments(resource: AuditResource): { where: string; document: unknown }[] {
  switch (resource.type) {
    case "aws:iam/role:Role":
      return [{ where: "assumeRolePolicy", document: resource.props.assumeRolePolicy }];
    case "aws:s3/bucketPolicy:BucketPolicy":
    case "aws:ecr/repositoryPolicy:RepositoryPolicy":
    case "aws:sqs/queuePolicy:QueuePolicy":
    case "aws:sns/topicPolicy:TopicPolicy":
    case "aws:kms/keyPolicy:KeyPolicy":
      return [{ where: "policy", document: resource.props.policy }];
    case "aws:kms/key:Key":
    case "aws:s3/bucket:Bucket":
    case "aws:sqs/queue:Queue":
    case "aws:sns/topic:Topic":
      return resource.props.policy === undefined ? [] : [{ where: "policy", document: resource.props.policy }];
    default:
      return [];
  }
}
