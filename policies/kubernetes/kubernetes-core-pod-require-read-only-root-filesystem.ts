import type { ResourcePolicy } from "../core/policy";
import { containerRefs, forEachPod } from "./pods";

export const kubernetesCorePodRequireReadOnlyRootFilesystem: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-require-read-only-root-filesystem",
  pack: "security",
  description:
    "Every container (init and ephemeral included) runs with `securityContext.readOnlyRootFilesystem: true`, so a compromised process cannot alter its binaries. " +
    "Matches kube-linter `no-read-only-root-fs`, Polaris `notReadOnlyRootFilesystem`.",
  severity: "medium",
  remediation:
    "Set `securityContext.readOnlyRootFilesystem: true` and mount an emptyDir at each path the process writes to (/tmp, caches), " +
    "in the workload spec's `security.writablePaths`.",
  frameworks: ["kube-linter:no-read-only-root-fs", "polaris:notReadOnlyRootFilesystem"],
  validateResource: (resource) =>
    forEachPod(resource, (target) =>
      containerRefs(target)
        .filter((c) => c.container.securityContext?.readOnlyRootFilesystem !== true)
        .map((c) => {
          const v = c.container.securityContext?.readOnlyRootFilesystem;
          return `${c.label}: ${c.path}.securityContext.readOnlyRootFilesystem is ${v === undefined ? "not set" : String(v)} (must be true)`;
        }),
    ),
};
