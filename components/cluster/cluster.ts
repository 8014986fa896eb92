import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../../stacks/config/schema";
import { POOL_TAINTS, poolLabels, type PoolName } from "./node-pools";

/** The parsed `cluster` section of the stack config. */
export type ClusterConfig = NonNullable<StackConfig["cluster"]>;
export type NodePoolSettings = ClusterConfig["nodePools"][PoolName];

export const POOL_NAMES: readonly PoolName[] = ["system", "general", "gpu", "cfd"];

/** Every control-plane log type: `audit` is the one auditors ask for, the rest help debugging. */
export const CLUSTER_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/**
 * IMDSv2 only, hop limit 1: the node (and host-network pods such as the VPC CNI and kube-proxy)
 * can read instance metadata, but a token request from inside a pod's network namespace takes a
 * second hop and is dropped, so no pod can borrow the node role's credentials. Pods that need
 * AWS get their own role through IRSA. The price: in-cluster controllers cannot discover the
 * region or VPC from IMDS, so they must be told (the AWS Load Balancer Controller's `region`
 * and `vpcId` values). AWS's own default for AL2023 managed nodes is 2, to spare that step.
 */
export const IMDS_HOP_LIMIT = 1;

/** AL2023's root device (the EKS-optimized AMIs boot from it). */
const ROOT_DEVICE = "/dev/xvda";

export interface EksTaint {
  key: string;
  value: string;
  /** The EKS API's spelling of `NoSchedule`. */
  effect: "NO_SCHEDULE";
}

export interface NodeGroupPlan {
  pool: PoolName;
  labels: Record<string, string>;
  taints: EksTaint[];
  scaling: { minSize: number; maxSize: number; desiredSize: number };
  capacityType: "ON_DEMAND" | "SPOT";
  amiType: "AL2023_x86_64_NVIDIA" | "AL2023_x86_64_STANDARD";
  instanceTypes: string[];
  diskSizeGiB: number;
}

/** NVIDIA GPU by instance family, for the `k8s.amazonaws.com/accelerator` label cluster-autoscaler reads. */
const GPU_BY_FAMILY: Record<string, string> = { g5: "nvidia-a10g", g6: "nvidia-l4", g6e: "nvidia-l40s" };

/** The accelerator of a GPU pool's instance types, when they all have the same one. */
export function acceleratorOf(instanceTypes: string[]): string | undefined {
  const gpus = new Set(instanceTypes.map((t) => GPU_BY_FAMILY[t.split(".")[0]!]));
  const [only] = [...gpus];
  return gpus.size === 1 ? only : undefined;
}

/**
 * How one pool's managed node group is shaped: labels and taints from `node-pools.ts`, on-demand
 * except the CFD pool (spot: CFD runs are batch jobs that checkpoint and can be retried), the
 * NVIDIA AL2023 AMI on the GPU pool only, and the configured size. A pool starts at its minimum.
 */
export function nodeGroupPlan(pool: PoolName, settings: NodePoolSettings): NodeGroupPlan {
  if (settings.maxSize < settings.minSize) throw new Error(`node pool ${pool}: maxSize ${settings.maxSize} is below minSize ${settings.minSize}`);
  if (settings.instanceTypes.length === 0) throw new Error(`node pool ${pool}: no instance types`);
  const taint = POOL_TAINTS[pool];
  const accelerator = pool === "gpu" ? acceleratorOf(settings.instanceTypes) : undefined;
  return {
    pool,
    labels: { ...poolLabels(pool), ...(accelerator ? { "k8s.amazonaws.com/accelerator": accelerator } : {}) },
    taints: taint ? [{ key: taint.key, value: taint.value, effect: "NO_SCHEDULE" }] : [],
    scaling: { minSize: settings.minSize, maxSize: settings.maxSize, desiredSize: settings.minSize },
    capacityType: pool === "cfd" ? "SPOT" : "ON_DEMAND",
    amiType: pool === "gpu" ? "AL2023_x86_64_NVIDIA" : "AL2023_x86_64_STANDARD",
    instanceTypes: [...settings.instanceTypes],
    diskSizeGiB: settings.diskSizeGiB,
  };
}

const K8S_EFFECT: Record<EksTaint["effect"], string> = { NO_SCHEDULE: "NoSchedule" };

/**
 * The tags cluster-autoscaler reads to pick a node group up and to scale it from zero, when
 * there is no node to copy labels and taints from. Discovery: `k8s.io/cluster-autoscaler/enabled`
 * and `k8s.io/cluster-autoscaler/<cluster>`. Node template: one
 * `k8s.io/cluster-autoscaler/node-template/label/<key>` per label and one
 * `.../node-template/taint/<key>` = `<value>:<Effect>` per taint (Kubernetes spelling).
 */
export function autoscalerTags(clusterName: string, plan: NodeGroupPlan): { discovery: Record<string, string>; nodeTemplate: Record<string, string> } {
  const nodeTemplate: Record<string, string> = {};
  for (const [key, value] of Object.entries(plan.labels)) nodeTemplate[`k8s.io/cluster-autoscaler/node-template/label/${key}`] = value;
  for (const taint of plan.taints) nodeTemplate[`k8s.io/cluster-autoscaler/node-template/taint/${taint.key}`] = `${taint.value}:${K8S_EFFECT[taint.effect]}`;
  return {
    discovery: { "k8s.io/cluster-autoscaler/enabled": "true", [`k8s.io/cluster-autoscaler/${clusterName}`]: "owned" },
    nodeTemplate,
  };
}

/**
 * A pool's launch template: IMDSv2 required (hop limit `IMDS_HOP_LIMIT`), an encrypted gp3 root
 * volume of the pool's size under the platform key, and one network interface with no public IP
 * carrying the cluster security group. No AMI and no user data: EKS picks the AMI from the node
 * group's `amiType` and writes the bootstrap itself.
 */
export function launchTemplateArgs(
  plan: NodeGroupPlan,
  refs: { kmsKeyArn: pulumi.Input<string>; securityGroupId: pulumi.Input<string>; clusterName: string; tags?: Record<string, string> },
): aws.ec2.LaunchTemplateArgs {
  const tags = { ...refs.tags, "abode.io/pool": plan.pool, "abode.io/cluster": refs.clusterName };
  return {
    description: `${refs.clusterName} ${plan.pool} nodes`,
    updateDefaultVersion: true,
    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: IMDS_HOP_LIMIT, instanceMetadataTags: "disabled" },
    blockDeviceMappings: [
      {
        deviceName: ROOT_DEVICE,
        ebs: { volumeSize: plan.diskSizeGiB, volumeType: "gp3", encrypted: "true", kmsKeyId: refs.kmsKeyArn, deleteOnTermination: "true" },
      },
    ],
    // Security groups go on the interface: a launch template that names any replaces the
    // cluster security group EKS would otherwise attach, so it is named here explicitly.
    networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false", deleteOnTermination: "true", securityGroups: [refs.securityGroupId] }],
    tagSpecifications: [
      { resourceType: "instance", tags },
      { resourceType: "volume", tags },
    ],
    tags,
  };
}

/** Whether and from where the API endpoint is reachable from outside the VPC. */
export function endpointAccess(publicAccessCidrs: string[]): { endpointPrivateAccess: true; endpointPublicAccess: boolean; publicAccessCidrs?: string[] } {
  for (const cidr of publicAccessCidrs) if (cidr.endsWith("/0")) throw new Error(`publicAccessCidrs: ${cidr} opens the API endpoint to the whole internet`);
  return publicAccessCidrs.length > 0
    ? { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: [...publicAccessCidrs] }
    : { endpointPrivateAccess: true, endpointPublicAccess: false };
}

/**
 * The platform key's policy: the account administers it through IAM (AWS's default statement,
 * without which the key becomes unmanageable), and EC2 Auto Scaling's service-linked role may
 * use it, which it must to launch nodes whose root volumes are encrypted under this key.
 */
export function keyPolicy(accountId: string, partition: string) {
  const autoscaling = `arn:${partition}:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "AccountAdministersThroughIam", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" },
      {
        Sid: "AutoScalingUsesKeyForNodeVolumes",
        Effect: "Allow",
        Principal: { AWS: autoscaling },
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"],
        Resource: "*",
      },
      {
        Sid: "AutoScalingGrantsForAttachedVolumes",
        Effect: "Allow",
        Principal: { AWS: autoscaling },
        Action: "kms:CreateGrant",
        Resource: "*",
        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
    ],
  };
}

/** The AWS-managed policies every EKS worker node needs. */
export const NODE_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"] as const;

export interface ClusterNetwork {
  vpcId: pulumi.Input<string>;
  publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
}

export interface ClusterArgs {
  /** The parsed `cluster` config. */
  config: ClusterConfig;
  network: ClusterNetwork;
  /** The EKS cluster's name (also in the autoscaler tags). @default the component's name */
  clusterName?: string;
  /**
   * Create EC2 Auto Scaling's service-linked role. The key policy names it, so it must exist;
   * AWS creates it the first time an account uses Auto Scaling, and creating it twice fails.
   * @default false
   */
  createAutoscalingServiceLinkedRole?: boolean;
  /** Tags on every AWS resource. @default {} */
  tags?: Record<string, string>;
}

/**
 * The EKS cluster: a KMS key (rotated) that envelope-encrypts Kubernetes secrets and every node
 * volume, a control plane reachable privately and publicly only from `publicAccessCidrs`, every
 * log type including audit, an OIDC provider for IRSA, access entries (API mode) for the node
 * role, and one managed node group per pool in the private subnets.
 */
export class Cluster extends pulumi.ComponentResource {
  readonly kubeconfig: pulumi.Output<string>;
  readonly clusterName: pulumi.Output<string>;
  readonly oidcProviderArn: pulumi.Output<string>;
  readonly oidcProviderUrl: pulumi.Output<string>;
  /** The EKS-created cluster security group, which every managed node carries. */
  readonly nodeSecurityGroupId: pulumi.Output<string>;
  readonly kmsKeyArn: pulumi.Output<string>;
  readonly nodeRoleArn: pulumi.Output<string>;
  readonly eksCluster: eks.Cluster;
  readonly nodeGroups: Record<PoolName, eks.ManagedNodeGroup>;
  readonly plans: Record<PoolName, NodeGroupPlan>;

  constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("abode:cluster:Cluster", name, {}, opts);
    const clusterName = args.clusterName ?? name;
    const tags = { ...args.tags, "abode.io/cluster": clusterName };
    const stateful = { parent: this, protect: true, retainOnDelete: true };
    const plans = Object.fromEntries(POOL_NAMES.map((pool) => [pool, nodeGroupPlan(pool, args.config.nodePools[pool])])) as Record<PoolName, NodeGroupPlan>;
    this.plans = plans;
    const access = endpointAccess(args.config.publicAccessCidrs);

    const identity = aws.getCallerIdentityOutput({}, { parent: this });
    const partition = aws.getPartitionOutput({}, { parent: this });
    const slr = args.createAutoscalingServiceLinkedRole
      ? [new aws.iam.ServiceLinkedRole(`${name}-autoscaling-slr`, { awsServiceName: "autoscaling.amazonaws.com" }, { parent: this, retainOnDelete: true })]
      : [];
    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Abode ${clusterName}: Kubernetes secrets, node and data volumes, images, snapshots`,
        enableKeyRotation: true,
        rotationPeriodInDays: 365,
        deletionWindowInDays: 30,
        keyUsage: "ENCRYPT_DECRYPT",
        customerMasterKeySpec: "SYMMETRIC_DEFAULT",
        policy: pulumi.all([identity.accountId, partition.partition]).apply(([account, part]) => JSON.stringify(keyPolicy(account, part))),
        tags,
      },
      { ...stateful, dependsOn: slr },
    );
    new aws.kms.Alias(`${name}-key`, { name: `alias/abode/${clusterName}`, targetKeyId: key.keyId }, { parent: this });

    const nodeRole = new aws.iam.Role(
      `${name}-node`,
      {
        description: `EKS worker nodes of ${clusterName}`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
        tags,
      },
      { parent: this },
    );
    const attachments = NODE_POLICIES.map(
      (policy) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-node-${policy}`,
          { role: nodeRole.name, policyArn: pulumi.interpolate`arn:${partition.partition}:iam::aws:policy/${policy}` },
          { parent: this },
        ),
    );

    this.eksCluster = new eks.Cluster(
      `${name}-eks`,
      {
        name: clusterName,
        version: args.config.kubernetesVersion,
        vpcId: args.network.vpcId,
        privateSubnetIds: args.network.privateSubnetIds,
        publicSubnetIds: args.network.publicSubnetIds,
        nodeAssociatePublicIpAddress: false,
        skipDefaultNodeGroup: true,
        // Managed nodes carry the security group EKS creates with the cluster; the extra
        // groups this package makes for self-managed nodes would go unused.
        skipDefaultSecurityGroups: true,
        ...access,
        encryptionConfigKeyArn: key.arn,
        enabledClusterLogTypes: [...CLUSTER_LOG_TYPES],
        createOidcProvider: true,
        // NetworkPolicies are only enforced when the VPC CNI's policy agent is on.
        vpcCniOptions: { enableNetworkPolicy: true },
        authenticationMode: eks.AuthenticationMode.Api,
        // In API mode each instance role gets an EC2_LINUX access entry, so nodes can join.
        instanceRoles: [nodeRole],
        deletionProtection: true,
        tags,
        clusterTags: tags,
      },
      { ...stateful, dependsOn: attachments },
    );

    this.nodeGroups = {} as Record<PoolName, eks.ManagedNodeGroup>;
    for (const pool of POOL_NAMES) {
      const plan = plans[pool];
      const { discovery, nodeTemplate } = autoscalerTags(clusterName, plan);
      const template = new aws.ec2.LaunchTemplate(
        `${name}-${pool}`,
        launchTemplateArgs(plan, { kmsKeyArn: key.arn, securityGroupId: this.eksCluster.nodeSecurityGroupId, clusterName, tags }),
        { parent: this },
      );
      const group = new eks.ManagedNodeGroup(
        `${name}-${pool}`,
        {
          cluster: this.eksCluster,
          nodeGroupNamePrefix: `${clusterName}-${pool}-`,
          nodeRole,
          subnetIds: args.network.privateSubnetIds,
          amiType: plan.amiType,
          capacityType: plan.capacityType,
          instanceTypes: plan.instanceTypes,
          labels: plan.labels,
          taints: plan.taints,
          scalingConfig: plan.scaling,
          // The autoscaler owns the desired size once the group exists.
          ignoreScalingChanges: true,
          launchTemplate: { id: template.id, version: template.latestVersion.apply((v) => `${v}`) },
          tags: { ...tags, ...discovery, ...nodeTemplate },
        },
        { parent: this, dependsOn: attachments },
      );
      this.nodeGroups[pool] = group;
      // EKS tags the group's Auto Scaling group for discovery itself but does not copy the node
      // group's tags onto it, and cluster-autoscaler asks EKS for labels and taints only until
      // the group first has a node; so the node-template tags go on the ASG too, or a pool that
      // scaled up and back to zero could not be woken by a pod that selects or tolerates it.
      const asgName: pulumi.Output<string> = group.nodeGroup.apply((ng) =>
        ng ? ng.resources.apply((r) => r?.[0]?.autoscalingGroups?.[0]?.name ?? "") : pulumi.output(""),
      );
      for (const [tagKey, value] of Object.entries(nodeTemplate)) {
        const suffix = tagKey.replace(/^k8s\.io\/cluster-autoscaler\/node-template\//, "").replace(/[^a-zA-Z0-9-]+/g, "-");
        new aws.autoscaling.Tag(
          `${name}-${pool}-asg-${suffix}`,
          { autoscalingGroupName: asgName, tag: { key: tagKey, value, propagateAtLaunch: false } },
          { parent: this },
        );
      }
    }

    this.kubeconfig = pulumi.secret(this.eksCluster.kubeconfigJson);
    this.clusterName = pulumi.output(clusterName);
    this.oidcProviderArn = this.eksCluster.oidcProviderArn;
    this.oidcProviderUrl = this.eksCluster.oidcProviderUrl;
    this.nodeSecurityGroupId = this.eksCluster.nodeSecurityGroupId;
    this.kmsKeyArn = key.arn;
    this.nodeRoleArn = nodeRole.arn;
    this.registerOutputs({
      kubeconfig: this.kubeconfig,
      clusterName: this.clusterName,
      oidcProviderArn: this.oidcProviderArn,
      oidcProviderUrl: this.oidcProviderUrl,
      nodeSecurityGroupId: this.nodeSecurityGroupId,
      kmsKeyArn: this.kmsKeyArn,
      nodeRoleArn: this.nodeRoleArn,
    });
  }
}
