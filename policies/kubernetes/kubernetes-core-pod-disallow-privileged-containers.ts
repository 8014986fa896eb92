import type { ResourcePolicy } from "../core/policy";
import { containerRefs, forEachPod } from "./pods";

export const kubernetesCorePodDisallowPrivilegedContainers: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-disallow-privileged-containers",
  pack: "security",
  description:
    "No container (init and ephemeral included) runs privileged (securityContext.privileged true), which gives it every capability and the host's devices. " +
    "Matches Pod Security Standards baseline `privileged`, CIS EKS Benchmark v1.7.0 4.2.1, kube-linter `privileged-container`, Polaris `runAsPrivileged`.",
  severity: "critical",
  remediation:
    "Remove `securityContext.privileged: true` from the container (or set it to false). Add back only the single capability the process needs " +
    "(`capabilities.add`), or move node-level work into a DaemonSet managed by the platform team in a namespace labelled `pod-security.kubernetes.io/enforce: privileged`.",
  frameworks: ["pss:baseline:privileged", "cis-eks:4.2.1", "kube-linter:privileged-container", "polaris:runAsPrivileged"],
  validateResource: (resource) =>
    forEachPod(resource, (target) =>
      containerRefs(target)
        .filter((c) => c.container.securityContext?.privileged === true)
        .map((c) => `${c.label}: ${c.path}.securityContext.privileged is true (must be false or unset)`),
    ),
};
