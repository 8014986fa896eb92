import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { IStorageClass } from "kubernetes-models/storage.k8s.io/v1/StorageClass";
import { irsaRole, type PolicyDocument } from "./irsa";
import { POOL_LABEL } from "./node-pools";

/**
 * The EBS CSI driver as an EKS add-on, pinned. `v1.45.0-eksbuild.2` is a published build of
 * the `aws-ebs-csi-driver` add-on in use on EKS 1.33 clusters (seen in public cluster configs
 * next to `kube-proxy v1.33.0-eksbuild.2`); it was not checked against the EKS API itself
 * (`aws eks describe-addon-versions --kubernetes-version 1.33 --addon-name aws-ebs-csi-driver`),
 * which cannot be reached from here: run that before the first `pulumi up`.
 */
export const EBS_CSI_ADDON_VERSION = "v1.45.0-eksbuild.2";

/** The controller's ServiceAccount, as the add-on names it. */
export const EBS_CSI_SERVICE_ACCOUNT = { namespace: "kube-system", name: "ebs-csi-controller-sa" } as const;

/**
 * What the driver may do with the platform key, besides AWS's managed policy: encrypt new
 * volumes and let EC2 attach them (grants for AWS resources only). Actions listed one by one.
 */
export function ebsCsiKmsPolicy(kmsKeyArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "UseKeyForVolumes",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"],
        Resource: kmsKeyArn,
      },
      {
        Sid: "GrantsForAttachedVolumes",
        Effect: "Allow",
        Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        Resource: kmsKeyArn,
        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
    ],
  };
}

/**
 * The add-on's configuration: the controller on the system pool, the node plugin on every node
 * including the tainted GPU and CFD pools (a pod there with an EBS volume, such as the model
 * cache, cannot mount it without the plugin on its node).
 */
export function ebsCsiConfiguration(): Record<string, unknown> {
  return {
    controller: { nodeSelector: { [POOL_LABEL]: "system" } },
    node: { tolerateAllTaints: true },
  };
}

export interface Gp3StorageClassOptions {
  /** KMS key for the volumes. @default the account's EBS default key (`aws/ebs`) */
  kmsKeyId?: string;
  /** @default "gp3" */
  name?: string;
}

/**
 * The cluster's default StorageClass: encrypted gp3 EBS volumes through the CSI driver, created
 * in the zone of the pod that first uses them, expandable, and kept when their claim is deleted
 * (data outlives a mistaken `kubectl delete pvc`). EKS 1.30+ no longer marks its gp2 class as
 * default, so this is the only default.
 */
export function gp3StorageClass(options: Gp3StorageClassOptions = {}): IStorageClass & { metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> }; parameters: Record<string, string> } {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: {
      name: options.name ?? "gp3",
      labels: {
        "app.kubernetes.io/name": "gp3",
        "app.kubernetes.io/instance": options.name ?? "gp3",
        "app.kubernetes.io/version": EBS_CSI_ADDON_VERSION,
        "app.kubernetes.io/component": "storage",
        "app.kubernetes.io/part-of": "abode",
        "app.kubernetes.io/managed-by": "pulumi",
      },
      annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
    },
    provisioner: "ebs.csi.aws.com",
    parameters: {
      type: "gp3",
      encrypted: "true",
      "csi.storage.k8s.io/fstype": "ext4",
      ...(options.kmsKeyId ? { kmsKeyId: options.kmsKeyId } : {}),
    },
    volumeBindingMode: "WaitForFirstConsumer",
    allowVolumeExpansion: true,
    reclaimPolicy: "Retain",
  };
}

export interface EbsCsiDriverArgs {
  clusterName: pulumi.Input<string>;
  oidcProviderArn: pulumi.Input<string>;
  oidcProviderUrl: pulumi.Input<string>;
  /** The platform key; volumes are encrypted with it. */
  kmsKeyArn: pulumi.Input<string>;
  /** @default EBS_CSI_ADDON_VERSION */
  addonVersion?: string;
  /**
   * Provider for the cluster: when given, the gp3 default StorageClass is created with it.
   * @default none (the StorageClass is left to the caller: `gp3StorageClass`)
   */
  kubernetesProvider?: k8s.Provider;
  /** @default {} */
  tags?: Record<string, string>;
}

/** The EBS CSI driver add-on with its IRSA role, and (given a provider) the default gp3 StorageClass. */
export class EbsCsiDriver extends pulumi.ComponentResource {
  readonly addonName: pulumi.Output<string>;
  readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: EbsCsiDriverArgs, opts?: pulumi.ComponentResourceOptions) {
    super("abode:cluster:EbsCsiDriver", name, {}, opts);
    const partition = aws.getPartitionOutput({}, { parent: this });
    const role = irsaRole(
      `${name}-role`,
      {
        oidcProviderArn: args.oidcProviderArn,
        oidcProviderUrl: args.oidcProviderUrl,
        namespace: EBS_CSI_SERVICE_ACCOUNT.namespace,
        serviceAccount: EBS_CSI_SERVICE_ACCOUNT.name,
        managedPolicyArns: [pulumi.interpolate`arn:${partition.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy`],
        policy: pulumi.output(args.kmsKeyArn).apply(ebsCsiKmsPolicy),
        tags: args.tags,
      },
      { parent: this },
    );
    const addon = new aws.eks.Addon(
      `${name}-addon`,
      {
        clusterName: args.clusterName,
        addonName: "aws-ebs-csi-driver",
        addonVersion: args.addonVersion ?? EBS_CSI_ADDON_VERSION,
        serviceAccountRoleArn: role.arn,
        configurationValues: JSON.stringify(ebsCsiConfiguration()),
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "PRESERVE",
        tags: args.tags,
      },
      { parent: this },
    );
    if (args.kubernetesProvider) {
      const sc = pulumi.output(args.kmsKeyArn).apply((kmsKeyId) => gp3StorageClass({ kmsKeyId }));
      new k8s.storage.v1.StorageClass(
        `${name}-gp3`,
        {
          metadata: sc.metadata,
          provisioner: sc.provisioner,
          parameters: sc.parameters,
          volumeBindingMode: sc.volumeBindingMode,
          allowVolumeExpansion: sc.allowVolumeExpansion,
          reclaimPolicy: sc.reclaimPolicy,
        },
        { parent: this, provider: args.kubernetesProvider, dependsOn: [addon] },
      );
    }
    this.addonName = addon.addonName;
    this.roleArn = role.arn;
    this.registerOutputs({ addonName: this.addonName, roleArn: this.roleArn });
  }
}
