import type { ResourcePolicy } from "../core/policy";
import { asArray } from "./helpers";

/** The control plane's audit log is shipped to CloudWatch. */
export const awsEksClusterEnableAuditLogs: ResourcePolicy = {
  kind: "resource",
  name: "aws-eks-cluster-enable-audit-logs",
  pack: "security",
  description:
    "EKS control-plane logging includes the `audit` log type, so every API request is on record. Matches AWS Foundational Security Best Practices EKS.8, " +
    "CIS Amazon EKS Benchmark 2.1.1 (enable audit logs), tfsec aws-eks-enable-control-plane-logging (AVD-AWS-0038).",
  severity: "medium",
  remediation: "Add `audit` (ideally every type: api, audit, authenticator, controllerManager, scheduler) to `enabledClusterLogTypes`.",
  frameworks: ["aws-fsbp:EKS.8", "cis-eks:2.1.1", "tfsec:aws-eks-enable-control-plane-logging"],
  validateResource({ type, props }) {
    if (type !== "eks:index:Cluster" && type !== "aws:eks/cluster:Cluster") return [];
    return asArray(props.enabledClusterLogTypes).includes("audit") ? [] : ["the control plane's audit log is not enabled (enabledClusterLogTypes lacks `audit`)"];
  },
};
