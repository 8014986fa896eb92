import type { AuditResource, StackPolicy } from "../core/policy";
import { asArray, refersTo, WORLD_CIDRS } from "./helpers";

const GROUP_TYPES = new Set(["aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"]);
const RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

/** How a group says it fronts a load balancer: the AWS Load Balancer Controller's tag, or ours. */
const LB_TAGS: Record<string, string | undefined> = { "elbv2.k8s.aws/cluster": undefined, "abode.io/role": "load-balancer" };

export function isLoadBalancerGroup(group: AuditResource | undefined): boolean {
  const tags = (group?.props.tags ?? {}) as Record<string, string>;
  return Object.entries(LB_TAGS).some(([key, value]) => key in tags && (value === undefined || tags[key] === value));
}

interface Ingress {
  from: number;
  to: number;
  protocol: string;
  cidrs: string[];
}

function world(ingress: Ingress): string[] {
  return ingress.cidrs.filter((c) => WORLD_CIDRS.has(c));
}

/** Only HTTPS (TCP 443 exactly) may be open to the world, and only on a load balancer's group. */
function problem(ingress: Ingress, loadBalancer: boolean, where: string): string | undefined {
  const open = world(ingress);
  if (open.length === 0) return undefined;
  const httpsOnly = ingress.from === 443 && ingress.to === 443 && ["tcp", "6"].includes(String(ingress.protocol).toLowerCase());
  if (httpsOnly && loadBalancer) return undefined;
  const ports = String(ingress.protocol) === "-1" ? "all ports" : ingress.from === ingress.to ? `port ${ingress.from}` : `ports ${ingress.from}-${ingress.to}`;
  return `${where} opens ${ports} (${ingress.protocol}) to ${open.join(", ")}${httpsOnly ? " on a group that is not a load balancer's" : ""}`;
}

function groupOf(rule: AuditResource, groupId: unknown, groups: AuditResource[]): AuditResource | undefined {
  return groups.find((g) => refersTo(rule, groupId, g, ["name"]));
}

export const awsEc2SecuritygroupDisallowWorldIngress: StackPolicy = {
  kind: "stack",
  name: "aws-ec2-securitygroup-disallow-world-ingress",
  pack: "security",
  description:
    "No security group (inline ingress, SecurityGroupRule or vpc.SecurityGroupIngressRule) admits 0.0.0.0/0 or ::/0, except TCP 443 on a load balancer's group " +
    "(tagged `elbv2.k8s.aws/cluster` by the AWS Load Balancer Controller, or `abode.io/role: load-balancer`). Matches AWS Foundational Security Best Practices EC2.18 and EC2.19, " +
    "Control Tower CT.EC2.PR.3 / CT.EC2.PR.4, AWS Config vpc-sg-open-only-to-authorized-ports, tfsec aws-vpc-no-public-ingress-sg / aws-vpc-no-public-ingress-sgr, Checkov CKV_AWS_24 / CKV_AWS_25 / CKV_AWS_260.",
  severity: "high",
  remediation: "Replace world CIDRs with the VPC CIDR, a prefix list or a source security group; expose services through the HTTPS load balancer only.",
  frameworks: ["aws-fsbp:EC2.18", "aws-fsbp:EC2.19", "ct:CT.EC2.PR.3", "ct:CT.EC2.PR.4", "aws-config:vpc-sg-open-only-to-authorized-ports", "tfsec:aws-vpc-no-public-ingress-sgr", "checkov:CKV_AWS_260"],
  validateStack(resources) {
    const groups = resources.filter((r) => GROUP_TYPES.has(r.type));
    const out: { resource: AuditResource; message: string }[] = [];
    for (const group of groups) {
      asArray<Record<string, any>>(group.props.ingress).forEach((rule, i) => {
        const ingress = { from: Number(rule.fromPort), to: Number(rule.toPort), protocol: String(rule.protocol), cidrs: [...asArray<string>(rule.cidrBlocks), ...asArray<string>(rule.ipv6CidrBlocks)] };
        const message = problem(ingress, isLoadBalancerGroup(group), `ingress[${i}]`);
        if (message) out.push({ resource: group, message });
      });
    }
    for (const rule of resources) {
      if (rule.type === RULE && rule.props.type === "ingress") {
        const ingress = { from: Number(rule.props.fromPort), to: Number(rule.props.toPort), protocol: String(rule.props.protocol), cidrs: [...asArray<string>(rule.props.cidrBlocks), ...asArray<string>(rule.props.ipv6CidrBlocks)] };
        const message = problem(ingress, isLoadBalancerGroup(groupOf(rule, rule.props.securityGroupId, groups)), "the rule");
        if (message) out.push({ resource: rule, message });
      } else if (rule.type === INGRESS_RULE) {
        const protocol = String(rule.props.ipProtocol);
        const ingress = { from: Number(rule.props.fromPort ?? 0), to: Number(rule.props.toPort ?? 65535), protocol, cidrs: [rule.props.cidrIpv4, rule.props.cidrIpv6].filter((c): c is string => typeof c === "string") };
        const message = problem(ingress, isLoadBalancerGroup(groupOf(rule, rule.props.securityGroupId, groups)), "the rule");
        if (message) out.push({ resource: rule, message });
      }
    }
    return out;
  },
};
