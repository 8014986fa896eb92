import type { ResourcePolicy } from "../core/policy";
import { containerRefs, forEachPod } from "./pods";

export const kubernetesCorePodDisallowHostPorts: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-disallow-host-ports",
  pack: "security",
  description:
    "No container port is bound on the node (ports[*].hostPort unset or 0): a host port bypasses NetworkPolicies and pins the pod to nodes where the port is free. " +
    "Matches Pod Security Standards baseline `hostPorts`, Polaris `hostPortSet`.",
  severity: "medium",
  remediation: "Remove `hostPort` from the container's ports and reach the pod through a Service (ClusterIP, or an Ingress/load balancer in front of it).",
  frameworks: ["pss:baseline:hostPorts", "polaris:hostPortSet"],
  validateResource: (resource) =>
    forEachPod(resource, (target) =>
      containerRefs(target).flatMap((c) =>
        ((c.container.ports as any[] | undefined) ?? []).flatMap((p, j) =>
          p?.hostPort !== undefined && p?.hostPort !== null && Number(p.hostPort) !== 0 ? [`${c.label}: ${c.path}.ports[${j}].hostPort is ${p.hostPort} (must be 0 or unset)`] : [],
        ),
      ),
    ),
};
