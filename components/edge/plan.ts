import type * as cloudflare from "@pulumi/cloudflare";
import { CACHEABLE_ROUTES } from "./cacheable-routes";
import { cacheRules, rateLimitRules, type RateLimitSettings } from "./rules";
import { API_PREFIX } from "./worker/src/routing";
import type { CacheRoute } from "./worker/src/settings";
import { hstsHeader, zoneSettings, type HstsSettings, type ZoneSettingInput } from "./zone-settings";

/**
 * Everything the edge declares, as plain objects: the component (edge.ts) only registers them.
 * Pure.
 */

/** Who may open the admin UIs: any listed email, email domain or Access group. */
export interface AccessSettings {
  emails: string[];
  emailDomains: string[];
  /** Access group ids (UUIDs), made in the Zero Trust dashboard (e.g. synced from the IdP). */
  groups: string[];
  /** How long a login lasts, e.g. `8h`. */
  sessionDuration: string;
}

export interface EdgePlanArgs {
  /** The Worker's host, e.g. `api.abode.example.com`. */
  apiHost: string;
  /** Service → its public host on the ALB: proxied, the Worker's origins. */
  services: Record<string, string>;
  /** Admin UI → its host on the ALB: proxied, behind Access. */
  adminUis: Record<string, string>;
  access?: AccessSettings;
  hsts: HstsSettings;
  rateLimit: RateLimitSettings;
  /** @default 30000 */
  originTimeoutMs?: number;
  /** @default CACHEABLE_ROUTES */
  cacheRoutes?: readonly CacheRoute[];
}

export interface PlannedRecord {
  name: string;
  type: "CNAME";
  proxied: true;
  /** 1 = automatic (required for proxied records). */
  ttl: 1;
  purpose: "api" | "service" | "admin";
}

export interface EdgePlan {
  zoneSettings: ZoneSettingInput[];
  records: PlannedRecord[];
  workerRoutePattern: string;
  workerBindings: cloudflare.types.input.WorkersScriptBinding[];
  cacheRules: cloudflare.types.input.RulesetRule[];
  rateLimitRules: cloudflare.types.input.RulesetRule[];
  accessIncludes: cloudflare.types.input.ZeroTrustAccessPolicyInclude[];
}

export const DEFAULT_ORIGIN_TIMEOUT_MS = 30_000;

/** Access rules: one `include` per principal (a user needs to match one). */
export function accessIncludes(access: AccessSettings): cloudflare.types.input.ZeroTrustAccessPolicyInclude[] {
  return [
    ...access.emails.map((email) => ({ email: { email } })),
    ...access.emailDomains.map((domain) => ({ emailDomain: { domain } })),
    ...access.groups.map((id) => ({ group: { id } })),
  ];
}

export interface WorkerBindingArgs {
  /** Service → origin base URL (`https://<service host>`). */
  origins: Record<string, string>;
  cacheRoutes: readonly CacheRoute[];
  originTimeoutMs: number;
  hsts: HstsSettings;
}

/** The Worker's bindings (worker/src/settings.ts reads them), as the WorkersScript declares them. */
export function workerBindings(args: WorkerBindingArgs): cloudflare.types.input.WorkersScriptBinding[] {
  return [
    { type: "json", name: "ORIGINS", json: JSON.stringify(args.origins) },
    { type: "json", name: "CACHE_ROUTES", json: JSON.stringify(args.cacheRoutes) },
    { type: "plain_text", name: "ORIGIN_TIMEOUT_MS", text: String(args.originTimeoutMs) },
    { type: "plain_text", name: "HSTS", text: hstsHeader(args.hsts) },
  ];
}

/** One proxied CNAME per host; a host named twice is a mistake in the caller's naming. */
function records(args: EdgePlanArgs): PlannedRecord[] {
  const planned: PlannedRecord[] = [
    { name: args.apiHost, purpose: "api" as const },
    ...Object.values(args.services).map((name) => ({ name, purpose: "service" as const })),
    ...Object.values(args.adminUis).map((name) => ({ name, purpose: "admin" as const })),
  ].map((r) => ({ ...r, type: "CNAME", proxied: true, ttl: 1 }));
  const names = planned.map((r) => r.name);
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (twice.length > 0) throw new Error(`edgePlan: host ${[...new Set(twice)].join(", ")} is named twice`);
  return planned;
}

export function edgePlan(args: EdgePlanArgs): EdgePlan {
  const adminUis = Object.keys(args.adminUis);
  const includes = args.access ? accessIncludes(args.access) : [];
  if (adminUis.length > 0 && includes.length === 0) {
    throw new Error(`edgePlan: ${adminUis.join(", ")} would be public without Cloudflare Access; give access emails, email domains or groups`);
  }
  const routes = (args.cacheRoutes ?? CACHEABLE_ROUTES).filter((r) => r.service in args.services);
  const origins = Object.fromEntries(Object.entries(args.services).map(([service, host]) => [service, `https://${host}`]));
  return {
    zoneSettings: zoneSettings(args.hsts),
    records: records(args),
    workerRoutePattern: `${args.apiHost}${API_PREFIX}*`,
    workerBindings: workerBindings({ origins, cacheRoutes: routes, originTimeoutMs: args.originTimeoutMs ?? DEFAULT_ORIGIN_TIMEOUT_MS, hsts: args.hsts }),
    cacheRules: cacheRules({ apiHost: args.apiHost, serviceHosts: args.services, routes }),
    rateLimitRules: rateLimitRules(args.apiHost, args.rateLimit),
    accessIncludes: includes,
  };
}
