import type { CacheRoute } from "./worker/src/settings";

/**
 * The GETs the edge caches, and for how long. Only idempotent lookups whose answer depends on
 * the URL alone belong here. A route of a service the stack does not publish is ignored.
 *
 * Risk: USGS design values are fixed per site and standard, FEMA's flood layer changes with map
 * revisions (months); an hour bounds how stale a purge-less answer can get.
 * Natural lighting: the sun's position for a place and instant never changes; the GET variant
 * (query parameters instead of a JSON body) is cached for a day.
 */
export const CACHEABLE_ROUTES: readonly CacheRoute[] = [
  { service: "risk", path: "/seismic", ttlSeconds: 3600 },
  { service: "risk", path: "/flood", ttlSeconds: 3600 },
  { service: "risk", path: "/risk", ttlSeconds: 3600 },
  { service: "ai-lighting", path: "/natural-lighting", ttlSeconds: 86_400 },
];
