import type { ResourcePolicy } from "../core/policy";
import { forEachPod } from "./pods";

/** Volume sources the restricted level allows (pod-security-admission restrictedVolumes, v1.33). */
export const RESTRICTED_VOLUME_TYPES: readonly string[] = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

export const kubernetesCorePodRestrictVolumeTypes: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-restrict-volume-types",
  pack: "security",
  description:
    "Pod volumes are only of the types the restricted level allows: configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret " +
    "(no hostPath, no in-tree network or cloud volumes such as nfs, iscsi, awsElasticBlockStore, gitRepo). Matches Pod Security Standards restricted `restrictedVolumes` (v1.33).",
  severity: "medium",
  remediation:
    "Declare storage through a PersistentVolumeClaim (its StorageClass/CSI driver picks the backend) or a CSI inline volume; use emptyDir for scratch and " +
    "configMap/secret/projected for configuration. Remove hostPath and in-tree volume sources from the pod spec.",
  frameworks: ["pss:restricted:restrictedVolumes"],
  validateResource: (resource) =>
    forEachPod(resource, (target) =>
      ((target.pod.volumes as any[] | undefined) ?? []).flatMap((v, i) => {
        const bad = Object.keys(v ?? {}).filter((k) => k !== "name" && v[k] !== null && v[k] !== undefined && !RESTRICTED_VOLUME_TYPES.includes(k));
        return bad.length ? [`${target.specPath}.volumes[${i}] "${v.name}" uses volume type ${bad.join(", ")} (allowed: ${RESTRICTED_VOLUME_TYPES.join(", ")})`] : [];
      }),
    ),
};
