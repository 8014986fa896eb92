import type { ResourcePolicy } from "../core/policy";
import { containerRefs, forEachPod, show } from "./pods";

export const kubernetesCorePodDisallowUnmaskedProcMount: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-disallow-unmasked-proc-mount",
  pack: "security",
  description:
    "Containers keep the runtime's masked /proc (`securityContext.procMount` unset or `Default`, also with `hostUsers: false`). " +
    "Matches Pod Security Standards baseline `procMount` (v1.33), kube-linter `unsafe-proc-mount`.",
  severity: "high",
  remediation: "Remove `securityContext.procMount` from the container or set it to `Default`.",
  frameworks: ["pss:baseline:procMount", "kube-linter:unsafe-proc-mount"],
  validateResource: (resource) =>
    forEachPod(resource, (target) =>
      containerRefs(target)
        .filter((c) => c.container.securityContext?.procMount !== undefined && c.container.securityContext.procMount !== "Default")
        .map((c) => `${c.label}: ${c.path}.securityContext.procMount is ${show(c.container.securityContext.procMount)} (must be "Default" or unset)`),
    ),
};
