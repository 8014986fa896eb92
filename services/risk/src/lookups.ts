/**
 * The two lookups behind a TTL cache, each answer carrying where it came from. Concurrent
 * identical lookups share one upstream call; failures are never cached.
 */
import { LRUCache } from "lru-cache";
import { floodUrl, interpretFlood, type FloodReport } from "./flood";
import { interpretSeismic, seismicUrl, type SeismicQuery, type SeismicReport } from "./seismic";
import type { RiskSettings } from "./settings";
import { createUpstream, type Upstream } from "./upstream";

export interface Provenance {
  source: string;
  url: string;
  /** When the upstream produced this answer (a cached answer keeps its original time). */
  retrievedAt: string;
  cache: "hit" | "miss";
}

export type Sourced<T> = T & { provenance: Provenance };

/** One answer: the value with its provenance, and the same as JSON for the response. */
export interface Answer<T> {
  sourced: Sourced<T>;
  /** `sourced` serialized; the value's part was serialized once, when it was retrieved. */
  json: string;
}

/** An upstream answer as cached: immutable, so it is serialized once. */
interface Entry {
  value: object;
  valueJson: string;
  url: string;
  retrievedAt: string;
}

export interface Lookups {
  seismic(query: SeismicQuery): Promise<Answer<SeismicReport>>;
  flood(latitude: number, longitude: number): Promise<Answer<FloodReport>>;
  upstreams: Upstream[];
}

export function createLookups(settings: RiskSettings): Lookups {
  const policy = {
    timeoutMs: settings.timeoutMs,
    retries: settings.retries,
    breakerThreshold: settings.breakerThreshold,
    breakerCooldownMs: settings.breakerCooldownMs,
    retryBaseDelayMs: settings.retryBaseDelayMs,
  };
  const usgs = createUpstream("USGS", policy);
  const fema = createUpstream("FEMA NFHL", policy);
  const cache = new LRUCache<string, Entry, () => Promise<Entry>>({
    max: settings.cacheMaxEntries,
    ttl: settings.cacheTtlMs,
    fetchMethod: (_key, _stale, { context }) => context(),
  });

  /**
   * The cached answer for `key`, else `load`ed from the upstream at the URL `urlOf` builds
   * (only on a miss: a hit never builds a URL or serializes the value again).
   */
  async function cached<T extends object>(source: string, key: string, urlOf: () => string, load: (url: string) => Promise<T>): Promise<Answer<T>> {
    const status: LRUCache.Status<string, Entry, () => Promise<Entry>> = {};
    const context = async (): Promise<Entry> => {
      const url = urlOf();
      const value = await load(url);
      return { value, valueJson: JSON.stringify(value), url, retrievedAt: new Date().toISOString() };
    };
    const entry = (await cache.fetch(key, { context, status })) as Entry;
    const provenance: Provenance = { source, url: entry.url, retrievedAt: entry.retrievedAt, cache: status.fetch === "hit" || status.fetch === "inflight" ? "hit" : "miss" };
    return {
      sourced: { ...(entry.value as T), provenance },
      // The value is a JSON object: its closing brace makes room for the provenance.
      json: `${entry.valueJson.slice(0, -1)},"provenance":${JSON.stringify(provenance)}}`,
    };
  }

  return {
    seismic(query) {
      const key = `seismic|${query.standard}|${query.latitude}|${query.longitude}|${query.riskCategory}|${query.siteClass}`;
      return cached(
        `USGS Seismic Design Maps web service (${query.standard})`,
        key,
        () => seismicUrl(settings.usgsBaseUrl, query),
        (url) => usgs.getJson(url, (body, status) => interpretSeismic(query, body, status)),
      );
    },
    flood(latitude, longitude) {
      return cached(
        "FEMA National Flood Hazard Layer, layer 28 (Flood Hazard Zones)",
        `flood|${latitude}|${longitude}`,
        () => floodUrl(settings.femaQueryUrl, latitude, longitude),
        (url) => fema.getJson(url, (body) => interpretFlood(body)),
      );
    },
    upstreams: [usgs, fema],
  };
}
