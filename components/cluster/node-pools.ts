/**
 * The prod cluster's node pools and how workloads are steered onto them: a label on every
 * node of a pool, and a taint on the pools that only some workloads may use.
 */
export type PoolName = "system" | "general" | "gpu" | "cfd";

export interface Taint {
  key: string;
  value: string;
  effect: "NoSchedule";
}

/** Node label naming the pool; workloads select it. */
export const POOL_LABEL = "abode.io/pool";

export const POOL_TAINTS: Record<PoolName, Taint | undefined> = {
  // Add-ons tolerate nothing special; they are kept off app nodes by selecting this pool.
  system: undefined,
  general: undefined,
  gpu: { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" },
  cfd: { key: "workload", value: "cfd", effect: "NoSchedule" },
};

/** The labels a pool's nodes carry. */
export function poolLabels(pool: PoolName): Record<string, string> {
  return { [POOL_LABEL]: pool, ...(pool === "gpu" ? { "nvidia.com/gpu": "true" } : {}) };
}
