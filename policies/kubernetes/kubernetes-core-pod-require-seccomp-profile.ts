import type { ResourcePolicy } from "../core/policy";
import { containerRefs, forEachPod, show } from "./pods";

const ALLOWED = ["RuntimeDefault", "Localhost"];

export const kubernetesCorePodRequireSeccompProfile: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-require-seccomp-profile",
  pack: "security",
  description:
    "Every container runs under a seccomp profile: `seccompProfile.type` RuntimeDefault or Localhost on the pod's securityContext, or on every container's " +
    "(a container's setting overrides the pod's); pods with `spec.os.name: windows` are exempt. Matches Pod Security Standards restricted `seccompProfile_restricted`.",
  severity: "medium",
  remediation: "Set `spec.securityContext.seccompProfile: { type: RuntimeDefault }` and remove container-level profiles other than RuntimeDefault/Localhost.",
  frameworks: ["pss:restricted:seccompProfile_restricted"],
  validateResource: (resource) =>
    forEachPod(resource, (target) => {
      if (target.pod.os?.name === "windows") return [];
      const podType = target.pod.securityContext?.seccompProfile?.type;
      const podValid = ALLOWED.includes(podType);
      const out: string[] = [];
      if (podType !== undefined && !podValid) out.push(`${target.specPath}.securityContext.seccompProfile.type is ${show(podType)} (must be RuntimeDefault or Localhost)`);
      for (const c of containerRefs(target)) {
        const t = c.container.securityContext?.seccompProfile?.type;
        if (t !== undefined && !ALLOWED.includes(t)) out.push(`${c.label}: ${c.path}.securityContext.seccompProfile.type is ${show(t)} (must be RuntimeDefault or Localhost)`);
        else if (t === undefined && !podValid)
          out.push(`${c.label}: seccompProfile.type is set neither on ${c.path}.securityContext nor on ${target.specPath}.securityContext (must be RuntimeDefault or Localhost)`);
      }
      return out;
    }),
};
