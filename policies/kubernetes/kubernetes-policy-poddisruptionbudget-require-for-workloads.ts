import type { AuditResource, StackPolicy } from "../core/policy";
import { isReplicated, minimumReplicas, percent } from "./availability";
import { PROD_SETTING, setting } from "./config";
import { describe, isKind, namespaceOf, podTargets, selectorMatches } from "./pods";


/** Why a PodDisruptionBudget allows no voluntary disruption of `replicas` pods, or undefined when it allows one. */
export function blocksDisruption(pdb: AuditResource, replicas: number): string | undefined {
  const spec = pdb.props?.spec ?? {};
  const { maxUnavailable, minAvailable } = spec;
  if (maxUnavailable !== undefined && maxUnavailable !== null) {
    const p = percent(maxUnavailable);
    const allowed = p !== undefined ? Math.ceil((p * replicas) / 100) : Number(maxUnavailable);
    return allowed > 0 ? undefined : `maxUnavailable ${JSON.stringify(maxUnavailable)} allows no disruption`;
  }
  if (minAvailable !== undefined && minAvailable !== null) {
    const p = percent(minAvailable);
    const needed = p !== undefined ? Math.ceil((p * replicas) / 100) : Number(minAvailable);
    return needed < replicas ? undefined : `minAvailable ${JSON.stringify(minAvailable)} with ${replicas} replica(s) allows no disruption`;
  }
  return "sets neither maxUnavailable nor minAvailable";
}

export const kubernetesPolicyPoddisruptionbudgetRequireForWorkloads: StackPolicy = {
  kind: "stack",
  name: "kubernetes-policy-poddisruptionbudget-require-for-workloads",
  pack: "reliability",
  description:
    "In prod (config `prod: true`), every Deployment and StatefulSet has a PodDisruptionBudget in its namespace whose selector selects its pods and which allows at least one " +
    "voluntary disruption at its minimum replicas (so node drains neither take all replicas nor block forever). Matches Polaris `missingPodDisruptionBudget`, " +
    "`pdbDisruptionsIsZero`, kube-linter `pdb-max-unavailable`, `pdb-min-available`.",
  severity: "medium",
  remediation:
    "Add a `policy/v1` PodDisruptionBudget with the workload's selector and `maxUnavailable: 1` (or a `minAvailable` below the replica count).",
  frameworks: ["polaris:missingPodDisruptionBudget", "polaris:pdbDisruptionsIsZero", "kube-linter:pdb-max-unavailable", "kube-linter:pdb-min-available"],
  config: PROD_SETTING,
  validateStack(resources: AuditResource[], config?: Record<string, any>) {
    if (!setting(PROD_SETTING, "prod", config)) return [];
    const pdbs = resources.filter((r) => isKind(r, "policy", "PodDisruptionBudget"));
    return resources.filter(isReplicated).flatMap((r) => {
      const labels = podTargets(r)[0]?.labels ?? {};
      const mine = pdbs.filter((p) => namespaceOf(p) === namespaceOf(r) && selectorMatches(p.props?.spec?.selector, labels));
      if (mine.length === 0) return [{ resource: r, message: `${describe(r)}: no PodDisruptionBudget in namespace ${namespaceOf(r)} selects its pods` }];
      const { replicas } = minimumReplicas(r, resources);
      const reasons = mine.map((p) => [p, blocksDisruption(p, replicas)] as const);
      if (reasons.some(([, why]) => why === undefined)) return [];
      return [{ resource: r, message: `${describe(r)}: ${reasons.map(([p, why]) => `PodDisruptionBudget ${p.props?.metadata?.name ?? p.name} ${why}`).join("; ")}` }];
    });
  },
};
