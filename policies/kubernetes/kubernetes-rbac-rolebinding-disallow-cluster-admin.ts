import type { ResourcePolicy } from "../core/policy";
import { describe, isKind } from "./pods";

export const kubernetesRbacRolebindingDisallowClusterAdmin: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-rbac-rolebinding-disallow-cluster-admin",
  pack: "security",
  description:
    "No ClusterRoleBinding or RoleBinding grants the `cluster-admin` ClusterRole. Matches CIS EKS Benchmark v1.7.0 4.1.1, kube-linter `cluster-admin-role-binding`, " +
    "Polaris `clusterrolebindingClusterAdmin`, `rolebindingClusterAdminClusterRole`.",
  severity: "critical",
  remediation:
    "Bind the subject to a Role/ClusterRole listing only the verbs and resources it uses. Cluster administrators get access through EKS access entries " +
    "(AmazonEKSClusterAdminPolicy) for humans, not bindings in the stack.",
  frameworks: ["cis-eks:4.1.1", "kube-linter:cluster-admin-role-binding", "polaris:clusterrolebindingClusterAdmin", "polaris:rolebindingClusterAdminClusterRole"],
  validateResource: (resource) => {
    if (!isKind(resource, "rbac.authorization.k8s.io", "ClusterRoleBinding", "RoleBinding")) return [];
    const ref = resource.props?.roleRef;
    if (ref?.name !== "cluster-admin" || (ref?.kind && ref.kind !== "ClusterRole")) return [];
    const subjects = ((resource.props?.subjects as any[] | undefined) ?? []).map((s) => `${s?.kind} ${s?.namespace ? `${s.namespace}/` : ""}${s?.name}`);
    return [`${describe(resource)}: roleRef is ClusterRole "cluster-admin" (subjects: ${subjects.join(", ") || "none"})`];
  },
};
