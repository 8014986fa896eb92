import type { ResourcePolicy } from "../core/policy";
import { isTrue } from "./helpers";

/** No subnet hands out public IPs by default (load balancers get theirs from the ELB service, nodes none). */
export const awsEc2SubnetDisallowPublicIpOnLaunch: ResourcePolicy = {
  kind: "resource",
  name: "aws-ec2-subnet-disallow-public-ip-on-launch",
  pack: "security",
  description:
    "Subnets do not auto-assign public IPv4 addresses (`mapPublicIpOnLaunch`), so a node or instance launched in a public subnet by mistake still gets no public address. " +
    "Matches AWS Foundational Security Best Practices EC2.15, tfsec aws-ec2-no-public-ip-subnet, Checkov CKV_AWS_130.",
  severity: "medium",
  remediation: "Set `mapPublicIpOnLaunch: false` (the default) on every subnet; internet-facing load balancers do not need it.",
  frameworks: ["aws-fsbp:EC2.15", "tfsec:aws-ec2-no-public-ip-subnet", "checkov:CKV_AWS_130"],
  validateResource({ type, props }) {
    if (type !== "aws:ec2/subnet:Subnet") return [];
    return isTrue(props.mapPublicIpOnLaunch) ? ["mapPublicIpOnLaunch gives every instance launched here a public IP address"] : [];
  },
};
