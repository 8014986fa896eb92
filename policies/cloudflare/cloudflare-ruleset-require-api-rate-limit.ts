import type { AuditResource, StackPolicy } from "../core/policy";
import { asArray } from "../aws/helpers";
import { DNS_RECORD_TYPES } from "./cloudflare-dns-record-require-proxied";
import { zonesOf } from "./zone";

const RULESET = "cloudflare:index/ruleset:Ruleset";
const WORKERS_ROUTE = "cloudflare:index/workersRoute:WorkersRoute";

/** The host of a Workers route serving an API path (`api.example.com/api/*` → `api.example.com`). */
function workerApiHost(route: AuditResource): string | undefined {
  return /^([^/*]+)\/api\//.exec(String(route.props.pattern ?? ""))?.[1];
}

/** The API hosts: configured, or every DNS record whose first label is `api`, or that a Workers route serves `/api/*` on. */
function apiHosts(resources: AuditResource[], configured: string[]): { host: string; anchor?: AuditResource }[] {
  const recordOf = (host: string) => resources.find((r) => DNS_RECORD_TYPES.has(r.type) && r.props.name === host);
  if (configured.length > 0) return configured.map((host) => ({ host, anchor: recordOf(host) }));
  const hosts = new Map<string, AuditResource>();
  for (const r of resources) {
    if (DNS_RECORD_TYPES.has(r.type) && /^api(\.|$)/.test(String(r.props.name))) hosts.set(String(r.props.name), r);
  }
  for (const r of resources.filter((x) => x.type === WORKERS_ROUTE)) {
    const host = workerApiHost(r);
    if (host && !hosts.has(host)) hosts.set(host, recordOf(host) ?? r);
  }
  return [...hosts].map(([host, anchor]) => ({ host, anchor }));
}

/** A rule that rate-limits: a `ratelimit` block with a positive budget and an action other than log/skip. */
function limits(rule: Record<string, any>): boolean {
  const ratelimit = rule.ratelimit;
  if (!ratelimit || rule.enabled === false) return false;
  const budget = Number(ratelimit.requestsPerPeriod ?? ratelimit.requests_per_period ?? ratelimit.scorePerPeriod ?? 0);
  return budget > 0 && !["log", "skip"].includes(String(rule.action));
}

function covers(rule: Record<string, any>, host: string): boolean {
  const expression = String(rule.expression ?? "");
  const label = host.split(".")[0]!;
  // The expression names the host exactly, or is zone-wide (`true`).
  return expression.trim() === "true" || expression.includes(`"${host}"`) || (host.split(".").length === 1 && expression.includes(`"${label}.`));
}

export const cloudflareRulesetRequireApiRateLimit: StackPolicy = {
  kind: "stack",
  name: "cloudflare-ruleset-require-api-rate-limit",
  pack: "edge",
  description:
    "The API host is rate-limited at the edge: a zone Ruleset in phase `http_ratelimit` has an enabled rule whose expression covers the host, with a positive request budget and a blocking or challenging action. " +
    "API hosts are the configured ones, else DNS records named `api`/`api.*` and hosts whose `/api/*` a WorkersRoute serves. " +
    "Matches OWASP API Security Top 10 2023 API4 (unrestricted resource consumption) and Cloudflare's rate limiting best practices.",
  severity: "high",
  remediation:
    "Add `new cloudflare.Ruleset(..., { zoneId, kind: \"zone\", phase: \"http_ratelimit\", rules: [{ expression: '(http.host eq \"api.example.com\")', action: \"block\", " +
    "ratelimit: { characteristics: [\"cf.colo.id\", \"ip.src\"], period: 60, requestsPerPeriod: 600, mitigationTimeout: 600 } }] })`.",
  frameworks: ["owasp-api-top10-2023:API4"],
  config: {
    apiHosts: {
      type: "array",
      items: { type: "string" },
      default: [],
      description: "The API hostnames; by default every DNS record named `api` or `api.*`, and every host a WorkersRoute serves `/api/*` on.",
    },
  },
  validateStack(resources, config) {
    const rulesets = resources.filter((r) => r.type === RULESET && r.props.phase === "http_ratelimit");
    const rules = rulesets.flatMap((r) => asArray<Record<string, any>>(r.props.rules));
    const anchorOf = (anchor?: AuditResource) => anchor ?? zonesOf(resources)[0]?.anchor;
    return apiHosts(resources, asArray<string>(config?.apiHosts))
      .filter(({ host }) => !rules.some((rule) => limits(rule) && covers(rule, host)))
      .flatMap(({ host, anchor }) => {
        const resource = anchorOf(anchor);
        return resource ? [{ resource, message: `no http_ratelimit rule limits requests to ${host}` }] : [];
      });
  },
};
