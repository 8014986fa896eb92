/** Compliant baselines for the AWS, Cloudflare and cost policies; tests mutate one field per case. */
import type { AuditResource } from "../core/policy";

export function resource(type: string, name: string, props: Record<string, any>, extra: Partial<AuditResource> = {}): AuditResource {
  return { type, name, props, source: `urn:pulumi:test::abode::${type}::${name}`, id: `${name}-id`, ...extra };
}

/** A deep copy with one change applied. */
export function mutate<T>(value: T, change: (copy: any) => void): T {
  const copy = structuredClone(value);
  change(copy);
  return copy;
}

export const eksCluster = () =>
  resource("eks:index:Cluster", "eks", {
    endpointPrivateAccess: true,
    endpointPublicAccess: false,
    encryptionConfigKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k",
    enabledClusterLogTypes: ["api", "audit", "authenticator"],
    nodeAssociatePublicIpAddress: false,
  });

export const awsEksCluster = () =>
  resource("aws:eks/cluster:Cluster", "raw-eks", {
    vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] },
    encryptionConfig: { resources: ["secrets"], provider: { keyArn: "arn:aws:kms:eu-west-1:123456789012:key/k" } },
    enabledClusterLogTypes: ["audit"],
  });

export const launchTemplate = () =>
  resource("aws:ec2/launchTemplate:LaunchTemplate", "lt", {
    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
    blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 100, volumeType: "gp3", encrypted: "true", kmsKeyId: "arn:k" } }],
    networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false" }],
  });

/** A bucket with its three companions, named as the mocks name them (`bucket` = the bucket's id). */
export function bucketSet(): AuditResource[] {
  const bucket = resource("aws:s3/bucket:Bucket", "b", { forceDestroy: false });
  const companion = (type: string, name: string, props: Record<string, any>) => resource(type, name, { bucket: "b-id", ...props }, { dependencies: [bucket.source] });
  return [
    bucket,
    companion("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "b-sse", {
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:k" }, bucketKeyEnabled: true }],
    }),
    companion("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "b-pab", { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }),
    companion("aws:s3/bucketVersioning:BucketVersioning", "b-ver", { versioningConfiguration: { status: "Enabled" } }),
  ];
}

export const repository = () =>
  resource("aws:ecr/repository:Repository", "repo", { imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true } });

export const nodeGroup = (pool: string, props: Record<string, any> = {}) =>
  resource("eks:index:ManagedNodeGroup", `ng-${pool}`, {
    labels: { "abode.io/pool": pool },
    instanceTypes: { system: ["m6i.large"], general: ["m6i.xlarge"], gpu: ["g5.xlarge", "g6.xlarge"], cfd: ["c6i.8xlarge", "c7i.8xlarge"] }[pool] ?? ["m6i.large"],
    capacityType: pool === "cfd" ? "SPOT" : "ON_DEMAND",
    scalingConfig: pool === "gpu" || pool === "cfd" ? { minSize: 0, maxSize: 4, desiredSize: 0 } : { minSize: 2, maxSize: 6, desiredSize: 2 },
    ...props,
  });

export const ZONE_ID = "zone-123";

/** A compliant Cloudflare edge: v6 zone settings, a proxied API record and a rate-limit ruleset. */
export function edge(): AuditResource[] {
  const setting = (settingId: string, value: unknown) => resource("cloudflare:index/zoneSetting:ZoneSetting", `zs-${settingId}`, { zoneId: ZONE_ID, settingId, value });
  return [
    setting("ssl", "strict"),
    setting("min_tls_version", "1.2"),
    setting("always_use_https", "on"),
    setting("security_header", { strictTransportSecurity: { enabled: true, maxAge: 31536000, includeSubdomains: true, nosniff: true } }),
    resource("cloudflare:index/dnsRecord:DnsRecord", "api", { zoneId: ZONE_ID, name: "api.abode.example.com", type: "CNAME", content: "alb.example.com", proxied: true, ttl: 1 }),
    resource("cloudflare:index/ruleset:Ruleset", "ratelimit", {
      zoneId: ZONE_ID,
      kind: "zone",
      phase: "http_ratelimit",
      rules: [
        {
          expression: '(http.host eq "api.abode.example.com")',
          action: "block",
          ratelimit: { characteristics: ["cf.colo.id", "ip.src"], period: 60, requestsPerPeriod: 600, mitigationTimeout: 600 },
        },
      ],
    }),
  ];
}
