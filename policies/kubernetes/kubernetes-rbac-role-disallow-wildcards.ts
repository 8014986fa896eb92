import type { ResourcePolicy } from "../core/policy";
import { describe, isKind } from "./pods";

export const kubernetesRbacRoleDisallowWildcards: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-rbac-role-disallow-wildcards",
  pack: "security",
  description:
    "No Role or ClusterRole rule uses `*` in verbs, resources or apiGroups: a wildcard grants whatever the API adds later (new CRDs included). " +
    "Matches CIS EKS Benchmark v1.7.0 4.1.3, kube-linter `wildcard-in-rules`.",
  severity: "high",
  remediation: "List the exact apiGroups, resources and verbs the subject uses (e.g. `apiGroups: [\"\"], resources: [\"pods\"], verbs: [\"get\", \"list\", \"watch\"]`).",
  frameworks: ["cis-eks:4.1.3", "kube-linter:wildcard-in-rules"],
  validateResource: (resource) => {
    if (!isKind(resource, "rbac.authorization.k8s.io", "Role", "ClusterRole")) return [];
    return ((resource.props?.rules as any[] | undefined) ?? []).flatMap((rule, i) =>
      (["verbs", "resources", "apiGroups"] as const)
        .filter((f) => ((rule?.[f] as string[] | undefined) ?? []).some((v) => v === "*" || (f === "resources" && typeof v === "string" && v.startsWith("*/"))))
        .map((f) => `${describe(resource)}: rules[${i}].${f} contains "*"`),
    );
  },
};
