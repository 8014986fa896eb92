import type { ResourcePolicy } from "../core/policy";
import { asArray, describeStatement, policyDocument, statementsOf } from "./helpers";
import { identityDocuments, principalDocuments } from "./iam-documents";

/** `*` or `service:*`: every action, or every action of a service. */
export function isWildcardAction(action: string): boolean {
  return action === "*" || /^[a-z0-9-]+:\*$/i.test(action);
}

export const awsIamPolicyDisallowWildcardActions: ResourcePolicy = {
  kind: "resource",
  name: "aws-iam-policy-disallow-wildcard-actions",
  pack: "security",
  description:
    "Allow statements in IAM identity policies (role inline policies, RolePolicy/UserPolicy/GroupPolicy, managed Policy) and in role trust policies list actions: no `*`, no `service:*`, no `NotAction`. " +
    "Matches AWS Foundational Security Best Practices IAM.1 (no full `*` administrative privileges) and IAM.21 (no wildcard service actions), Checkov CKV_AWS_63 / CKV_AWS_355, tfsec aws-iam-no-policy-wildcards. " +
    "KMS key policies are not checked: their `kms:*` statement for the account root is AWS's required default.",
  severity: "high",
  remediation: "List the exact actions the workload calls (see CloudTrail or IAM Access Analyzer policy generation) and scope resources and conditions.",
  frameworks: ["aws-fsbp:IAM.1", "aws-fsbp:IAM.21", "checkov:CKV_AWS_63", "checkov:CKV_AWS_355", "tfsec:aws-iam-no-policy-wildcards"],
  validateResource(resource) {
    const documents = [...identityDocuments(resource), ...(resource.type === "aws:iam/role:Role" ? principalDocuments(resource) : [])];
    const problems: string[] = [];
    for (const { where, document } of documents) {
      if (document !== undefined && policyDocument(document) === undefined) {
        problems.push(`${where} is not a readable policy document`);
        continue;
      }
      statementsOf(document).forEach((statement, i) => {
        if (statement.Effect !== "Allow") return;
        const wild = asArray<string>(statement.Action).filter((a) => typeof a === "string" && isWildcardAction(a));
        if (wild.length > 0) problems.push(`${where} ${describeStatement(statement, i)} allows ${wild.join(", ")}`);
        if (statement.NotAction !== undefined) problems.push(`${where} ${describeStatement(statement, i)} allows everything but NotAction`);
      });
    }
    return problems;
  },
};
