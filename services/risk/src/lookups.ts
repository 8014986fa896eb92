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

interface Entry {
  value: object;
  retrievedAt: string;
}

export interface Lookups {
  seismic(query: SeismicQuery): Promise<Sourced<SeismicReport>>;
  flood(latitude: number, longitude: number): Promise<Sourced<FloodReport>>;
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
    fetchMethod: (_url, _stale, { context }) => context(),
  });

  async function cached<T extends object>(source: string, url: string, load: () => Promise<T>): Promise<Sourced<T>> {
    const status: LRUCache.Status<string, Entry, () => Promise<Entry>> = {};
    const context = async (): Promise<Entry> => ({ value: await load(), retrievedAt: new Date().toISOString() });
    const entry = (await cache.fetch(url, { context, status })) as Entry;
    const cacheState = status.fetch === "hit" || status.fetch === "inflight" ? "hit" : "miss";
    return { ...(entry.value as T), provenance: { source, url, retrievedAt: entry.retrievedAt, cache: cacheState } };
  }

  return {
    seismic(query) {
      const url = seismicUrl(settings.usgsBaseUrl, query);
      return cached(`USGS Seismic Design Maps web service (${query.standard})`, url, () =>
        usgs.getJson(url, (body, status) => interpretSeismic(query, body, status)),
      );
    },
    flood(latitude, longitude) {
      const url = floodUrl(settings.femaQueryUrl, latitude, longitude);
      return cached("FEMA National Flood Hazard Layer, layer 28 (Flood Hazard Zones)", url, () => fema.getJson(url, (body) => interpretFlood(body)));
    },
    upstreams: [usgs, fema],
  };
}
