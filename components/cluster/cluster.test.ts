import * as pulumi from "@pulumi/pulumi";
import { stackConfigSchema } from "../../stacks/config/schema";
import {
  CLUSTER_LOG_TYPES,
  Cluster,
  IMDS_HOP_LIMIT,
  POOL_NAMES,
  acceleratorOf,
  autoscalerTags,
  endpointAccess,
  keyPolicy,
  launchTemplateArgs,
  nodeGroupPlan,
  type ClusterConfig,
} from "./cluster";
import { MOCK_ACCOUNT, MOCK_OIDC_ISSUER, installMocks, resolved, settle, type Captured } from "../../test/mocks";
import { POOL_LABEL, POOL_TAINTS } from "./node-pools";

const captured = installMocks(pulumi, "prod");

function clusterConfig(overrides: Record<string, unknown> = {}): ClusterConfig {
  const parsed = stackConfigSchema.parse({
    target: "kubernetes",
    cluster: { ingressCertificateArn: `arn:aws:acm:eu-west-1:${MOCK_ACCOUNT}:certificate/0a1b2c3d-0000-1111-2222-333344445555`, ...overrides },
  });
  return parsed.cluster!;
}

const defaults = clusterConfig();

describe("nodeGroupPlan", () => {
  test.each([
    ["system", { capacityType: "ON_DEMAND", amiType: "AL2023_x86_64_STANDARD", taints: [], scaling: { minSize: 2, maxSize: 3, desiredSize: 2 }, instanceTypes: ["m6i.large"] }],
    ["general", { capacityType: "ON_DEMAND", amiType: "AL2023_x86_64_STANDARD", taints: [], scaling: { minSize: 3, maxSize: 12, desiredSize: 3 }, instanceTypes: ["m6i.xlarge"] }],
    [
      "gpu",
      {
        capacityType: "ON_DEMAND",
        amiType: "AL2023_x86_64_NVIDIA",
        taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }],
        scaling: { minSize: 0, maxSize: 4, desiredSize: 0 },
        instanceTypes: ["g5.xlarge"],
      },
    ],
    [
      "cfd",
      {
        capacityType: "SPOT",
        amiType: "AL2023_x86_64_STANDARD",
        taints: [{ key: "workload", value: "cfd", effect: "NO_SCHEDULE" }],
        scaling: { minSize: 0, maxSize: 8, desiredSize: 0 },
        instanceTypes: ["c6i.8xlarge", "c6a.8xlarge"],
      },
    ],
  ] as const)("%s pool", (pool, expected) => {
    const plan = nodeGroupPlan(pool, defaults.nodePools[pool]);
    expect(plan).toMatchObject({ pool, diskSizeGiB: 100, ...expected });
    expect(plan.labels[POOL_LABEL]).toBe(pool);
  });

  test("taints mirror POOL_TAINTS, in the EKS API's spelling", () => {
    for (const pool of POOL_NAMES) {
      const taint = POOL_TAINTS[pool];
      expect(nodeGroupPlan(pool, defaults.nodePools[pool]).taints).toEqual(taint ? [{ key: taint.key, value: taint.value, effect: "NO_SCHEDULE" }] : []);
    }
  });

  test("GPU nodes carry the GPU label and the accelerator hint; no other pool does", () => {
    expect(nodeGroupPlan("gpu", defaults.nodePools.gpu).labels).toEqual({ [POOL_LABEL]: "gpu", "nvidia.com/gpu": "true", "k8s.amazonaws.com/accelerator": "nvidia-a10g" });
    for (const pool of ["system", "general", "cfd"] as const) expect(nodeGroupPlan(pool, defaults.nodePools[pool]).labels).toEqual({ [POOL_LABEL]: pool });
  });

  test.each([
    [["g5.xlarge", "g5.2xlarge"], "nvidia-a10g"],
    [["g6.xlarge"], "nvidia-l4"],
    [["g6e.xlarge"], "nvidia-l40s"],
    [["g5.xlarge", "g6.xlarge"], undefined],
  ])("acceleratorOf(%j) = %s", (types, expected) => expect(acceleratorOf(types)).toBe(expected));

  test("refuses a pool whose max is below its min", () => {
    expect(() => nodeGroupPlan("general", { ...defaults.nodePools.general, minSize: 5, maxSize: 2 })).toThrow(/maxSize 2 is below minSize 5/);
  });
});

describe("autoscalerTags", () => {
  test("discovery tags for this cluster, and node-template tags for every label and taint", () => {
    expect(autoscalerTags("abode-prod", nodeGroupPlan("gpu", defaults.nodePools.gpu))).toEqual({
      discovery: { "k8s.io/cluster-autoscaler/enabled": "true", "k8s.io/cluster-autoscaler/abode-prod": "owned" },
      nodeTemplate: {
        "k8s.io/cluster-autoscaler/node-template/label/abode.io/pool": "gpu",
        "k8s.io/cluster-autoscaler/node-template/label/nvidia.com/gpu": "true",
        "k8s.io/cluster-autoscaler/node-template/label/k8s.amazonaws.com/accelerator": "nvidia-a10g",
        "k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu": "true:NoSchedule",
      },
    });
    expect(autoscalerTags("abode-prod", nodeGroupPlan("cfd", defaults.nodePools.cfd)).nodeTemplate).toEqual({
      "k8s.io/cluster-autoscaler/node-template/label/abode.io/pool": "cfd",
      "k8s.io/cluster-autoscaler/node-template/taint/workload": "cfd:NoSchedule",
    });
  });
});

describe("launchTemplateArgs", () => {
  const args = launchTemplateArgs(nodeGroupPlan("cfd", { ...defaults.nodePools.cfd, diskSizeGiB: 250 }), {
    kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k",
    securityGroupId: "sg-1",
    clusterName: "abode-prod",
  });

  test("IMDSv2 required with a hop limit of 1", () => {
    expect(IMDS_HOP_LIMIT).toBe(1);
    expect(args.metadataOptions).toEqual({ httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" });
  });

  test("an encrypted gp3 root volume of the pool's size under the platform key", () => {
    expect(args.blockDeviceMappings).toEqual([
      { deviceName: "/dev/xvda", ebs: { volumeSize: 250, volumeType: "gp3", encrypted: "true", kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/k", deleteOnTermination: "true" } },
    ]);
  });

  test("no public IP, the cluster security group on the interface; no AMI, user data or instance profile", () => {
    expect(args.networkInterfaces).toEqual([{ deviceIndex: 0, associatePublicIpAddress: "false", deleteOnTermination: "true", securityGroups: ["sg-1"] }]);
    for (const field of ["imageId", "userData", "iamInstanceProfile", "vpcSecurityGroupIds", "instanceMarketOptions"] as const) expect(args[field]).toBeUndefined();
  });
});

describe("endpointAccess", () => {
  test("private only when no CIDR is configured", () => {
    expect(endpointAccess([])).toEqual({ endpointPrivateAccess: true, endpointPublicAccess: false });
  });
  test("public only from the configured CIDRs", () => {
    expect(endpointAccess(["203.0.113.0/24"])).toEqual({ endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });
  });
  test("never the whole internet", () => {
    expect(() => endpointAccess(["203.0.113.0/24", "0.0.0.0/0"])).toThrow(/whole internet/);
  });
});

describe("keyPolicy", () => {
  test("the account administers the key; Auto Scaling may encrypt node volumes and grant only to AWS resources", () => {
    const policy = keyPolicy(MOCK_ACCOUNT, "aws");
    expect(policy.Statement[0]).toMatchObject({ Principal: { AWS: `arn:aws:iam::${MOCK_ACCOUNT}:root` }, Action: "kms:*" });
    const slr = `arn:aws:iam::${MOCK_ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
    expect(policy.Statement.slice(1).every((s) => s.Principal.AWS === slr)).toBe(true);
    expect(policy.Statement[2]).toMatchObject({ Action: "kms:CreateGrant", Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } } });
    // In a key policy `Resource: "*"` means this key; the service role's actions are listed one by one.
    for (const statement of policy.Statement.slice(1)) expect(([] as string[]).concat(statement.Action).some((a) => a.includes("*"))).toBe(false);
  });
});

describe("Cluster under mocks", () => {
  const network = { vpcId: "vpc-1", publicSubnetIds: ["pub-a", "pub-b", "pub-c"], privateSubnetIds: ["priv-a", "priv-b", "priv-c"] };
  const restricted = new Cluster("prod", {
    config: clusterConfig({ publicAccessCidrs: ["203.0.113.0/24", "198.51.100.7/32"], kubernetesVersion: "1.33" }),
    network,
    clusterName: "abode-prod",
    tags: { env: "prod" },
  });
  const privateOnly = new Cluster("private", { config: defaults, network, clusterName: "abode-private" });

  const of = (type: string, prefix: string) => captured.filter((r) => r.type === type && r.name.startsWith(prefix));
  const one = (type: string, name: string): Captured => {
    const found = captured.find((r) => r.type === type && r.name === name);
    if (!found) throw new Error(`no ${type} named ${name}`);
    return found;
  };

  beforeAll(async () => {
    await resolved(pulumi.all([restricted.kubeconfig, restricted.oidcProviderArn, privateOnly.kubeconfig]));
    await settle();
  });

  test("KMS key with rotation, the key policy, an alias; protected and retained", () => {
    const key = one("aws:kms/key:Key", "prod-key");
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30, keyUsage: "ENCRYPT_DECRYPT" });
    expect(JSON.parse(key.inputs.policy)).toEqual(keyPolicy(MOCK_ACCOUNT, "aws"));
    expect(key.protect).toBe(true);
    expect(key.retainOnDelete).toBe(true);
    expect(one("aws:kms/alias:Alias", "prod-key").inputs).toMatchObject({ name: "alias/abode/abode-prod", targetKeyId: "prod-key-key-id" });
  });

  test("EKS: private endpoint, public only from the configured CIDRs, secrets encrypted, audit logs, OIDC, API auth, protected", () => {
    const eks = one("eks:index:Cluster", "prod-eks");
    expect(eks.inputs).toMatchObject({
      name: "abode-prod",
      version: "1.33",
      vpcId: "vpc-1",
      privateSubnetIds: network.privateSubnetIds,
      publicSubnetIds: network.publicSubnetIds,
      skipDefaultNodeGroup: true,
      skipDefaultSecurityGroups: true,
      nodeAssociatePublicIpAddress: false,
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      publicAccessCidrs: ["203.0.113.0/24", "198.51.100.7/32"],
      encryptionConfigKeyArn: `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT}:key/prod-key`,
      createOidcProvider: true,
      vpcCniOptions: { enableNetworkPolicy: true },
      authenticationMode: "API",
      deletionProtection: true,
    });
    expect(eks.inputs.enabledClusterLogTypes).toEqual([...CLUSTER_LOG_TYPES]);
    expect(eks.inputs.enabledClusterLogTypes).toContain("audit");
    expect(eks.inputs.instanceRoles).toHaveLength(1);
    expect(eks.protect).toBe(true);
    expect(eks.retainOnDelete).toBe(true);
  });

  test("with no public CIDRs the endpoint is private only", () => {
    const eks = one("eks:index:Cluster", "private-eks");
    expect(eks.inputs).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: false });
    expect(eks.inputs.publicAccessCidrs).toBeUndefined();
  });

  test("the node role: assumed by EC2, with the worker, CNI and ECR-read policies", () => {
    const role = one("aws:iam/role:Role", "prod-node");
    expect(JSON.parse(role.inputs.assumeRolePolicy).Statement).toEqual([{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }]);
    expect(of("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "prod-node-").map((a) => a.inputs.policyArn).sort()).toEqual([
      "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    ]);
  });

  test("one managed node group per pool in the private subnets, shaped by its plan", () => {
    const groups = of("eks:index:ManagedNodeGroup", "prod-");
    expect(groups.map((g) => g.name).sort()).toEqual(["prod-cfd", "prod-general", "prod-gpu", "prod-system"]);
    for (const pool of POOL_NAMES) {
      const plan = nodeGroupPlan(pool, clusterConfig().nodePools[pool]);
      const group = one("eks:index:ManagedNodeGroup", `prod-${pool}`);
      expect(group.inputs).toMatchObject({
        subnetIds: network.privateSubnetIds,
        amiType: plan.amiType,
        capacityType: plan.capacityType,
        instanceTypes: plan.instanceTypes,
        labels: plan.labels,
        scalingConfig: plan.scaling,
        ignoreScalingChanges: true,
        nodeGroupNamePrefix: `abode-prod-${pool}-`,
        launchTemplate: { id: `prod-${pool}-id`, version: "1" },
      });
      expect(group.inputs.taints ?? []).toEqual(plan.taints);
      expect(group.inputs.diskSize).toBeUndefined(); // the launch template sizes the disk
    }
  });

  test("GPU: NVIDIA AMI, tainted, scales from 0; CFD: spot, tainted, scales from 0; only CFD is spot", () => {
    const gpu = one("eks:index:ManagedNodeGroup", "prod-gpu").inputs;
    const cfd = one("eks:index:ManagedNodeGroup", "prod-cfd").inputs;
    expect(gpu).toMatchObject({ amiType: "AL2023_x86_64_NVIDIA", capacityType: "ON_DEMAND", scalingConfig: { minSize: 0, desiredSize: 0 } });
    expect(gpu.taints).toEqual([{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }]);
    expect(cfd).toMatchObject({ amiType: "AL2023_x86_64_STANDARD", capacityType: "SPOT", scalingConfig: { minSize: 0, maxSize: 8, desiredSize: 0 } });
    expect(cfd.taints).toEqual([{ key: "workload", value: "cfd", effect: "NO_SCHEDULE" }]);
    const spot = of("eks:index:ManagedNodeGroup", "prod-").filter((g) => g.inputs.capacityType === "SPOT");
    expect(spot.map((g) => g.name)).toEqual(["prod-cfd"]);
  });

  test("every node group carries the autoscaler's discovery and node-template tags; the ASGs get the node-template ones", () => {
    for (const pool of POOL_NAMES) {
      const group = one("eks:index:ManagedNodeGroup", `prod-${pool}`);
      const { discovery, nodeTemplate } = autoscalerTags("abode-prod", restricted.plans[pool]);
      expect(group.inputs.tags).toMatchObject({ ...discovery, ...nodeTemplate, env: "prod" });
      const asgTags = of("aws:autoscaling/tag:Tag", `prod-${pool}-asg-`).map((t) => [t.inputs.tag.key, t.inputs.tag.value, t.inputs.tag.propagateAtLaunch]);
      expect(asgTags.sort()).toEqual(Object.entries(nodeTemplate).map(([k, v]) => [k, v, false]).sort());
    }
    expect(of("aws:autoscaling/tag:Tag", "prod-gpu-asg-").map((t) => t.inputs.tag.key)).toContain("k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu");
  });

  test("launch templates: IMDSv2, encrypted gp3 root volume with the key, no public IP, on the EKS cluster security group", () => {
    for (const pool of POOL_NAMES) {
      const lt = one("aws:ec2/launchTemplate:LaunchTemplate", `prod-${pool}`).inputs;
      expect(lt.metadataOptions).toMatchObject({ httpTokens: "required", httpPutResponseHopLimit: 1 });
      expect(lt.blockDeviceMappings[0].ebs).toMatchObject({
        volumeType: "gp3",
        encrypted: "true",
        volumeSize: 100,
        kmsKeyId: `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT}:key/prod-key`,
      });
      expect(lt.networkInterfaces).toEqual([{ deviceIndex: 0, associatePublicIpAddress: "false", deleteOnTermination: "true", securityGroups: ["sg-0eksclustersg"] }]);
    }
  });

  test("outputs: kubeconfig as a secret, name, OIDC provider, node security group, key", async () => {
    expect(await (restricted.kubeconfig as unknown as { isSecret: Promise<boolean> }).isSecret).toBe(true);
    expect(JSON.parse(await resolved(restricted.kubeconfig))).toMatchObject({ kind: "Config" });
    expect(await resolved(restricted.clusterName)).toBe("abode-prod");
    expect(await resolved(restricted.oidcProviderArn)).toBe(`arn:aws:iam::${MOCK_ACCOUNT}:oidc-provider/${MOCK_OIDC_ISSUER}`);
    expect(await resolved(restricted.oidcProviderUrl)).toBe(`https://${MOCK_OIDC_ISSUER}`);
    expect(await resolved(restricted.nodeSecurityGroupId)).toBe("sg-0eksclustersg");
    expect(await resolved(restricted.kmsKeyArn)).toBe(`arn:aws:kms:eu-west-1:${MOCK_ACCOUNT}:key/prod-key`);
  });

  test("every child is parented to the component", () => {
    const children = captured.filter((r) => r.name.startsWith("prod-") && r.type !== "abode:cluster:Cluster");
    expect(children.length).toBeGreaterThan(20);
    for (const child of children) expect(child.parent).toMatch(/abode:cluster:Cluster::prod$/);
  });

  test("a bad pool configuration fails at construction", () => {
    const config = clusterConfig();
    expect(
      () => new Cluster("broken", { config: { ...config, nodePools: { ...config.nodePools, cfd: { ...config.nodePools.cfd, minSize: 3, maxSize: 1 } } }, network }),
    ).toThrow(/node pool cfd: maxSize 1 is below minSize 3/);
  });
});
