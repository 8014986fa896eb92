import type { ResourcePolicy } from "../core/policy";
import { containerRefs, forEachPod } from "./pods";

export const kubernetesCorePodDisallowUnconfinedSeccomp: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-disallow-unconfined-seccomp",
  pack: "security",
  description:
    "No pod or container turns seccomp off (`securityContext.seccompProfile.type: Unconfined`). Matches Pod Security Standards baseline `seccompProfile_baseline`.",
  severity: "high",
  remediation: "Set `spec.securityContext.seccompProfile.type: RuntimeDefault` (or a `Localhost` profile) and remove `Unconfined` from pod and container securityContexts.",
  frameworks: ["pss:baseline:seccompProfile_baseline"],
  validateResource: (resource) =>
    forEachPod(resource, (target) => {
      const out: string[] = [];
      if (target.pod.securityContext?.seccompProfile?.type === "Unconfined") out.push(`${target.specPath}.securityContext.seccompProfile.type is "Unconfined"`);
      for (const c of containerRefs(target))
        if (c.container.securityContext?.seccompProfile?.type === "Unconfined") out.push(`${c.label}: ${c.path}.securityContext.seccompProfile.type is "Unconfined"`);
      return out;
    }),
};
