import type { AuditResource, StackPolicy } from "../core/policy";
import { describe, isKind, namespaceOf, podTargets, selectorMatches } from "./pods";

export const kubernetesNetworkingNetworkpolicyRequireWorkloadIsolation: StackPolicy = {
  kind: "stack",
  name: "kubernetes-networking-networkpolicy-require-workload-isolation",
  pack: "security",
  description:
    "Every workload's pods (ECK pod templates included) are selected by at least one NetworkPolicy in their namespace (an empty podSelector, e.g. a namespace default-deny, " +
    "selects all), so their traffic is limited to what a policy allows. Matches CIS EKS Benchmark v1.7.0 4.3.2, kube-linter `non-isolated-pod`.",
  severity: "high",
  remediation:
    "Create a default-deny NetworkPolicy in the namespace (`podSelector: {}`, policyTypes Ingress and Egress - `namespaceDefaultDeny`) and one policy per workload " +
    "opening exactly its paths (`workloadNetworkPolicy`).",
  frameworks: ["cis-eks:4.3.2", "kube-linter:non-isolated-pod"],
  validateStack: (resources) => {
    const policies = resources.filter((r) => isKind(r, "networking.k8s.io", "NetworkPolicy"));
    const out: { resource: AuditResource; message: string }[] = [];
    for (const r of resources)
      for (const target of podTargets(r)) {
        const ns = namespaceOf(r);
        const selected = policies.some((p) => namespaceOf(p) === ns && selectorMatches(p.props?.spec?.podSelector ?? {}, target.labels));
        if (!selected)
          out.push({ resource: r, message: `${describe(r)}: the pods of ${target.specPath} (labels ${JSON.stringify(target.labels)}) are selected by no NetworkPolicy in namespace ${ns}` });
      }
    return out;
  },
};
