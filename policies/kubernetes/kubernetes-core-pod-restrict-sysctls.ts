import type { ResourcePolicy } from "../core/policy";
import { forEachPod, show } from "./pods";

/** The namespaced "safe" sysctls of the baseline level, v1.33. */
export const SAFE_SYSCTLS: readonly string[] = [
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
  "net.ipv4.tcp_rmem",
  "net.ipv4.tcp_wmem",
];

export const kubernetesCorePodRestrictSysctls: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-restrict-sysctls",
  pack: "security",
  description:
    "Pods set only the safe, namespaced sysctls (spec.securityContext.sysctls): kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, ip_unprivileged_port_start, " +
    "tcp_syncookies, ping_group_range, ip_local_reserved_ports, tcp_keepalive_time/intvl/probes, tcp_fin_timeout, tcp_rmem, tcp_wmem. " +
    "Matches Pod Security Standards baseline `sysctls` (v1.33), kube-linter `unsafe-sysctls`.",
  severity: "high",
  remediation: "Remove the sysctl from `spec.securityContext.sysctls`; node-wide kernel tuning belongs in the node group's launch template or a reviewed node agent.",
  frameworks: ["pss:baseline:sysctls", "kube-linter:unsafe-sysctls"],
  validateResource: (resource) =>
    forEachPod(resource, (target) =>
      ((target.pod.securityContext?.sysctls as any[] | undefined) ?? []).flatMap((s, i) =>
        SAFE_SYSCTLS.includes(s?.name) ? [] : [`${target.specPath}.securityContext.sysctls[${i}].name is ${show(s?.name)} (not a safe sysctl)`],
      ),
    ),
};
