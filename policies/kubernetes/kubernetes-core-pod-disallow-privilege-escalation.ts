import type { ResourcePolicy } from "../core/policy";
import { containerRefs, forEachPod } from "./pods";

export const kubernetesCorePodDisallowPrivilegeEscalation: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-disallow-privilege-escalation",
  pack: "security",
  description:
    "Every container sets `securityContext.allowPrivilegeEscalation: false` explicitly (unset means allowed), so setuid binaries cannot gain privileges; " +
    "pods with `spec.os.name: windows` are exempt. Matches Pod Security Standards restricted `allowPrivilegeEscalation`, CIS EKS Benchmark v1.7.0 4.2.5, " +
    "kube-linter `privilege-escalation-container`, Polaris `privilegeEscalationAllowed`.",
  severity: "high",
  remediation: "Set `securityContext.allowPrivilegeEscalation: false` on every container, init and ephemeral containers included.",
  frameworks: ["pss:restricted:allowPrivilegeEscalation", "cis-eks:4.2.5", "kube-linter:privilege-escalation-container", "polaris:privilegeEscalationAllowed"],
  validateResource: (resource) =>
    forEachPod(resource, (target) => {
      if (target.pod.os?.name === "windows") return [];
      return containerRefs(target)
        .filter((c) => c.container.securityContext?.allowPrivilegeEscalation !== false)
        .map((c) => {
          const v = c.container.securityContext?.allowPrivilegeEscalation;
          return `${c.label}: ${c.path}.securityContext.allowPrivilegeEscalation is ${v === undefined ? "not set (defaults to true)" : String(v)} (must be false)`;
        });
    }),
};
