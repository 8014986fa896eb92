import type { ResourcePolicy } from "../core/policy";
import { containerRefs, forEachPod } from "./pods";

export const kubernetesCorePodRequireRunAsNonRoot: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-require-run-as-non-root",
  pack: "security",
  description:
    "Containers must run as non-root: `runAsNonRoot: true` on the pod's securityContext or on every container's, and never `false` on either " +
    "(a container's setting overrides the pod's). Matches Pod Security Standards restricted `runAsNonRoot`, kube-linter `run-as-non-root`, Polaris `runAsRootAllowed`.",
  severity: "high",
  remediation:
    "Set `spec.securityContext.runAsNonRoot: true` (and a numeric non-zero `runAsUser`), remove any container-level `runAsNonRoot: false`, and build the image " +
    "with a numeric non-root USER so the kubelet can verify it.",
  frameworks: ["pss:restricted:runAsNonRoot", "kube-linter:run-as-non-root", "polaris:runAsRootAllowed"],
  validateResource: (resource) =>
    forEachPod(resource, (target) => {
      const podValue = target.pod.securityContext?.runAsNonRoot;
      const out: string[] = [];
      if (podValue === false) out.push(`${target.specPath}.securityContext.runAsNonRoot is false (must be true)`);
      for (const c of containerRefs(target)) {
        const v = c.container.securityContext?.runAsNonRoot;
        if (v === false) out.push(`${c.label}: ${c.path}.securityContext.runAsNonRoot is false (must be true or unset with the pod's true)`);
        else if (v !== true && podValue !== true)
          out.push(`${c.label}: runAsNonRoot is set neither on ${c.path}.securityContext nor on ${target.specPath}.securityContext (must be true)`);
      }
      return out;
    }),
};
