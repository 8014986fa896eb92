import type { ResourcePolicy } from "../core/policy";
import { containerRefs, forEachPod } from "./pods";

export const kubernetesCorePodDisallowWindowsHostProcess: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-disallow-windows-host-process",
  pack: "security",
  description:
    "No Windows HostProcess pod or container (`securityContext.windowsOptions.hostProcess: true`), which runs directly on the Windows node with host access. " +
    "Matches Pod Security Standards baseline `windowsHostProcess`.",
  severity: "critical",
  remediation: "Remove `windowsOptions.hostProcess: true` from the pod and container securityContexts.",
  frameworks: ["pss:baseline:windowsHostProcess"],
  validateResource: (resource) =>
    forEachPod(resource, (target) => {
      const out: string[] = [];
      if (target.pod.securityContext?.windowsOptions?.hostProcess === true) out.push(`${target.specPath}.securityContext.windowsOptions.hostProcess is true`);
      for (const c of containerRefs(target))
        if (c.container.securityContext?.windowsOptions?.hostProcess === true) out.push(`${c.label}: ${c.path}.securityContext.windowsOptions.hostProcess is true`);
      return out;
    }),
};
