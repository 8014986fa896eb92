import type { ResourcePolicy } from "../core/policy";
import { asArray, NODE_GROUP_TYPES, POOL_LABEL, poolOf } from "../aws/helpers";
import { DEFAULT_POOL_INSTANCE_PATTERNS } from "./pools";

export const awsEksNodegroupRestrictInstanceTypes: ResourcePolicy = {
  kind: "resource",
  name: "aws-eks-nodegroup-restrict-instance-types",
  pack: "cost",
  description:
    `Each node group's instance types come from its pool's allow-list (pool = the \`${POOL_LABEL}\` label): system/general general-purpose m*/t*, gpu NVIDIA g5/g6, cfd compute-optimized c5–c8. ` +
    "A pool without an allow-list is reported. Mirrors the pool-family checks of the stack config schema; comparable to Pulumi's premium `aws-ec2-instance-disallow-types` policies and Infracost guardrails.",
  severity: "medium",
  remediation: "Pick instance types from the pool's family, or extend `poolInstanceTypes` in the cost pack's config (a regular expression per pool) when a new family is justified.",
  frameworks: ["abode:cost:instance-families"],
  config: {
    poolInstanceTypes: { type: "object", default: DEFAULT_POOL_INSTANCE_PATTERNS, description: "Per pool, a regular expression instance types must match." },
  },
  validateResource(resource, config) {
    if (!NODE_GROUP_TYPES.has(resource.type)) return [];
    const pool = poolOf(resource);
    if (pool === undefined) return [];
    const patterns = (config?.poolInstanceTypes ?? DEFAULT_POOL_INSTANCE_PATTERNS) as Record<string, string>;
    const pattern = patterns[pool];
    if (pattern === undefined) return [`pool ${pool} has no instance-type allow-list`];
    const types = asArray<string>(resource.props.instanceTypes);
    if (types.length === 0) return [`pool ${pool} names no instance types (EKS would pick t3.medium)`];
    const allowed = new RegExp(pattern);
    return types.filter((t) => !allowed.test(t)).map((t) => `${t} is not allowed in pool ${pool} (/${pattern}/)`);
  },
};
