import type { CacheRoute } from "./settings";

/** What the edge did with a request's cache, in the `X-Abode-Cache` response header. */
export type CacheStatus = "HIT" | "MISS" | "BYPASS";
export const CACHE_STATUS_HEADER = "x-abode-cache";

/** Cache tags on stored copies, so `npm run purge -- --tag api-<service>` drops one service's entries. */
export function cacheTags(service: string): string[] {
  return ["api", `api-${service}`];
}

/**
 * The cache route a request may use, or none: only GETs (never HEAD/POST/…), only without an
 * `Authorization` header (an authenticated answer is never shared), only listed paths. Pure.
 */
export function cacheRouteFor(method: string, headers: Headers, service: string, path: string, routes: CacheRoute[]): CacheRoute | undefined {
  if (method !== "GET" || headers.has("authorization")) return undefined;
  return routes.find((r) => r.service === service && r.path === path);
}

/**
 * The explicit cache key: scheme, host and path as the runtime normalised them, then the query
 * parameters sorted by name and value (so `?b=2&a=1` and `?a=1&b=2` share an entry), nameless
 * ones dropped, no fragment. Nothing else: no cookie, no header, no credentials. Being a URL on
 * the API host, it is also what `npm run purge -- --url` takes. Pure.
 */
export function cacheKey(url: URL): string {
  const params = [...url.searchParams].filter(([name]) => name !== "");
  params.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const query = new URLSearchParams(params).toString();
  return `${url.protocol}//${url.host}${url.pathname}${query ? `?${query}` : ""}`;
}

/** Whether an origin response may be shared: a 200 that sets no cookie and does not forbid it. Pure. */
export function isStorable(response: Response): boolean {
  if (response.status !== 200 || response.headers.has("set-cookie")) return false;
  const cacheControl = (response.headers.get("cache-control") ?? "").toLowerCase();
  if (/(^|[\s,])(no-store|private|no-cache)([\s,=]|$)/.test(cacheControl)) return false;
  return (response.headers.get("vary") ?? "").trim() !== "*";
}
