import type { ResourcePolicy } from "../core/policy";
import { containerRefs, forEachPod, show } from "./pods";

/** Capabilities the baseline level lets a container add (the container runtime's defaults). Compared exactly, like pod-security-admission. */
export const BASELINE_CAPABILITIES: readonly string[] = [
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
];

export const kubernetesCorePodRestrictAddedCapabilities: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-restrict-added-capabilities",
  pack: "security",
  description:
    "Containers add no Linux capability beyond the runtime's default set (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT; " +
    "names compared exactly, so `CAP_CHOWN` or `chown` are refused). Matches Pod Security Standards baseline `capabilities_baseline`, Polaris `dangerousCapabilities`.",
  severity: "high",
  remediation:
    "Remove the capability from `securityContext.capabilities.add`. If the process truly needs it (e.g. NET_ADMIN for a CNI agent), run it in a dedicated namespace " +
    "enforcing the `privileged` level with a documented reason.",
  frameworks: ["pss:baseline:capabilities_baseline", "polaris:dangerousCapabilities"],
  validateResource: (resource) =>
    forEachPod(resource, (target) =>
      containerRefs(target).flatMap((c) =>
        ((c.container.securityContext?.capabilities?.add as unknown[] | undefined) ?? [])
          .map((cap, j) => [cap, j] as const)
          .filter(([cap]) => !BASELINE_CAPABILITIES.includes(cap as string))
          .map(([cap, j]) => `${c.label}: ${c.path}.securityContext.capabilities.add[${j}] is ${show(cap)} (not in the baseline set)`),
      ),
    ),
};
