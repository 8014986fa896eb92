import type { AuditPolicy } from "../core/policy";
import { kubernetesCoreConfigmapDisallowSecrets } from "./kubernetes-core-configmap-disallow-secrets";
import { kubernetesCorePodDisableServiceAccountTokenAutomount } from "./kubernetes-core-pod-disable-service-account-token-automount";
import { kubernetesCorePodDisallowDefaultServiceAccount } from "./kubernetes-core-pod-disallow-default-service-account";
import { kubernetesCorePodDisallowHostNamespaces } from "./kubernetes-core-pod-disallow-host-namespaces";
import { kubernetesCorePodDisallowHostPathVolumes } from "./kubernetes-core-pod-disallow-host-path-volumes";
import { kubernetesCorePodDisallowHostPorts } from "./kubernetes-core-pod-disallow-host-ports";
import { kubernetesCorePodDisallowLiteralSecretsInEnv } from "./kubernetes-core-pod-disallow-literal-secrets-in-env";
import { kubernetesCorePodDisallowPrivilegeEscalation } from "./kubernetes-core-pod-disallow-privilege-escalation";
import { kubernetesCorePodDisallowPrivilegedContainers } from "./kubernetes-core-pod-disallow-privileged-containers";
import { kubernetesCorePodDisallowRootUser } from "./kubernetes-core-pod-disallow-root-user";
import { kubernetesCorePodDisallowUnconfinedSeccomp } from "./kubernetes-core-pod-disallow-unconfined-seccomp";
import { kubernetesCorePodDisallowUnmaskedProcMount } from "./kubernetes-core-pod-disallow-unmasked-proc-mount";
import { kubernetesCorePodDisallowWindowsHostProcess } from "./kubernetes-core-pod-disallow-windows-host-process";
import { kubernetesCorePodRequireDropAllCapabilities } from "./kubernetes-core-pod-require-drop-all-capabilities";
import { kubernetesCorePodRequirePinnedImages } from "./kubernetes-core-pod-require-pinned-images";
import { kubernetesCorePodRequireReadOnlyRootFilesystem } from "./kubernetes-core-pod-require-read-only-root-filesystem";
import { kubernetesCorePodRequireRunAsNonRoot } from "./kubernetes-core-pod-require-run-as-non-root";
import { kubernetesCorePodRequireSeccompProfile } from "./kubernetes-core-pod-require-seccomp-profile";
import { kubernetesCorePodRestrictAddedCapabilities } from "./kubernetes-core-pod-restrict-added-capabilities";
import { kubernetesCorePodRestrictApparmorProfile } from "./kubernetes-core-pod-restrict-apparmor-profile";
import { kubernetesCorePodRestrictImageRegistries } from "./kubernetes-core-pod-restrict-image-registries";
import { kubernetesCorePodRestrictSelinuxOptions } from "./kubernetes-core-pod-restrict-selinux-options";
import { kubernetesCorePodRestrictSysctls } from "./kubernetes-core-pod-restrict-sysctls";
import { kubernetesCorePodRestrictVolumeTypes } from "./kubernetes-core-pod-restrict-volume-types";
import { kubernetesCoreServiceDisallowNodePort } from "./kubernetes-core-service-disallow-node-port";
import { kubernetesNetworkingIngressRequireTls } from "./kubernetes-networking-ingress-require-tls";
import { kubernetesNetworkingNetworkpolicyRequireWorkloadIsolation } from "./kubernetes-networking-networkpolicy-require-workload-isolation";
import { kubernetesRbacRoleDisallowWildcards } from "./kubernetes-rbac-role-disallow-wildcards";
import { kubernetesRbacRolebindingDisallowClusterAdmin } from "./kubernetes-rbac-rolebinding-disallow-cluster-admin";
import { kubernetesAppsDeploymentRequireMinReplicas } from "./kubernetes-apps-deployment-require-min-replicas";
import { kubernetesAppsDeploymentRequireRollingUpdate } from "./kubernetes-apps-deployment-require-rolling-update";
import { kubernetesAppsWorkloadRequireMatchingSelector } from "./kubernetes-apps-workload-require-matching-selector";
import { kubernetesAutoscalingHorizontalpodautoscalerRequireValidReplicas } from "./kubernetes-autoscaling-horizontalpodautoscaler-require-valid-replicas";
import { kubernetesBatchJobRequireTtlAfterFinished } from "./kubernetes-batch-job-require-ttl-after-finished";
import { kubernetesCorePodRequireProbePorts } from "./kubernetes-core-pod-require-probe-ports";
import { kubernetesCorePodRequireProbes } from "./kubernetes-core-pod-require-probes";
import { kubernetesCorePodRequireResources } from "./kubernetes-core-pod-require-resources";
import { kubernetesCorePodRequireTopologySpread } from "./kubernetes-core-pod-require-topology-spread";
import { kubernetesCoreServiceRequireMatchingSelector } from "./kubernetes-core-service-require-matching-selector";
import { kubernetesPolicyPoddisruptionbudgetRequireForWorkloads } from "./kubernetes-policy-poddisruptionbudget-require-for-workloads";
import { kubernetesCorePodRestrictRequestsToLimits } from "./kubernetes-core-pod-restrict-requests-to-limits";

export * from "./config";
export { parseQuantity } from "./quantity";
export { parseImage } from "./images";
export { podTargets, containerRefs, type PodTarget, type ContainerRef } from "./pods";

/**
 * Every Kubernetes policy: security (Pod Security Standards baseline + restricted, supply chain, secrets,
 * network and access), then reliability, then cost. Each says its pack in `pack`. Those with settings
 * (`prod`, `allowedRegistries`, `immutableRegistries`) declare them in `config` (core schema, with defaults).
 */
export const KUBERNETES_POLICIES: AuditPolicy[] = [
  kubernetesCoreConfigmapDisallowSecrets,
  kubernetesCorePodDisableServiceAccountTokenAutomount,
  kubernetesCorePodDisallowDefaultServiceAccount,
  kubernetesCorePodDisallowHostNamespaces,
  kubernetesCorePodDisallowHostPathVolumes,
  kubernetesCorePodDisallowHostPorts,
  kubernetesCorePodDisallowLiteralSecretsInEnv,
  kubernetesCorePodDisallowPrivilegeEscalation,
  kubernetesCorePodDisallowPrivilegedContainers,
  kubernetesCorePodDisallowRootUser,
  kubernetesCorePodDisallowUnconfinedSeccomp,
  kubernetesCorePodDisallowUnmaskedProcMount,
  kubernetesCorePodDisallowWindowsHostProcess,
  kubernetesCorePodRequireDropAllCapabilities,
  kubernetesCorePodRequirePinnedImages,
  kubernetesCorePodRequireReadOnlyRootFilesystem,
  kubernetesCorePodRequireRunAsNonRoot,
  kubernetesCorePodRequireSeccompProfile,
  kubernetesCorePodRestrictAddedCapabilities,
  kubernetesCorePodRestrictApparmorProfile,
  kubernetesCorePodRestrictImageRegistries,
  kubernetesCorePodRestrictSelinuxOptions,
  kubernetesCorePodRestrictSysctls,
  kubernetesCorePodRestrictVolumeTypes,
  kubernetesCoreServiceDisallowNodePort,
  kubernetesNetworkingIngressRequireTls,
  kubernetesNetworkingNetworkpolicyRequireWorkloadIsolation,
  kubernetesRbacRoleDisallowWildcards,
  kubernetesRbacRolebindingDisallowClusterAdmin,
  kubernetesAppsDeploymentRequireMinReplicas,
  kubernetesAppsDeploymentRequireRollingUpdate,
  kubernetesAppsWorkloadRequireMatchingSelector,
  kubernetesAutoscalingHorizontalpodautoscalerRequireValidReplicas,
  kubernetesBatchJobRequireTtlAfterFinished,
  kubernetesCorePodRequireProbePorts,
  kubernetesCorePodRequireProbes,
  kubernetesCorePodRequireResources,
  kubernetesCorePodRequireTopologySpread,
  kubernetesCoreServiceRequireMatchingSelector,
  kubernetesPolicyPoddisruptionbudgetRequireForWorkloads,
  kubernetesCorePodRestrictRequestsToLimits,
];
