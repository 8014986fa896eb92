import type { ResourcePolicy } from "../core/policy";
import { forEachPod } from "./pods";

const FIELDS = [
  ["hostNetwork", "cis-eks:4.2.4"],
  ["hostPID", "cis-eks:4.2.2"],
  ["hostIPC", "cis-eks:4.2.3"],
] as const;

export const kubernetesCorePodDisallowHostNamespaces: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-disallow-host-namespaces",
  pack: "security",
  description:
    "Pods do not share the node's network, process or IPC namespace (hostNetwork, hostPID, hostIPC unset or false). " +
    "Matches Pod Security Standards baseline `hostNamespaces`, CIS EKS Benchmark v1.7.0 4.2.2 (hostPID), 4.2.3 (hostIPC), 4.2.4 (hostNetwork), " +
    "kube-linter `host-network`, `host-pid`, `host-ipc`, Polaris `hostNetworkSet`, `hostPIDSet`, `hostIPCSet`.",
  severity: "high",
  remediation:
    "Remove `hostNetwork`, `hostPID` and `hostIPC` from the pod spec (or set them to false). Expose the workload through a Service instead of the node's network; " +
    "read other pods' data through the Kubernetes API or a sidecar, not the host's process table.",
  frameworks: [
    "pss:baseline:hostNamespaces",
    "cis-eks:4.2.2",
    "cis-eks:4.2.3",
    "cis-eks:4.2.4",
    "kube-linter:host-network",
    "kube-linter:host-pid",
    "kube-linter:host-ipc",
    "polaris:hostNetworkSet",
    "polaris:hostPIDSet",
    "polaris:hostIPCSet",
  ],
  validateResource: (resource) =>
    forEachPod(resource, (target) =>
      FIELDS.filter(([field]) => target.pod[field] === true).map(([field]) => `${target.specPath}.${field} is true (must be false or unset)`),
    ),
};
