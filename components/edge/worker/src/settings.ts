/**
 * The Worker's bindings (set by components/edge at deploy, by miniflare in the tests) and their
 * parsing. Shared by the Worker and the component, so it imports nothing runtime-specific.
 */

/** A GET the edge caches: `/api/<service><path>` on the API host, for `ttlSeconds`. */
export interface CacheRoute {
  service: string;
  /** The path on the service, exact (`/seismic`); query parameters become part of the key. */
  path: string;
  ttlSeconds: number;
}

/** The bindings as Cloudflare hands them over: `json` bindings parsed, `plain_text` as strings. */
export interface WorkerEnv {
  /** `{ "<service>": "https://<service>.<domain>" }`: the only services `/api/<service>/…` reaches. */
  ORIGINS?: unknown;
  /** The cacheable GETs, `CacheRoute[]`. */
  CACHE_ROUTES?: unknown;
  /** Milliseconds to wait for the origin's response headers before answering 504. */
  ORIGIN_TIMEOUT_MS?: unknown;
  /** The Strict-Transport-Security value (the zone's `security_header` setting, spelled as a header). */
  HSTS?: unknown;
}

export interface WorkerSettings {
  origins: Map<string, URL>;
  cacheRoutes: CacheRoute[];
  originTimeoutMs: number;
  hsts: string;
}

/** A service name as it appears in `/api/<service>/`: a workload name. */
export const SERVICE_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** The bindings are wrong: every problem, so one deploy fixes them all. */
export class MisconfiguredError extends Error {
  constructor(readonly problems: string[]) {
    super(`The edge Worker is misconfigured: ${problems.join("; ")}`);
    this.name = "MisconfiguredError";
  }
}

function asJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseOrigins(raw: unknown, problems: string[]): Map<string, URL> {
  const origins = new Map<string, URL>();
  const value = asJson(raw);
  if (!isRecord(value)) {
    problems.push("ORIGINS must be a JSON object of service → origin URL");
    return origins;
  }
  for (const [service, url] of Object.entries(value)) {
    if (!SERVICE_NAME.test(service)) problems.push(`ORIGINS: ${JSON.stringify(service)} is not a service name`);
    else if (typeof url !== "string" || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) problems.push(`ORIGINS.${service}: not an http(s) URL`);
    else origins.set(service, new URL(url));
  }
  return origins;
}

function parseCacheRoutes(raw: unknown, origins: Map<string, URL>, problems: string[]): CacheRoute[] {
  const value = asJson(raw ?? []);
  if (!Array.isArray(value)) {
    problems.push("CACHE_ROUTES must be a JSON array");
    return [];
  }
  const routes: CacheRoute[] = [];
  value.forEach((route: unknown, i) => {
    const r = isRecord(route) ? route : {};
    const ok =
      typeof r.service === "string" &&
      origins.has(r.service) &&
      typeof r.path === "string" &&
      r.path.startsWith("/") &&
      Number.isInteger(r.ttlSeconds) &&
      (r.ttlSeconds as number) > 0;
    if (ok) routes.push({ service: r.service as string, path: r.path as string, ttlSeconds: r.ttlSeconds as number });
    else problems.push(`CACHE_ROUTES[${i}]: needs a service of ORIGINS, a path starting with /, a positive integer ttlSeconds`);
  });
  return routes;
}

/** Reads the bindings; throws `MisconfiguredError` listing every problem. */
export function parseSettings(env: WorkerEnv): WorkerSettings {
  const problems: string[] = [];
  const origins = parseOrigins(env.ORIGINS, problems);
  const cacheRoutes = parseCacheRoutes(env.CACHE_ROUTES, origins, problems);
  const originTimeoutMs = Number(env.ORIGIN_TIMEOUT_MS);
  if (!Number.isInteger(originTimeoutMs) || originTimeoutMs <= 0) problems.push("ORIGIN_TIMEOUT_MS must be a positive integer");
  const hsts = typeof env.HSTS === "string" ? env.HSTS : "";
  if (!/^max-age=\d+/.test(hsts)) problems.push("HSTS must be a Strict-Transport-Security value (max-age=…)");
  if (problems.length > 0) throw new MisconfiguredError(problems);
  return { origins, cacheRoutes, originTimeoutMs, hsts };
}
