import type { AuditResource, StackPolicy } from "../core/policy";
import { describe, isKind, mapSelectorMatches, namespaceOf, podTargets } from "./pods";

export const kubernetesCoreServiceRequireMatchingSelector: StackPolicy = {
  kind: "stack",
  name: "kubernetes-core-service-require-matching-selector",
  pack: "reliability",
  description:
    "Every Service with a selector selects the pod template of some workload in its namespace (ECK pod templates included), so it has endpoints. " +
    "Services without a selector (ExternalName, manual EndpointSlices) are exempt. Matches kube-linter `dangling-service`.",
  severity: "medium",
  remediation: "Make the Service's `spec.selector` a subset of the target workload's pod template labels, in the same namespace.",
  frameworks: ["kube-linter:dangling-service"],
  validateStack: (resources) => {
    const pods = resources.flatMap((r) => podTargets(r).map((t) => ({ ns: namespaceOf(r), labels: t.labels })));
    const out: { resource: AuditResource; message: string }[] = [];
    for (const r of resources) {
      if (!isKind(r, "core", "Service") || r.props?.spec?.type === "ExternalName") continue;
      const selector = r.props?.spec?.selector as Record<string, string> | undefined;
      if (!selector || Object.keys(selector).length === 0) continue;
      const ns = namespaceOf(r);
      if (!pods.some((p) => p.ns === ns && mapSelectorMatches(selector, p.labels)))
        out.push({ resource: r, message: `${describe(r)}: spec.selector ${JSON.stringify(selector)} selects no pod template in namespace ${ns}` });
    }
    return out;
  },
};
