import type { ResourcePolicy } from "../core/policy";
import { NODE_GROUP_TYPES, POOL_LABEL, poolOf } from "../aws/helpers";

export const awsEksNodegroupRequireSpotCfd: ResourcePolicy = {
  kind: "resource",
  name: "aws-eks-nodegroup-require-spot-cfd",
  pack: "cost",
  description:
    `The CFD pool (\`${POOL_LABEL}: cfd\`) runs on Spot capacity: CFD runs are batch jobs that checkpoint and retry, so the up-to-90% Spot discount costs only a restart. ` +
    "Comparable to AWS Well-Architected COST06/COST09 (Spot for interruptible workloads).",
  severity: "low",
  remediation: "Set `capacityType: \"SPOT\"` and list several instance types of the family so Spot can find capacity.",
  frameworks: ["aws-well-architected:COST06"],
  config: {
    pools: { type: "array", items: { type: "string" }, default: ["cfd"], description: "Pools that must run on Spot." },
  },
  validateResource(resource, config) {
    if (!NODE_GROUP_TYPES.has(resource.type)) return [];
    const pool = poolOf(resource);
    if (pool === undefined || !((config?.pools ?? ["cfd"]) as string[]).includes(pool)) return [];
    return resource.props.capacityType === "SPOT" ? [] : [`pool ${pool} runs on ${resource.props.capacityType ?? "ON_DEMAND"} capacity, not SPOT`];
  },
};
