import type { ResourcePolicy } from "../core/policy";
import { containerRefs, forEachPod, show } from "./pods";

/** SELinux types the baseline level allows (v1.31+: container_engine_t too). */
export const ALLOWED_SELINUX_TYPES: readonly string[] = ["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

function check(options: any, path: string, prefix: string): string[] {
  if (!options || typeof options !== "object") return [];
  const out: string[] = [];
  if (options.type !== undefined && !ALLOWED_SELINUX_TYPES.includes(options.type))
    out.push(`${prefix}${path}.seLinuxOptions.type is ${show(options.type)} (allowed: container_t, container_init_t, container_kvm_t, container_engine_t)`);
  for (const field of ["user", "role"] as const)
    if (options[field] !== undefined && options[field] !== "") out.push(`${prefix}${path}.seLinuxOptions.${field} is ${show(options[field])} (must be unset)`);
  return out;
}

export const kubernetesCorePodRestrictSelinuxOptions: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-restrict-selinux-options",
  pack: "security",
  description:
    "SELinux options (pod and container securityContext) set no custom user or role, and a type only among container_t, container_init_t, container_kvm_t, container_engine_t. " +
    "Matches Pod Security Standards baseline `seLinuxOptions`.",
  severity: "high",
  remediation: "Remove `seLinuxOptions.user` and `.role`, and either remove `.type` or set an allowed container type; `level` (MCS categories) may stay.",
  frameworks: ["pss:baseline:seLinuxOptions"],
  validateResource: (resource) =>
    forEachPod(resource, (target) => [
      ...check(target.pod.securityContext?.seLinuxOptions, `${target.specPath}.securityContext`, ""),
      ...containerRefs(target).flatMap((c) => check(c.container.securityContext?.seLinuxOptions, `${c.path}.securityContext`, `${c.label}: `)),
    ]),
};
