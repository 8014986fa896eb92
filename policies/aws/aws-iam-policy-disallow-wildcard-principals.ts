import type { ResourcePolicy } from "../core/policy";
import { asArray, describeStatement, statementsOf, type Statement } from "./helpers";
import { principalDocuments } from "./iam-documents";

/** Condition keys that pin a `*` principal to our own account, organisation or source. */
const SCOPING_KEYS = ["aws:sourceaccount", "aws:sourcearn", "aws:sourceowner", "aws:principalaccount", "aws:principalorgid", "aws:principalarn", "aws:sourcevpce", "aws:sourcevpc", "kms:calleraccount"];

function wildcardPrincipals(principal: unknown): string[] {
  if (principal === "*") return ["*"];
  if (typeof principal !== "object" || principal === null) return [];
  return Object.entries(principal as Record<string, unknown>).flatMap(([kind, ids]) => (asArray<string>(ids).includes("*") ? [`${kind}: *`] : []));
}

function scoped(statement: Statement): boolean {
  const keys = Object.values(statement.Condition ?? {}).flatMap((block) => Object.keys(block ?? {}).map((k) => k.toLowerCase()));
  return keys.some((k) => SCOPING_KEYS.includes(k));
}

export const awsIamPolicyDisallowWildcardPrincipals: ResourcePolicy = {
  kind: "resource",
  name: "aws-iam-policy-disallow-wildcard-principals",
  pack: "security",
  description:
    "Allow statements in role trust policies and resource policies (bucket, repository, key, queue, topic) never grant `*` principals, unless a condition pins the caller " +
    "(aws:SourceAccount, aws:SourceArn, aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceVpce, ...); `NotPrincipal` with Allow is refused too. Deny statements with `*` (e.g. deny insecure transport) are fine. " +
    "Matches AWS Foundational Security Best Practices S3.2/S3.3 and S3.6 (public or cross-account bucket access), Checkov CKV_AWS_70 (S3 allow-all principal).",
  severity: "critical",
  remediation: "Name the principals (account root ARN, role ARNs, service principals, the OIDC provider for IRSA) or add a condition that pins the caller.",
  frameworks: ["aws-fsbp:S3.2", "aws-fsbp:S3.3", "aws-fsbp:S3.6", "checkov:CKV_AWS_70"],
  validateResource(resource) {
    const problems: string[] = [];
    for (const { where, document } of principalDocuments(resource)) {
      statementsOf(document).forEach((statement, i) => {
        if (statement.Effect !== "Allow") return;
        if (statement.NotPrincipal !== undefined) problems.push(`${where} ${describeStatement(statement, i)} allows everyone but NotPrincipal`);
        const wild = wildcardPrincipals(statement.Principal);
        if (wild.length > 0 && !scoped(statement)) problems.push(`${where} ${describeStatement(statement, i)} allows principal ${wild.join(", ")}`);
      });
    }
    return problems;
  },
};
