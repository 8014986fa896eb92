import type { ResourcePolicy } from "../core/policy";
import { asArray } from "./helpers";

/** Kubernetes secrets envelope-encrypted with a KMS key. */
export const awsEksClusterRequireSecretsEncryption: ResourcePolicy = {
  kind: "resource",
  name: "aws-eks-cluster-require-secrets-encryption",
  pack: "security",
  description:
    "EKS envelope-encrypts Kubernetes secrets with a customer-managed KMS key. Matches AWS Foundational Security Best Practices EKS.3, " +
    "Control Tower CT.EKS.PR.2, AWS Config eks-secrets-encrypted, tfsec aws-eks-encrypt-secrets (AVD-AWS-0039), CIS Amazon EKS Benchmark 5.3.1.",
  severity: "high",
  remediation: "Set `encryptionConfigKeyArn` (@pulumi/eks) to a KMS key ARN, or `encryptionConfig: { resources: [\"secrets\"], provider: { keyArn } }` on aws.eks.Cluster.",
  frameworks: ["aws-fsbp:EKS.3", "ct:CT.EKS.PR.2", "aws-config:eks-secrets-encrypted", "tfsec:aws-eks-encrypt-secrets", "cis-eks:5.3.1"],
  validateResource({ type, props }) {
    if (type === "eks:index:Cluster") {
      return props.encryptionConfigKeyArn ? [] : ["Kubernetes secrets are not encrypted with a KMS key (no encryptionConfigKeyArn)"];
    }
    if (type === "aws:eks/cluster:Cluster") {
      const config = props.encryptionConfig;
      if (!config) return ["Kubernetes secrets are not encrypted with a KMS key (no encryptionConfig)"];
      const problems: string[] = [];
      if (!asArray(config.resources).includes("secrets")) problems.push("encryptionConfig does not cover `secrets`");
      if (!config.provider?.keyArn) problems.push("encryptionConfig names no KMS key (provider.keyArn)");
      return problems;
    }
    return [];
  },
};
