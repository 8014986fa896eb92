/** Defaults of the cost policies, mirroring stacks/config/schema.ts's pool families. */
export const DEFAULT_POOL_INSTANCE_PATTERNS: Record<string, string> = {
  system: "^[mt][0-9][a-z0-9-]*\\.",
  general: "^[mt][0-9][a-z0-9-]*\\.",
  gpu: "^g[56][a-z]*\\.",
  cfd: "^c[5-8][a-z]*\\.",
};

/** Pools that must scale to zero when idle, and their default size cap. */
export const SCALE_TO_ZERO_POOLS = ["gpu", "cfd"];
export const DEFAULT_MAX_SIZE_CAP = 10;
