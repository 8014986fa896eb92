import type { ResourcePolicy } from "../core/policy";
import { forEachPod, show } from "./pods";

export const kubernetesCorePodDisallowHostPathVolumes: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-disallow-host-path-volumes",
  pack: "security",
  description:
    "Pods mount no hostPath volume: a host path exposes the node's files (credentials, the container runtime socket, other pods' data) to the container. " +
    "Matches Pod Security Standards baseline `hostPathVolumes`; covers kube-linter `sensitive-host-mounts` and `docker-sock`.",
  severity: "high",
  remediation:
    "Replace the hostPath volume with an emptyDir (scratch space), a PersistentVolumeClaim (state) or a ConfigMap/Secret (configuration). " +
    "A node agent that must read host files (a log shipper) belongs in its own namespace enforcing the `privileged` level, reviewed and documented as an exception.",
  frameworks: ["pss:baseline:hostPathVolumes", "kube-linter:sensitive-host-mounts", "kube-linter:docker-sock"],
  validateResource: (resource) =>
    forEachPod(resource, (target) =>
      ((target.pod.volumes as any[] | undefined) ?? []).flatMap((v, i) =>
        v?.hostPath ? [`${target.specPath}.volumes[${i}] "${v.name}" is a hostPath volume (path ${show(v.hostPath.path)})`] : [],
      ),
    ),
};
