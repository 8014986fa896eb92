import type { AuditPolicy, AuditResource } from "../core/policy";
import { policyConfig } from "../core/policy";
import { AWS_POLICIES } from "../aws";
import { CLOUDFLARE_POLICIES } from "../cloudflare";
import { COST_POLICIES } from "../cost/policies";
import { awsEc2LaunchtemplateDisallowPublicIp } from "../aws/aws-ec2-launchtemplate-disallow-public-ip";
import { awsEc2LaunchtemplateRequireImdsv2 } from "../aws/aws-ec2-launchtemplate-require-imdsv2";
import { awsEc2SecuritygroupDisallowWorldIngress } from "../aws/aws-ec2-securitygroup-disallow-world-ingress";
import { awsEc2SubnetDisallowPublicIpOnLaunch } from "../aws/aws-ec2-subnet-disallow-public-ip-on-launch";
import { awsEc2VolumeRequireEncryption } from "../aws/aws-ec2-volume-require-encryption";
import { awsEcrRepositoryEnableScanOnPush } from "../aws/aws-ecr-repository-enable-scan-on-push";
import { awsEcrRepositoryRequireImmutableTags } from "../aws/aws-ecr-repository-require-immutable-tags";
import { awsEfsFilesystemRequireEncryption } from "../aws/aws-efs-filesystem-require-encryption";
import { awsEksClusterDisallowPublicEndpoint } from "../aws/aws-eks-cluster-disallow-public-endpoint";
import { awsEksClusterEnableAuditLogs } from "../aws/aws-eks-cluster-enable-audit-logs";
import { awsEksClusterRequireSecretsEncryption } from "../aws/aws-eks-cluster-require-secrets-encryption";
import { awsIamPolicyDisallowWildcardActions } from "../aws/aws-iam-policy-disallow-wildcard-actions";
import { awsIamPolicyDisallowWildcardPrincipals } from "../aws/aws-iam-policy-disallow-wildcard-principals";
import { awsKmsKeyEnableRotation } from "../aws/aws-kms-key-enable-rotation";
import { awsS3BucketBlockPublicAccess } from "../aws/aws-s3-bucket-block-public-access";
import { awsS3BucketEnableVersioning } from "../aws/aws-s3-bucket-enable-versioning";
import { awsS3BucketRequireEncryption } from "../aws/aws-s3-bucket-require-encryption";
import { cloudflareDnsRecordRequireProxied } from "../cloudflare/cloudflare-dns-record-require-proxied";
import { cloudflareRulesetRequireApiRateLimit } from "../cloudflare/cloudflare-ruleset-require-api-rate-limit";
import { cloudflareZoneSettingEnableAlwaysHttps } from "../cloudflare/cloudflare-zone-setting-enable-always-https";
import { cloudflareZoneSettingEnableHsts } from "../cloudflare/cloudflare-zone-setting-enable-hsts";
import { cloudflareZoneSettingRequireMinTls } from "../cloudflare/cloudflare-zone-setting-require-min-tls";
import { cloudflareZoneSettingRequireStrictSsl } from "../cloudflare/cloudflare-zone-setting-require-strict-ssl";
import { awsEksNodegroupRequireScaleFromZero } from "../cost/aws-eks-nodegroup-require-scale-from-zero";
import { awsEksNodegroupRequireSpotCfd } from "../cost/aws-eks-nodegroup-require-spot-cfd";
import { awsEksNodegroupRestrictInstanceTypes } from "../cost/aws-eks-nodegroup-restrict-instance-types";
import { awsEksCluster, bucketSet, edge, eksCluster, launchTemplate, mutate, nodeGroup, repository, resource, ZONE_ID } from "./fixtures";

/** Violations of a policy over a set of resources (one resource or a stack), with its default config. */
function violations(policy: AuditPolicy, resources: AuditResource | AuditResource[], config?: Record<string, unknown>): string[] {
  const list = Array.isArray(resources) ? resources : [resources];
  const cfg = policyConfig(policy, config);
  return policy.kind === "resource" ? list.flatMap((r) => policy.validateResource(r, cfg)) : policy.validateStack(list, cfg).map((v) => `${v.resource.name}: ${v.message}`);
}

type Case = [label: string, resources: AuditResource | AuditResource[], expected: RegExp | null];

/** Each policy: its compliant baseline passes; each mutation fails with a matching message. */
const CASES: [AuditPolicy, Case[]][] = [
  [
    awsEksClusterDisallowPublicEndpoint,
    [
      ["private endpoint", eksCluster(), null],
      ["public to listed CIDRs (aws.eks.Cluster)", awsEksCluster(), null],
      ["public, no CIDRs", mutate(eksCluster(), (c) => (c.props.endpointPublicAccess = true)), /0\.0\.0\.0\/0/],
      ["public access left to the default", mutate(eksCluster(), (c) => delete c.props.endpointPublicAccess), /public to 0\.0\.0\.0\/0/],
      ["public to ::/0", mutate(eksCluster(), (c) => Object.assign(c.props, { endpointPublicAccess: true, publicAccessCidrs: ["10.0.0.0/8", "::/0"] })), /::\/0/],
      ["aws.eks.Cluster open to the world", mutate(awsEksCluster(), (c) => (c.props.vpcConfig.publicAccessCidrs = ["0.0.0.0/0"])), /0\.0\.0\.0\/0/],
    ],
  ],
  [
    awsEksClusterRequireSecretsEncryption,
    [
      ["KMS key set", eksCluster(), null],
      ["aws.eks.Cluster with secrets", awsEksCluster(), null],
      ["no key", mutate(eksCluster(), (c) => delete c.props.encryptionConfigKeyArn), /not encrypted/],
      ["encryption not covering secrets", mutate(awsEksCluster(), (c) => (c.props.encryptionConfig.resources = [])), /secrets/],
    ],
  ],
  [
    awsEksClusterEnableAuditLogs,
    [
      ["audit on", eksCluster(), null],
      ["audit missing", mutate(eksCluster(), (c) => (c.props.enabledClusterLogTypes = ["api"])), /audit/],
      ["no logging at all", mutate(awsEksCluster(), (c) => delete c.props.enabledClusterLogTypes), /audit/],
    ],
  ],
  [
    awsEc2LaunchtemplateRequireImdsv2,
    [
      ["httpTokens required", launchTemplate(), null],
      ["httpTokens optional", mutate(launchTemplate(), (t) => (t.props.metadataOptions.httpTokens = "optional")), /optional/],
      ["no metadataOptions", mutate(launchTemplate(), (t) => delete t.props.metadataOptions), /IMDSv1/],
      ["an instance with IMDSv1", resource("aws:ec2/instance:Instance", "vm", { metadataOptions: { httpTokens: "optional" } }), /not "required"/],
    ],
  ],
  [
    awsEc2LaunchtemplateDisallowPublicIp,
    [
      ["no public IP", launchTemplate(), null],
      ["public IP on the interface", mutate(launchTemplate(), (t) => (t.props.networkInterfaces[0].associatePublicIpAddress = "true")), /networkInterfaces\[0\]/],
      ["eks nodes with public IPs", mutate(eksCluster(), (c) => (c.props.nodeAssociatePublicIpAddress = true)), /public IP/],
    ],
  ],
  [
    awsEc2SubnetDisallowPublicIpOnLaunch,
    [
      ["private subnet", resource("aws:ec2/subnet:Subnet", "s", { mapPublicIpOnLaunch: false }), null],
      ["maps public IPs", resource("aws:ec2/subnet:Subnet", "s", { mapPublicIpOnLaunch: true }), /mapPublicIpOnLaunch/],
    ],
  ],
  [
    awsEc2VolumeRequireEncryption,
    [
      ["encrypted block device", launchTemplate(), null],
      ["unencrypted block device", mutate(launchTemplate(), (t) => (t.props.blockDeviceMappings[0].ebs.encrypted = "false")), /\/dev\/xvda is not encrypted/],
      ["encrypted volume", resource("aws:ebs/volume:Volume", "v", { encrypted: true }), null],
      ["unencrypted volume", resource("aws:ebs/volume:Volume", "v", { size: 10 }), /not encrypted/],
    ],
  ],
  [
    awsEfsFilesystemRequireEncryption,
    [
      ["encrypted", resource("aws:efs/fileSystem:FileSystem", "fs", { encrypted: true }), null],
      ["unencrypted", resource("aws:efs/fileSystem:FileSystem", "fs", { encrypted: false }), /not encrypted/],
    ],
  ],
  [
    awsS3BucketRequireEncryption,
    [
      ["SSE with KMS", bucketSet(), null],
      ["no SSE companion", bucketSet().filter((r) => !r.type.includes("ServerSideEncryption")), /no server-side encryption/],
      ["SSE of another bucket only", bucketSet().map((r) => (r.type.includes("ServerSideEncryption") ? mutate(r, (x) => Object.assign(x, { dependencies: [] }, { props: { ...x.props, bucket: "other" } })) : r)), /no server-side encryption/],
      ["bad algorithm", bucketSet().map((r) => (r.type.includes("ServerSideEncryption") ? mutate(r, (x) => (x.props.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm = "none")) : r)), /sseAlgorithm "none"/],
    ],
  ],
  [
    awsS3BucketBlockPublicAccess,
    [
      ["all four on", bucketSet(), null],
      ["no block", bucketSet().filter((r) => !r.type.includes("PublicAccessBlock")), /no BucketPublicAccessBlock/],
      ["one switch off", bucketSet().map((r) => (r.type.includes("PublicAccessBlock") ? mutate(r, (x) => (x.props.restrictPublicBuckets = false)) : r)), /restrictPublicBuckets/],
    ],
  ],
  [
    awsS3BucketEnableVersioning,
    [
      ["enabled", bucketSet(), null],
      ["no versioning", bucketSet().filter((r) => !r.type.includes("Versioning")), /versioning is not enabled/],
      ["suspended", bucketSet().map((r) => (r.type.includes("Versioning") ? mutate(r, (x) => (x.props.versioningConfiguration.status = "Suspended")) : r)), /Suspended/],
    ],
  ],
  [
    awsEcrRepositoryEnableScanOnPush,
    [
      ["scan on push", repository(), null],
      ["no scan", mutate(repository(), (r) => (r.props.imageScanningConfiguration.scanOnPush = false)), /not scanned/],
    ],
  ],
  [
    awsEcrRepositoryRequireImmutableTags,
    [
      ["immutable", repository(), null],
      ["mutable by default", mutate(repository(), (r) => delete r.props.imageTagMutability), /MUTABLE/],
    ],
  ],
  [
    awsEc2SecuritygroupDisallowWorldIngress,
    (() => {
      const group = (tags: Record<string, string>, ingress: any[]) => resource("aws:ec2/securityGroup:SecurityGroup", "sg", { tags, ingress });
      const https = { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] };
      const lb = { "elbv2.k8s.aws/cluster": "abode-prod" };
      const rule = (props: any) => resource("aws:ec2/securityGroupRule:SecurityGroupRule", "r", { type: "ingress", securityGroupId: "sg-id", ...props });
      return [
        ["443 open on a load balancer's group", group(lb, [https]), null],
        ["VPC-only ingress", group({}, [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/16"] }]), null],
        ["443 open on a non-LB group", group({}, [https]), /not a load balancer's/],
        ["SSH open to the world", group(lb, [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }]), /port 22/],
        ["everything open over IPv6", group(lb, [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }]), /all ports/],
        ["a standalone rule on the LB group", [group(lb, []), rule({ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] })], null],
        ["a standalone 80 rule on the LB group", [group(lb, []), rule({ protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] })], /port 80/],
        [
          "a vpc ingress rule open to the world",
          [group({}, []), resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "vr", { securityGroupId: "sg-id", ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "0.0.0.0/0" })],
          /port 5432/,
        ],
      ] as Case[];
    })(),
  ],
  [
    awsIamPolicyDisallowWildcardActions,
    (() => {
      const doc = (statement: any) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
      const rolePolicy = (statement: any) => resource("aws:iam/rolePolicy:RolePolicy", "rp", { role: "r", policy: doc(statement) });
      const ok = { Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" };
      return [
        ["scoped actions", rolePolicy(ok), null],
        ["Describe* is not a service wildcard", rolePolicy({ ...ok, Action: "ec2:Describe*" }), null],
        ["deny with *", rolePolicy({ ...ok, Effect: "Deny", Action: "*" }), null],
        ["action *", rolePolicy({ ...ok, Action: "*" }), /allows \*/],
        ["service:*", rolePolicy({ ...ok, Action: ["s3:*"] }), /s3:\*/],
        ["NotAction", rolePolicy({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }), /NotAction/],
        ["inline policy on a role", resource("aws:iam/role:Role", "r", { assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }), inlinePolicies: [{ name: "p", policy: doc({ ...ok, Action: "*" }) }] }), /inlinePolicies\[0\]/],
        ["managed policy object", resource("aws:iam/policy:Policy", "p", { policy: { Version: "2012-10-17", Statement: [{ ...ok, Action: "iam:*" }] } }), /iam:\*/],
        ["unreadable document", rolePolicy(undefined as any) && resource("aws:iam/rolePolicy:RolePolicy", "rp", { policy: "{not json" }), /not a readable/],
      ] as Case[];
    })(),
  ],
  [
    awsIamPolicyDisallowWildcardPrincipals,
    (() => {
      const doc = (statement: any) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
      const role = (statement: any) => resource("aws:iam/role:Role", "r", { assumeRolePolicy: doc(statement) });
      const trust = { Effect: "Allow", Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/x" }, Action: "sts:AssumeRoleWithWebIdentity" };
      const bucketPolicy = (statement: any) => resource("aws:s3/bucketPolicy:BucketPolicy", "bp", { bucket: "b-id", policy: doc(statement) });
      return [
        ["named principal", role(trust), null],
        ["deny to everyone", bucketPolicy({ Effect: "Deny", Principal: "*", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }), null],
        ["* pinned by source account", bucketPolicy({ Effect: "Allow", Principal: "*", Action: "s3:PutObject", Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } }), null],
        ["anyone may assume", role({ ...trust, Principal: { AWS: "*" } }), /AWS: \*/],
        ["public bucket", bucketPolicy({ Effect: "Allow", Principal: "*", Action: "s3:GetObject" }), /principal \*/],
        ["NotPrincipal", bucketPolicy({ Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::1:root" }, Action: "s3:GetObject" }), /NotPrincipal/],
      ] as Case[];
    })(),
  ],
  [
    awsKmsKeyEnableRotation,
    [
      ["rotation on", resource("aws:kms/key:Key", "k", { enableKeyRotation: true }), null],
      ["asymmetric keys cannot rotate", resource("aws:kms/key:Key", "k", { customerMasterKeySpec: "RSA_2048" }), null],
      ["rotation off", resource("aws:kms/key:Key", "k", { enableKeyRotation: false }), /rotation is off/],
    ],
  ],
  [
    cloudflareZoneSettingRequireStrictSsl,
    [
      ["strict", edge(), null],
      ["flexible", edge().map((r) => (r.props.settingId === "ssl" ? mutate(r, (x) => (x.props.value = "flexible")) : r)), /"flexible"/],
      ["not declared", edge().filter((r) => r.props.settingId !== "ssl"), /does not set ssl/],
      ["legacy override, full", [...edge().filter((r) => r.props.settingId !== "ssl"), resource("cloudflare:index/zoneSettingsOverride:ZoneSettingsOverride", "o", { zoneId: ZONE_ID, settings: { ssl: "full" } })], /"full"/],
    ],
  ],
  [
    cloudflareZoneSettingRequireMinTls,
    [
      ["1.2", edge(), null],
      ["camel-cased setting id, 1.3", edge().map((r) => (r.props.settingId === "min_tls_version" ? mutate(r, (x) => Object.assign(x.props, { settingId: "minTlsVersion", value: "1.3" })) : r)), null],
      ["1.0", edge().map((r) => (r.props.settingId === "min_tls_version" ? mutate(r, (x) => (x.props.value = "1.0")) : r)), /below 1\.2/],
    ],
  ],
  [
    cloudflareZoneSettingEnableAlwaysHttps,
    [
      ["on", edge(), null],
      ["off", edge().map((r) => (r.props.settingId === "always_use_https" ? mutate(r, (x) => (x.props.value = "off")) : r)), /"off"/],
    ],
  ],
  [
    cloudflareZoneSettingEnableHsts,
    [
      ["HSTS a year", edge(), null],
      ["HSTS off", edge().map((r) => (r.props.settingId === "security_header" ? mutate(r, (x) => (x.props.value.strictTransportSecurity.enabled = false)) : r)), /does not enable HSTS/],
      ["HSTS a day", edge().map((r) => (r.props.settingId === "security_header" ? mutate(r, (x) => (x.props.value.strictTransportSecurity.maxAge = 86400)) : r)), /max-age 86400/],
      ["legacy override", [...edge().filter((r) => r.props.settingId !== "security_header"), resource("cloudflare:index/zoneSettingsOverride:ZoneSettingsOverride", "o", { zoneId: ZONE_ID, settings: { securityHeader: { enabled: true, maxAge: 31536000 } } })], null],
    ],
  ],
  [
    cloudflareDnsRecordRequireProxied,
    [
      ["proxied CNAME", edge(), null],
      ["private A record", resource("cloudflare:index/dnsRecord:DnsRecord", "db", { zoneId: ZONE_ID, name: "db.internal", type: "A", content: "10.0.0.5", proxied: false }), null],
      ["TXT records are not proxiable", resource("cloudflare:index/record:Record", "txt", { zoneId: ZONE_ID, name: "x", type: "TXT", value: "v=spf1", proxied: false }), null],
      ["unproxied CNAME", edge().map((r) => (r.name === "api" ? mutate(r, (x) => (x.props.proxied = false)) : r)), /not proxied/],
      ["legacy record, public A", resource("cloudflare:index/record:Record", "www", { zoneId: ZONE_ID, name: "www", type: "A", value: "203.0.113.10" }), /not proxied/],
    ],
  ],
  [
    cloudflareRulesetRequireApiRateLimit,
    [
      ["limited", edge(), null],
      ["no ruleset", edge().filter((r) => r.type !== "cloudflare:index/ruleset:Ruleset"), /no http_ratelimit rule limits requests to api\.abode\.example\.com/],
      ["a rule for another host", edge().map((r) => (r.name === "ratelimit" ? mutate(r, (x) => (x.props.rules[0].expression = '(http.host eq "www.abode.example.com")')) : r)), /api\.abode/],
      ["a log-only rule", edge().map((r) => (r.name === "ratelimit" ? mutate(r, (x) => (x.props.rules[0].action = "log")) : r)), /api\.abode/],
      ["a ruleset of another phase", edge().map((r) => (r.name === "ratelimit" ? mutate(r, (x) => (x.props.phase = "http_request_firewall_custom")) : r)), /api\.abode/],
    ],
  ],
  [
    awsEksNodegroupRestrictInstanceTypes,
    [
      ["every pool in its family", ["system", "general", "gpu", "cfd"].map((p) => nodeGroup(p)), null],
      ["a CPU type in the GPU pool", nodeGroup("gpu", { instanceTypes: ["m6i.xlarge"] }), /m6i\.xlarge is not allowed in pool gpu/],
      ["a p4 in the GPU pool", nodeGroup("gpu", { instanceTypes: ["p4d.24xlarge"] }), /p4d/],
      ["a GPU type in the general pool", nodeGroup("general", { instanceTypes: ["g5.xlarge"] }), /pool general/],
      ["a memory type in the CFD pool", nodeGroup("cfd", { instanceTypes: ["r6i.8xlarge"] }), /r6i/],
      ["an unknown pool", nodeGroup("batch"), /no instance-type allow-list/],
    ],
  ],
  [
    awsEksNodegroupRequireScaleFromZero,
    [
      ["GPU and CFD from zero, capped", [nodeGroup("gpu"), nodeGroup("cfd"), nodeGroup("general")], null],
      ["GPU min 1", nodeGroup("gpu", { scalingConfig: { minSize: 1, maxSize: 4 } }), /minSize 1/],
      ["CFD max above the cap", nodeGroup("cfd", { scalingConfig: { minSize: 0, maxSize: 50 } }), /maxSize 50, above the cap of 10/],
    ],
  ],
  [
    awsEksNodegroupRequireSpotCfd,
    [
      ["CFD on spot", [nodeGroup("cfd"), nodeGroup("gpu")], null],
      ["CFD on demand", nodeGroup("cfd", { capacityType: "ON_DEMAND" }), /ON_DEMAND/],
    ],
  ],
];

describe.each(CASES.map(([policy, cases]) => [policy.name, policy, cases] as const))("%s", (_name, policy, cases) => {
  it("has a compliant case and a violating one", () => {
    expect(cases.some(([, , e]) => e === null)).toBe(true);
    expect(cases.some(([, , e]) => e !== null)).toBe(true);
  });
  it.each(cases)("%s", (_label, resources, expected) => {
    const found = violations(policy, resources);
    if (expected === null) expect(found).toEqual([]);
    else expect(found).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });
});

describe("the policy set", () => {
  const ours = [...AWS_POLICIES, ...CLOUDFLARE_POLICIES, ...COST_POLICIES];

  it("has a test table for every policy", () => {
    expect(CASES.map(([p]) => p.name).sort()).toEqual(ours.map((p) => p.name).sort());
  });

  it("names each policy after its file and documents it", () => {
    const fs = require("node:fs") as typeof import("node:fs");
    const path = require("node:path") as typeof import("node:path");
    for (const p of ours) {
      const folder = p.pack === "cost" ? "cost" : p.pack === "edge" ? "cloudflare" : "aws";
      expect(fs.existsSync(path.join(__dirname, "..", folder, `${p.name}.ts`))).toBe(true);
      expect(p.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+){3,}$/);
      expect(p.description.length).toBeGreaterThan(60);
      expect(p.remediation.length).toBeGreaterThan(20);
      expect(p.frameworks.length).toBeGreaterThan(0);
    }
  });

  it("takes pack config: a larger cap or another allow-list changes the verdict", () => {
    const big = nodeGroup("gpu", { scalingConfig: { minSize: 0, maxSize: 20 } });
    expect(violations(awsEksNodegroupRequireScaleFromZero, big)).toHaveLength(1);
    expect(violations(awsEksNodegroupRequireScaleFromZero, big, { maxSizeCap: 32 })).toEqual([]);
    expect(violations(awsEksNodegroupRestrictInstanceTypes, nodeGroup("gpu", { instanceTypes: ["p5.48xlarge"] }), { poolInstanceTypes: { gpu: "^p5\\." } })).toEqual([]);
  });
});
