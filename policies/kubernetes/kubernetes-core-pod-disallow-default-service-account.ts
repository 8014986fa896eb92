import type { ResourcePolicy } from "../core/policy";
import { forEachPod } from "./pods";

export const kubernetesCorePodDisallowDefaultServiceAccount: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-disallow-default-service-account",
  pack: "security",
  description:
    "Pods run under a dedicated ServiceAccount, never the namespace's `default` one (serviceAccountName unset, empty or \"default\"), so RBAC and IRSA grants stay per workload. " +
    "Matches CIS EKS Benchmark v1.7.0 4.1.5, kube-linter `default-service-account`.",
  severity: "medium",
  remediation:
    "Create a ServiceAccount for the workload (automountServiceAccountToken: false unless it calls the API) and set `serviceAccountName` on its pod spec " +
    "(for ECK resources, in `podTemplate.spec`).",
  frameworks: ["cis-eks:4.1.5", "kube-linter:default-service-account"],
  validateResource: (resource) =>
    forEachPod(resource, (target) => {
      const sa = target.pod.serviceAccountName || target.pod.serviceAccount;
      if (sa && sa !== "default") return [];
      return [`${target.specPath}.serviceAccountName is ${sa ? '"default"' : "not set"} (the pods run as the namespace's default ServiceAccount)`];
    }),
};
