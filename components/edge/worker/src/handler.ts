import { CACHE_STATUS_HEADER, cacheKey, cacheRouteFor, cacheTags, isStorable, type CacheStatus } from "./cache";
import { HOP_BY_HOP, finalResponse, problem } from "./responses";
import { API_PREFIX, routeRequest } from "./routing";
import type { CacheRoute, WorkerSettings } from "./settings";
import { edgeTrace, type EdgeTrace } from "./trace";

/** The part of the Workers Cache API (`caches.default`) the edge uses. */
export interface EdgeCache {
  match(request: Request): Promise<Response | undefined>;
  put(request: Request, response: Response): Promise<void>;
}

export interface HandlerDeps {
  cache: EdgeCache;
  fetch: (request: Request, init?: RequestInit) => Promise<Response>;
  random: (bytes: number) => Uint8Array;
}

/** The request the origin gets: same method, body and headers, minus hop-by-hop ones, with our traceparent. */
function upstreamRequest(request: Request, upstream: URL, trace: EdgeTrace, shared: boolean): Request {
  const headers = new Headers(request.headers);
  for (const name of [...HOP_BY_HOP, "host"]) headers.delete(name);
  headers.set("traceparent", trace.traceparent);
  if (!trace.continued) headers.delete("tracestate");
  // A shared answer must not depend on one visitor's cookies.
  if (shared) headers.delete("cookie");
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  // `no-store`: the edge's Cache API entry is the only copy; the zone's cache must not keep a second one.
  // (A Workers option since 2024-11-11; Node's RequestInit type does not list it.)
  const init: RequestInit & { cache: "no-store" } = { method: request.method, headers, body: hasBody ? request.body : null, redirect: "manual", cache: "no-store" };
  return new Request(upstream.href, init);
}

function isTimeout(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === "TimeoutError";
}

async function fromOrigin(request: Request, service: string, traceId: string, deps: HandlerDeps, settings: WorkerSettings): Promise<Response> {
  try {
    return await deps.fetch(request, { signal: AbortSignal.timeout(settings.originTimeoutMs) });
  } catch (error) {
    if (isTimeout(error)) {
      return problem(504, "origin_timeout", `${service} did not answer within ${settings.originTimeoutMs} ms`, { service, timeoutMs: settings.originTimeoutMs, traceId });
    }
    return problem(502, "origin_unreachable", `${service} could not be reached: ${(error as Error).message}`, { service, traceId });
  }
}

/** Stores a shareable answer under its key for the route's TTL, tagged for purges; returns the copy to send. */
async function store(cache: EdgeCache, key: Request, response: Response, route: CacheRoute): Promise<Response> {
  const stored = new Response(response.body, response);
  stored.headers.set("cache-control", `public, max-age=${route.ttlSeconds}`);
  stored.headers.set("cache-tag", cacheTags(route.service).join(","));
  // Awaited, not `waitUntil`: the next identical request finds the entry (cacheable answers are small JSON).
  await cache.put(key, stored.clone());
  return stored;
}

/**
 * The API host's Worker: `/api/<service>/…` to the service's origin (routing.ts), safe GETs of
 * the listed routes served from the Cache API under an explicit key (cache.ts), a traceparent
 * continued or started (trace.ts), security headers on every answer, a JSON 502/504 when the
 * origin fails or is too slow.
 */
export async function handle(request: Request, settings: WorkerSettings, deps: HandlerDeps): Promise<Response> {
  const url = new URL(request.url);
  const trace = edgeTrace(request.headers.get("traceparent"), deps.random);
  const done = (response: Response, status: CacheStatus) => finalResponse(response, { [CACHE_STATUS_HEADER]: status }, settings.hsts);

  const route = routeRequest(url, settings.origins);
  if (route.kind === "not-api") {
    return done(problem(404, "not_found", `This host serves ${API_PREFIX}<service>/… only`, { traceId: trace.traceId }), "BYPASS");
  }
  if (route.kind === "unknown-service") {
    const services = [...settings.origins.keys()].sort();
    return done(problem(404, "not_found", `No service ${JSON.stringify(route.service)}; known: ${services.join(", ")}`, { services, traceId: trace.traceId }), "BYPASS");
  }

  const cacheRoute = cacheRouteFor(request.method, request.headers, route.service, route.path, settings.cacheRoutes);
  const key = cacheRoute ? new Request(cacheKey(url)) : undefined;
  if (key) {
    const hit = await deps.cache.match(key);
    if (hit) return done(hit, "HIT");
  }
  const response = await fromOrigin(upstreamRequest(request, route.upstream, trace, cacheRoute !== undefined), route.service, trace.traceId, deps, settings);
  if (!key || !cacheRoute) return done(response, "BYPASS");
  if (!isStorable(response)) return done(response, "MISS");
  return done(await store(deps.cache, key, response, cacheRoute), "MISS");
}
