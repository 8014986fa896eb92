/** The risk service's own environment, validated with the kit's common variables at start. */
import { z } from "zod";

export const USGS_DEFAULT_BASE_URL = "https://earthquake.usgs.gov/ws/designmaps";
export const FEMA_DEFAULT_QUERY_URL = "https://hazards.fema.gov/arcgis/rest/services/public/NFHL/MapServer/28/query";

const url = z.url({ protocol: /^https?$/ });
const positiveInt = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

export const riskEnvSchema = z.object({
  /** Base of the USGS Seismic Design Maps web service; `/<standard>.json` is appended. */
  USGS_BASE_URL: url.default(USGS_DEFAULT_BASE_URL),
  /** The FEMA NFHL Flood Hazard Zones (layer 28) query endpoint. */
  FEMA_NFHL_QUERY_URL: url.default(FEMA_DEFAULT_QUERY_URL),
  /** Per attempt. USGS answers in 1–3 s; a slower answer is treated as a failure and retried. */
  RISK_UPSTREAM_TIMEOUT_MS: positiveInt(8_000, 120_000),
  /** Attempts after the first, with exponential backoff, for timeouts, network errors, 429 and 5xx. */
  RISK_UPSTREAM_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  /** Consecutive failed lookups that open an upstream's circuit. */
  RISK_BREAKER_THRESHOLD: positiveInt(5, 100),
  /** How long an open circuit refuses calls before one trial call. */
  RISK_BREAKER_COOLDOWN_MS: positiveInt(30_000, 3_600_000),
  /** Design values and flood maps change on a scale of months; a day keeps answers fresh enough. */
  RISK_CACHE_TTL_SECONDS: positiveInt(86_400, 30 * 86_400),
  RISK_CACHE_MAX_ENTRIES: positiveInt(10_000, 1_000_000),
});

export type RiskEnv = z.infer<typeof riskEnvSchema>;

export interface RiskSettings {
  usgsBaseUrl: string;
  femaQueryUrl: string;
  timeoutMs: number;
  retries: number;
  breakerThreshold: number;
  breakerCooldownMs: number;
  cacheTtlMs: number;
  cacheMaxEntries: number;
  /** Base delay of the retry backoff. @default 200 */
  retryBaseDelayMs?: number;
}

export function settingsFromEnv(env: RiskEnv): RiskSettings {
  return {
    usgsBaseUrl: env.USGS_BASE_URL,
    femaQueryUrl: env.FEMA_NFHL_QUERY_URL,
    timeoutMs: env.RISK_UPSTREAM_TIMEOUT_MS,
    retries: env.RISK_UPSTREAM_RETRIES,
    breakerThreshold: env.RISK_BREAKER_THRESHOLD,
    breakerCooldownMs: env.RISK_BREAKER_COOLDOWN_MS,
    cacheTtlMs: env.RISK_CACHE_TTL_SECONDS * 1000,
    cacheMaxEntries: env.RISK_CACHE_MAX_ENTRIES,
  };
}
