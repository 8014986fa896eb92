import type { ResourcePolicy } from "../core/policy";
import { asArray, isTrue } from "./helpers";

/** Nodes get no public IPv4 address. */
export const awsEc2LaunchtemplateDisallowPublicIp: ResourcePolicy = {
  kind: "resource",
  name: "aws-ec2-launchtemplate-disallow-public-ip",
  pack: "security",
  description:
    "Launch templates, instances and EKS node settings do not associate a public IP address: nodes reach out through NAT and are reached only through load balancers. " +
    "Matches AWS Foundational Security Best Practices EC2.25 (launch templates) and EC2.9 (instances), Control Tower CT.EC2.PR.9, " +
    "AWS Config ec2-launch-template-public-ip-disabled, Checkov CKV_AWS_88, CIS Amazon EKS Benchmark 5.4.3 (private nodes).",
  severity: "high",
  remediation: "Set `associatePublicIpAddress: \"false\"` on every network interface (and `nodeAssociatePublicIpAddress: false` on @pulumi/eks clusters); put nodes in private subnets.",
  frameworks: ["aws-fsbp:EC2.25", "aws-fsbp:EC2.9", "ct:CT.EC2.PR.9", "aws-config:ec2-launch-template-public-ip-disabled", "checkov:CKV_AWS_88", "cis-eks:5.4.3"],
  validateResource({ type, props }) {
    switch (type) {
      case "aws:ec2/launchTemplate:LaunchTemplate":
        return asArray<Record<string, unknown>>(props.networkInterfaces)
          .map((ni, i) => (isTrue(ni.associatePublicIpAddress) ? `networkInterfaces[${i}] associates a public IP address` : ""))
          .filter(Boolean);
      case "aws:ec2/instance:Instance":
        return isTrue(props.associatePublicIpAddress) ? ["the instance associates a public IP address"] : [];
      case "aws:autoscaling/launchConfiguration:LaunchConfiguration":
        return isTrue(props.associatePublicIpAddress) ? ["the launch configuration associates a public IP address"] : [];
      case "eks:index:Cluster":
        return isTrue(props.nodeAssociatePublicIpAddress) ? ["nodeAssociatePublicIpAddress gives nodes public IP addresses"] : [];
      default:
        return [];
    }
  },
};
