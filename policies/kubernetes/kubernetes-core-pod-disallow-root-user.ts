import type { ResourcePolicy } from "../core/policy";
import { containerRefs, forEachPod } from "./pods";

export const kubernetesCorePodDisallowRootUser: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-disallow-root-user",
  pack: "security",
  description:
    "Neither the pod nor any container sets `securityContext.runAsUser: 0` (uid 0 is root, whatever runAsNonRoot says). " +
    "Matches Pod Security Standards restricted `runAsUser`; complements kube-linter `run-as-non-root` and Polaris `runAsRootAllowed`.",
  severity: "high",
  remediation: "Set `runAsUser` to a non-zero uid the image's files are readable by (e.g. 1000), on the pod's securityContext, and remove `runAsUser: 0` from containers.",
  frameworks: ["pss:restricted:runAsUser", "kube-linter:run-as-non-root", "polaris:runAsRootAllowed"],
  validateResource: (resource) =>
    forEachPod(resource, (target) => {
      const out: string[] = [];
      if (target.pod.securityContext?.runAsUser === 0) out.push(`${target.specPath}.securityContext.runAsUser is 0 (must be non-zero)`);
      for (const c of containerRefs(target))
        if (c.container.securityContext?.runAsUser === 0) out.push(`${c.label}: ${c.path}.securityContext.runAsUser is 0 (must be non-zero)`);
      return out;
    }),
};
