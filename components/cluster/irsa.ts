import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * IAM roles for service accounts (IRSA): a pod's ServiceAccount, annotated with
 * `eks.amazonaws.com/role-arn`, gets web-identity credentials for exactly one role, and the
 * role trusts exactly that ServiceAccount of that cluster.
 */

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

export interface TrustPolicyDocument {
  Version: "2012-10-17";
  Statement: {
    Effect: "Allow";
    Principal: { Federated: string };
    Action: "sts:AssumeRoleWithWebIdentity";
    Condition: { StringEquals: Record<string, string> };
  }[];
}

export interface IrsaSubject {
  /** ARN of the cluster's IAM OIDC provider. */
  oidcProviderArn: string;
  /** The cluster's OIDC issuer URL, with or without `https://`. */
  oidcProviderUrl: string;
  namespace: string;
  serviceAccount: string;
}

/** The issuer as IAM condition keys want it: host and path, no scheme, no trailing slash. */
export function oidcIssuerHost(url: string): string {
  return url.replace(/^https:\/\//, "").replace(/\/+$/, "");
}

const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Trust policy letting only `system:serviceaccount:<namespace>:<serviceAccount>` assume the role. */
export function irsaTrustPolicy(subject: IrsaSubject): TrustPolicyDocument {
  for (const [field, value] of [["namespace", subject.namespace], ["serviceAccount", subject.serviceAccount]] as const) {
    if (!K8S_NAME.test(value)) throw new Error(`irsaTrustPolicy: ${field} "${value}" is not a Kubernetes name (wildcards are not allowed)`);
  }
  if (!/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/.+/.test(subject.oidcProviderArn)) {
    throw new Error(`irsaTrustPolicy: "${subject.oidcProviderArn}" is not an IAM OIDC provider ARN`);
  }
  const issuer = oidcIssuerHost(subject.oidcProviderUrl);
  if (!subject.oidcProviderArn.endsWith(`/${issuer}`)) {
    throw new Error(`irsaTrustPolicy: provider ${subject.oidcProviderArn} is not for issuer ${issuer}`);
  }
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: subject.oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${issuer}:sub`]: `system:serviceaccount:${subject.namespace}:${subject.serviceAccount}`,
            [`${issuer}:aud`]: "sts.amazonaws.com",
          },
        },
      },
    ],
  };
}

/**
 * Problems with a permissions policy we write ourselves: any wildcard in an action (`*`,
 * `s3:*`, even `s3:Get*`), a `Principal` (identity policies have none, and never `*`), or an
 * `Allow` on every resource, unless the statement's `Sid` is listed in `unscopedSids` (for
 * APIs that have no resource-level permissions, such as most `Describe*` calls: the listing
 * makes each such exception visible in review). Empty when the policy is acceptable.
 */
export function leastPrivilegeProblems(policy: PolicyDocument, options: { unscopedSids?: string[] } = {}): string[] {
  const problems: string[] = [];
  policy.Statement.forEach((statement, i) => {
    const where = statement.Sid ?? `statement ${i}`;
    const actions = ([] as string[]).concat(statement.Action);
    const resources = ([] as string[]).concat(statement.Resource);
    for (const action of actions) if (action.includes("*")) problems.push(`${where}: action "${action}" has a wildcard; list the actions`);
    const unscopedAllowed = statement.Sid !== undefined && (options.unscopedSids ?? []).includes(statement.Sid);
    if (statement.Effect === "Allow" && resources.includes("*") && !unscopedAllowed) {
      problems.push(`${where}: allows on every resource ("*"); name the resources, or list the Sid in unscopedSids if the API has no resource-level permissions`);
    }
    if ("Principal" in statement) problems.push(`${where}: an identity policy has no Principal`);
  });
  return problems;
}

export interface IrsaRoleArgs {
  oidcProviderArn: pulumi.Input<string>;
  oidcProviderUrl: pulumi.Input<string>;
  namespace: string;
  serviceAccount: string;
  /**
   * Inline permissions, checked by `leastPrivilegeProblems` (no wildcard actions, no principals,
   * no `Resource: "*"` outside `unscopedSids`).
   * @default none
   */
  policy?: pulumi.Input<PolicyDocument>;
  /**
   * Sids of statements allowed `Resource: "*"` (APIs without resource-level permissions).
   * @default []
   */
  unscopedSids?: string[];
  /** AWS-managed policies to attach (e.g. the EBS CSI driver's). @default [] */
  managedPolicyArns?: pulumi.Input<string>[];
  /** @default {} */
  tags?: Record<string, string>;
}

/** An IAM role only `<namespace>/<serviceAccount>` of this cluster can assume, with the given permissions. */
export function irsaRole(name: string, args: IrsaRoleArgs, opts?: pulumi.CustomResourceOptions): aws.iam.Role {
  // A policy known now is checked now, before anything is declared; one that depends on other
  // resources (an ARN) is checked when it resolves, and fails the deployment there.
  if (args.policy && !pulumi.Output.isInstance(args.policy) && !(args.policy instanceof Promise)) {
    const problems = leastPrivilegeProblems(args.policy as PolicyDocument, { unscopedSids: args.unscopedSids });
    if (problems.length > 0) throw new Error(`IRSA role ${name}: ${problems.join("; ")}`);
  }
  const trust = pulumi
    .all([args.oidcProviderArn, args.oidcProviderUrl])
    .apply(([oidcProviderArn, oidcProviderUrl]) =>
      JSON.stringify(irsaTrustPolicy({ oidcProviderArn, oidcProviderUrl, namespace: args.namespace, serviceAccount: args.serviceAccount })),
    );
  const role = new aws.iam.Role(
    name,
    {
      assumeRolePolicy: trust,
      description: `IRSA for ${args.namespace}/${args.serviceAccount}`,
      maxSessionDuration: 3600,
      tags: { ...args.tags, "abode.io/service-account": `${args.namespace}.${args.serviceAccount}` },
    },
    opts,
  );
  const childOpts = { ...opts, parent: role };
  if (args.policy) {
    const policy = pulumi.output(args.policy).apply((doc) => {
      const problems = leastPrivilegeProblems(doc, { unscopedSids: args.unscopedSids });
      if (problems.length > 0) throw new Error(`IRSA role ${name}: ${problems.join("; ")}`);
      return JSON.stringify(doc);
    });
    new aws.iam.RolePolicy(`${name}-policy`, { role: role.id, policy }, childOpts);
  }
  for (const [i, arn] of (args.managedPolicyArns ?? []).entries()) {
    new aws.iam.RolePolicyAttachment(`${name}-managed-${i}`, { role: role.name, policyArn: arn }, childOpts);
  }
  return role;
}
