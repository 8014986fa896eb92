import type { ResourcePolicy } from "../core/policy";
import { NODE_GROUP_TYPES, POOL_LABEL, poolOf } from "../aws/helpers";
import { DEFAULT_MAX_SIZE_CAP, SCALE_TO_ZERO_POOLS } from "./pools";

export const awsEksNodegroupRequireScaleFromZero: ResourcePolicy = {
  kind: "resource",
  name: "aws-eks-nodegroup-require-scale-from-zero",
  pack: "cost",
  description:
    `The expensive pools (by the \`${POOL_LABEL}\` label: gpu, cfd) have scalingConfig.minSize 0, so an idle pool costs nothing, and a maxSize no larger than the cap (default ${DEFAULT_MAX_SIZE_CAP}), ` +
    "so a runaway queue cannot buy an unbounded fleet. Comparable to Pulumi's premium autoscaling-limit policies; no CIS/FSBP control covers cost.",
  severity: "medium",
  remediation: "Set `scalingConfig: { minSize: 0, maxSize: <= cap }` and let cluster-autoscaler wake the pool (node-template tags on the ASG).",
  frameworks: ["abode:cost:scale-to-zero"],
  config: {
    pools: { type: "array", items: { type: "string" }, default: SCALE_TO_ZERO_POOLS, description: "Pools that must scale from zero." },
    maxSizeCap: { type: "integer", minimum: 1, default: DEFAULT_MAX_SIZE_CAP, description: "The largest maxSize those pools may have." },
  },
  validateResource(resource, config) {
    if (!NODE_GROUP_TYPES.has(resource.type)) return [];
    const pool = poolOf(resource);
    const pools = (config?.pools ?? SCALE_TO_ZERO_POOLS) as string[];
    if (pool === undefined || !pools.includes(pool)) return [];
    const cap = Number(config?.maxSizeCap ?? DEFAULT_MAX_SIZE_CAP);
    const scaling = resource.props.scalingConfig ?? {};
    const problems: string[] = [];
    if (Number(scaling.minSize ?? 1) !== 0) problems.push(`pool ${pool} has minSize ${scaling.minSize ?? "unset (1)"}, not 0`);
    if (scaling.maxSize === undefined) problems.push(`pool ${pool} has no maxSize`);
    else if (Number(scaling.maxSize) > cap) problems.push(`pool ${pool} has maxSize ${scaling.maxSize}, above the cap of ${cap}`);
    return problems;
  },
};
