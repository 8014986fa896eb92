import type { AuditResource, StackPolicy } from "../core/policy";
import { asArray } from "../aws/helpers";
import { DNS_RECORD_TYPES } from "./cloudflare-dns-record-require-proxied";
import { zonesOf } from "./zone";

const RULESET = "cloudflare:index/ruleset:Ruleset";

/** The API hosts: configured, or every DNS record whose first label is `api`. */
function apiHosts(resources: AuditResource[], configured: string[]): { host: string; anchor?: AuditResource }[] {
  if (configured.length > 0) return configured.map((host) => ({ host, anchor: resources.find((r) => DNS_RECORD_TYPES.has(r.type) && r.props.name === host) }));
  return resources
    .filter((r) => DNS_RECORD_TYPES.has(r.type) && /^api(\.|$)/.test(String(r.props.name)))
    .map((r) => ({ host: String(r.props.name), anchor: r }));
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
    "Matches OWASP API Security Top 10 2023 API4 (unrestricted resource consumption) and Cloudflare's rate limiting best practices.",
  severity: "high",
  remediation:
    "Add `new cloudflare.Ruleset(..., { zoneId, kind: \"zone\", phase: \"http_ratelimit\", rules: [{ expression: '(http.host eq \"api.example.com\")', action: \"block\", " +
    "ratelimit: { characteristics: [\"cf.colo.id\", \"ip.src\"], period: 60, requestsPerPeriod: 600, mitigationTimeout: 600 } }] })`.",
  frameworks: ["owasp-api-top10-2023:API4"],
  config: {
    apiHosts: { type: "array", items: { type: "string" }, default: [], description: "The API hostnames; by default every DNS record named `api` or `api.*`." },
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
