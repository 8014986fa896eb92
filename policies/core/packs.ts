/**
 * The four packs as plain arrays, and how strictly each is enforced on each stack. The same data
 * feeds the CrossGuard packs (policies/<pack>/index.ts, config.<stack>.json) and the offline audit.
 */
import { AWS_POLICIES } from "../aws";
import { CLOUDFLARE_POLICIES } from "../cloudflare";
import { COST_POLICIES } from "../cost/policies";
import { KUBERNETES_POLICIES } from "../kubernetes";
import type { AuditPolicy, EnforcementLevel, PackName } from "./policy";

export type StackName = "dev" | "prod";
export const PACK_NAMES: readonly PackName[] = ["security", "reliability", "cost", "edge"];
export const STACK_NAMES: readonly StackName[] = ["dev", "prod"];

/**
 * Enforcement per stack and pack. Security blocks a prod deployment; reliability, cost and edge
 * advise in prod too: reliability findings (a replica count, a missing PDB) and cost findings are
 * judgement calls an SRE may accept for a while, and the edge lands later (issue 9) — make it
 * mandatory once the Cloudflare stack exists and passes. Dev only ever advises: it is a laptop.
 */
export const ENFORCEMENT: Record<StackName, Record<PackName, EnforcementLevel>> = {
  dev: { security: "advisory", reliability: "advisory", cost: "advisory", edge: "advisory" },
  prod: { security: "mandatory", reliability: "advisory", cost: "advisory", edge: "advisory" },
};

export function enforcementFor(pack: PackName, stack: StackName): EnforcementLevel {
  return ENFORCEMENT[stack][pack];
}

export function isStackName(value: string): value is StackName {
  return (STACK_NAMES as readonly string[]).includes(value);
}

let cached: Record<PackName, AuditPolicy[]> | undefined;

/** Each pack's policies: ours and the Kubernetes ones, by their `pack`. */
export function packs(): Record<PackName, AuditPolicy[]> {
  if (!cached) {
    const all = [...AWS_POLICIES, ...CLOUDFLARE_POLICIES, ...COST_POLICIES, ...KUBERNETES_POLICIES];
    const names = new Set<string>();
    for (const p of all) {
      if (names.has(p.name)) throw new Error(`two policies are named ${p.name}`);
      names.add(p.name);
    }
    cached = Object.fromEntries(PACK_NAMES.map((pack) => [pack, all.filter((p) => p.pack === pack)])) as Record<PackName, AuditPolicy[]>;
  }
  return cached;
}

export function policiesOf(pack: PackName): AuditPolicy[] {
  return packs()[pack];
}

export function allPolicies(): AuditPolicy[] {
  return PACK_NAMES.flatMap((pack) => packs()[pack]);
}

/** The `--policy-pack-config` document for a pack on a stack: each policy's enforcement level. */
export function packConfig(pack: PackName, stack: StackName): Record<string, { enforcementLevel: EnforcementLevel }> {
  return Object.fromEntries(policiesOf(pack).map((p) => [p.name, { enforcementLevel: enforcementFor(pack, stack) }]));
}
