import type * as cloudflare from "@pulumi/cloudflare";
import { IS_GET, NO_AUTHORIZATION, allOf, hostIn, hostIs, pathIn } from "./expressions";
import type { CacheRoute } from "./worker/src/settings";

/**
 * The zone's Ruleset rules: cache settings (phase `http_request_cache_settings`, the successor
 * of Page Rules) and rate limits (phase `http_ratelimit`). Pure.
 */

type Rule = cloudflare.types.input.RulesetRule;

export interface CacheRulesArgs {
  /** The Worker's host. */
  apiHost: string;
  /** Service → its public host (the Worker's origins; clients may call them directly too). */
  serviceHosts: Record<string, string>;
  routes: readonly CacheRoute[];
}

/**
 * Nothing on the API and service hosts is cached by default (they are APIs; Cloudflare would
 * otherwise cache anything that looks like a static file). Then, later rules winning, the listed
 * GET routes are cached on their service host — only 200s, for the route's TTL, keyed by host,
 * path and the query parameters in sorted order (no cookies, no headers), and never for a request
 * with an `Authorization` header. The Worker caches the same routes on the API host with the same
 * key rules (its origin fetches skip this cache: `cache: "no-store"`).
 */
export function cacheRules(args: CacheRulesArgs): Rule[] {
  const bypass: Rule = {
    ref: "abode_api_bypass",
    description: "APIs: no implicit caching on the API and service hosts",
    expression: hostIn([args.apiHost, ...Object.values(args.serviceHosts)]),
    action: "set_cache_settings",
    actionParameters: { cache: false },
  };
  const groups = new Map<string, { service: string; ttlSeconds: number; paths: string[] }>();
  for (const route of args.routes) {
    if (!(route.service in args.serviceHosts)) continue;
    const id = `${route.service}:${route.ttlSeconds}`;
    const group = groups.get(id) ?? { service: route.service, ttlSeconds: route.ttlSeconds, paths: [] };
    group.paths.push(route.path);
    groups.set(id, group);
  }
  const cached = [...groups.values()].map(
    (g): Rule => ({
      ref: `abode_cache_${g.service.replace(/-/g, "_")}_${g.ttlSeconds}`,
      description: `Cache ${g.service} lookups (${g.paths.join(", ")}) for ${g.ttlSeconds} s`,
      expression: allOf(hostIs(args.serviceHosts[g.service]!), IS_GET, pathIn(g.paths), NO_AUTHORIZATION),
      action: "set_cache_settings",
      actionParameters: {
        cache: true,
        // Errors and redirects are never kept (-1 = no-store); 200s for the TTL whatever the origin says.
        edgeTtl: { mode: "override_origin", default: g.ttlSeconds, statusCodeTtls: [{ statusCodeRange: { from: 300, to: 599 }, value: -1 }] },
        browserTtl: { mode: "respect_origin" },
        cacheKey: {
          ignoreQueryStringsOrder: true,
          cacheDeceptionArmor: true,
          customKey: { queryString: { include: { all: true } } },
        },
      },
    }),
  );
  return [bypass, ...cached];
}

export interface RateLimitSettings {
  /** Requests one client IP may send to the API host per period (per Cloudflare data centre). */
  requestsPerPeriod: number;
  periodSeconds: number;
  /** How long a client that went over is blocked. */
  mitigationTimeoutSeconds: number;
}

/** Per client IP on the API host: over the budget → a JSON 429 for the mitigation timeout. */
export function rateLimitRules(apiHost: string, limit: RateLimitSettings): Rule[] {
  return [
    {
      ref: "abode_api_rate_limit",
      description: `API: at most ${limit.requestsPerPeriod} requests per ${limit.periodSeconds} s per client IP`,
      expression: hostIs(apiHost),
      action: "block",
      actionParameters: {
        response: {
          statusCode: 429,
          contentType: "application/json",
          content: JSON.stringify({ error: "rate_limited", message: `Too many requests; at most ${limit.requestsPerPeriod} per ${limit.periodSeconds} s. Retry later.` }),
        },
      },
      ratelimit: {
        // cf.colo.id is mandatory: counters are kept per data centre.
        characteristics: ["cf.colo.id", "ip.src"],
        period: limit.periodSeconds,
        requestsPerPeriod: limit.requestsPerPeriod,
        mitigationTimeout: limit.mitigationTimeoutSeconds,
      },
    },
  ];
}
