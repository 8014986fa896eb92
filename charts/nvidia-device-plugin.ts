import { POOL_LABEL, POOL_TAINTS } from "../components/cluster/node-pools";
import type { ChartRef } from "./helm-release";
import { poolSelector, resources } from "./common";

/**
 * NVIDIA k8s-device-plugin. 0.17.1 verified: aws-ia/terraform-aws-eks-blueprints
 * `patterns/ml-container-cache/helm.tf` pins this chart at 0.17.1 from this repository, and the
 * matching image `nvcr.io/nvidia/k8s-device-plugin:v0.17.1` appears in upstream-derived manifests.
 */
export const CHART: ChartRef = {
  repository: "https://nvidia.github.io/k8s-device-plugin",
  chart: "nvidia-device-plugin",
  version: "0.17.1",
};

export const IMAGE = { repository: "nvcr.io/nvidia/k8s-device-plugin", tag: "v0.17.1" } as const;

export const NAMESPACE = "nvidia-device-plugin";

export interface NvidiaDevicePluginValuesArgs {
  /** @default { cpu: "50m", memory: "64Mi" } requests, { cpu: "200m", memory: "128Mi" } limits */
  resources?: ReturnType<typeof resources>;
}

/**
 * A DaemonSet on the GPU pool only: it selects the pool label, tolerates exactly the GPU taint,
 * and replaces the chart's default affinity (which keys on Node Feature Discovery labels we do
 * not run) with one on our pool label. The plugin registers a socket under
 * /var/lib/kubelet/device-plugins, which is root-owned on the node: it cannot run as non-root,
 * so it runs with no privilege escalation and every capability dropped instead.
 */
export function values(args: NvidiaDevicePluginValuesArgs = {}) {
  const gpuTaint = POOL_TAINTS.gpu!;
  return {
    image: { repository: IMAGE.repository, tag: IMAGE.tag, pullPolicy: "IfNotPresent" },
    nodeSelector: poolSelector("gpu"),
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: POOL_LABEL, operator: "In", values: ["gpu"] }] }],
        },
      },
    },
    tolerations: [{ key: gpuTaint.key, operator: "Equal", value: gpuTaint.value, effect: gpuTaint.effect }],
    // Our nodes carry their labels from the node group; no NFD / GPU feature discovery.
    gfd: { enabled: false },
    nfd: { enabled: false },
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
    resources: args.resources ?? resources({ cpu: "50m", memory: "64Mi" }, { cpu: "200m", memory: "128Mi" }),
  };
}
