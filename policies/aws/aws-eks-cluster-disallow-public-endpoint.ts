import type { ResourcePolicy } from "../core/policy";
import { asArray, isTrue, WORLD_CIDRS } from "./helpers";

/** EKS API endpoint: private, or public only to listed CIDRs, never to the whole internet. */
export const awsEksClusterDisallowPublicEndpoint: ResourcePolicy = {
  kind: "resource",
  name: "aws-eks-cluster-disallow-public-endpoint",
  pack: "security",
  description:
    "The EKS API server endpoint is not reachable from 0.0.0.0/0: either public access is off, or it is limited to listed CIDRs none of which is /0. " +
    "Matches AWS Foundational Security Best Practices EKS.1, Control Tower CT.EKS.PR.1, AWS Config eks-endpoint-no-public-access, " +
    "tfsec aws-eks-no-public-cluster-access / aws-eks-no-public-cluster-access-to-cidr, CIS Amazon EKS Benchmark 5.4.1 (restrict access to the control plane endpoint).",
  severity: "critical",
  remediation:
    "Set `endpointPublicAccess: false` (our `cluster.publicAccessCidrs: []`), or list your office/VPN CIDRs in `publicAccessCidrs`. " +
    "@pulumi/eks and the EKS API default public access to true and the CIDRs to 0.0.0.0/0, so leaving them out is a violation.",
  frameworks: ["aws-fsbp:EKS.1", "ct:CT.EKS.PR.1", "aws-config:eks-endpoint-no-public-access", "tfsec:aws-eks-no-public-cluster-access-to-cidr", "cis-eks:5.4.1"],
  validateResource({ type, props }) {
    let publicAccess: unknown;
    let cidrs: unknown;
    if (type === "eks:index:Cluster") {
      publicAccess = props.endpointPublicAccess;
      cidrs = props.publicAccessCidrs;
    } else if (type === "aws:eks/cluster:Cluster") {
      publicAccess = props.vpcConfig?.endpointPublicAccess;
      cidrs = props.vpcConfig?.publicAccessCidrs;
    } else return [];
    // Both APIs default public access to on.
    if (publicAccess !== undefined && !isTrue(publicAccess)) return [];
    const blocks = asArray<string>(cidrs);
    if (blocks.length === 0) return ["the API endpoint is public to 0.0.0.0/0 (public access on, no publicAccessCidrs)"];
    return blocks.filter((b) => WORLD_CIDRS.has(b)).map((b) => `the API endpoint is public to ${b}`);
  },
};
