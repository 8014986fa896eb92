import * as pulumi from "@pulumi/pulumi";
import { irsaRole, irsaTrustPolicy, leastPrivilegeProblems, oidcIssuerHost, type PolicyDocument } from "./irsa";
import { installMocks, MOCK_ACCOUNT, MOCK_OIDC_ISSUER, resolved, settle } from "../../test/mocks";

const captured = installMocks(pulumi, "prod");

const PROVIDER_ARN = `arn:aws:iam::${MOCK_ACCOUNT}:oidc-provider/${MOCK_OIDC_ISSUER}`;
const subject = { oidcProviderArn: PROVIDER_ARN, oidcProviderUrl: `https://${MOCK_OIDC_ISSUER}`, namespace: "logging", serviceAccount: "elasticsearch" };

describe("irsaTrustPolicy", () => {
  test("web identity from the cluster's OIDC provider, for exactly one ServiceAccount and the STS audience", () => {
    expect(irsaTrustPolicy(subject)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Federated: PROVIDER_ARN },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              [`${MOCK_OIDC_ISSUER}:sub`]: "system:serviceaccount:logging:elasticsearch",
              [`${MOCK_OIDC_ISSUER}:aud`]: "sts.amazonaws.com",
            },
          },
        },
      ],
    });
  });

  test("accepts the issuer with or without https:// and a trailing slash", () => {
    for (const url of [MOCK_OIDC_ISSUER, `https://${MOCK_OIDC_ISSUER}`, `https://${MOCK_OIDC_ISSUER}/`]) {
      expect(oidcIssuerHost(url)).toBe(MOCK_OIDC_ISSUER);
      expect(Object.keys(irsaTrustPolicy({ ...subject, oidcProviderUrl: url }).Statement[0]!.Condition.StringEquals)).toEqual([
        `${MOCK_OIDC_ISSUER}:sub`,
        `${MOCK_OIDC_ISSUER}:aud`,
      ]);
    }
  });

  test("uses StringEquals, never StringLike, and no wildcard principal", () => {
    const text = JSON.stringify(irsaTrustPolicy(subject));
    expect(text).not.toContain("StringLike");
    expect(text).not.toContain('"*"');
  });

  test.each([
    [{ namespace: "*" }, /namespace "\*" is not a Kubernetes name/],
    [{ serviceAccount: "es-*" }, /serviceAccount "es-\*"/],
    [{ serviceAccount: "" }, /serviceAccount ""/],
    [{ oidcProviderArn: "*" }, /not an IAM OIDC provider ARN/],
    [{ oidcProviderArn: `arn:aws:iam::${MOCK_ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/OTHER` }, /is not for issuer/],
  ])("rejects %j", (override, message) => {
    expect(() => irsaTrustPolicy({ ...subject, ...override })).toThrow(message);
  });
});

describe("leastPrivilegeProblems", () => {
  const ok: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" }] };

  test("an explicit policy passes", () => expect(leastPrivilegeProblems(ok)).toEqual([]));

  test.each([
    ["*", /action "\*" has a wildcard/],
    ["s3:*", /action "s3:\*" has a wildcard/],
    ["s3:Get*", /action "s3:Get\*" has a wildcard/],
  ])("flags action %s", (action, message) => {
    expect(leastPrivilegeProblems({ ...ok, Statement: [{ ...ok.Statement[0]!, Action: action }] }).join()).toMatch(message);
  });

  test("Resource \"*\" only in statements listed as unscoped (APIs without resource-level permissions)", () => {
    const describe: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "Describe", Effect: "Allow", Action: ["ec2:DescribeInstances"], Resource: "*" }] };
    expect(leastPrivilegeProblems(describe).join()).toMatch(/Describe: allows on every resource/);
    expect(leastPrivilegeProblems(describe, { unscopedSids: ["Describe"] })).toEqual([]);
    expect(leastPrivilegeProblems(describe, { unscopedSids: ["Other"] })).toHaveLength(1);
  });

  test("flags Allow on every resource and a Principal", () => {
    const problems = leastPrivilegeProblems({
      Version: "2012-10-17",
      Statement: [{ Sid: "Broad", Effect: "Allow", Action: "s3:GetObject", Resource: "*", Principal: "*" } as never],
    });
    expect(problems).toEqual([expect.stringMatching(/Broad: allows on every resource/), expect.stringMatching(/Broad: an identity policy has no Principal/)]);
  });
});

describe("irsaRole under mocks", () => {
  const policy: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "Read", Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::snapshots/*" }] };
  const role = irsaRole("es-role", {
    oidcProviderArn: pulumi.output(PROVIDER_ARN),
    oidcProviderUrl: pulumi.output(`https://${MOCK_OIDC_ISSUER}`),
    namespace: "logging",
    serviceAccount: "elasticsearch",
    policy,
    managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccessForTests"],
  });

  beforeAll(async () => {
    await resolved(role.arn);
    await settle();
  });

  test("the role trusts only that ServiceAccount", () => {
    const captured_ = captured.find((r) => r.type === "aws:iam/role:Role" && r.name === "es-role")!;
    expect(JSON.parse(captured_.inputs.assumeRolePolicy)).toEqual(irsaTrustPolicy(subject));
  });

  test("the inline policy is the given document, attached to the role; managed policies attached", () => {
    const inline = captured.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === "es-role-policy")!;
    expect(JSON.parse(inline.inputs.policy)).toEqual(policy);
    expect(inline.inputs.role).toBe("es-role-id");
    expect(inline.parent).toMatch(/aws:iam\/role:Role::es-role$/);
    const managed = captured.find((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && r.name === "es-role-managed-0")!;
    expect(managed.inputs.policyArn).toBe("arn:aws:iam::aws:policy/ReadOnlyAccessForTests");
  });

  test("a wildcard policy is refused before anything is declared", () => {
    const before = captured.length;
    expect(() =>
      irsaRole("bad-role", {
        oidcProviderArn: PROVIDER_ARN,
        oidcProviderUrl: MOCK_OIDC_ISSUER,
        namespace: "logging",
        serviceAccount: "elasticsearch",
        policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] },
      }),
    ).toThrow(/bad-role: statement 0: action "s3:\*" has a wildcard.*allows on every resource/);
    expect(captured.length).toBe(before);
  });
});
