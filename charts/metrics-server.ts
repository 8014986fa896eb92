import type { ChartRef } from "./helm-release";
import { SYSTEM_POOL, containerSecurity, podSecurity, resources } from "./common";

/**
 * metrics-server. 3.12.2 verified: pinned from https://kubernetes-sigs.github.io/metrics-server/
 * in public Terraform and nyl HelmChart manifests (chart 3.12.x ships metrics-server 0.7.x;
 * 3.13.0's Chart.yaml moves to appVersion 0.8.0).
 */
export const CHART: ChartRef = {
  repository: "https://kubernetes-sigs.github.io/metrics-server/",
  chart: "metrics-server",
  version: "3.12.2",
};

export const IMAGE = { repository: "registry.k8s.io/metrics-server/metrics-server", tag: "v0.7.2" } as const;

export const NAMESPACE = "kube-system";

export interface MetricsServerValuesArgs {
  /** @default 2 */
  replicas?: number;
}

/** Two replicas with a PDB on the system pool; non-root (uid 1000), read-only root filesystem. */
export function values(args: MetricsServerValuesArgs = {}) {
  return {
    image: { repository: IMAGE.repository, tag: IMAGE.tag },
    replicas: args.replicas ?? 2,
    podDisruptionBudget: { enabled: true, minAvailable: 1 },
    nodeSelector: SYSTEM_POOL,
    podSecurityContext: podSecurity(1000),
    securityContext: containerSecurity({ uid: 1000 }),
    resources: resources({ cpu: "100m", memory: "200Mi" }, { cpu: "500m", memory: "400Mi" }),
  };
}
