import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { WORKER_COMPATIBILITY_DATE, WORKER_MAIN_MODULE, bundleWorker } from "./bundle";
import { edgePlan, type EdgePlanArgs } from "./plan";

/**
 * Cloudflare's published edge ranges (IPv4), read from Cloudflare at deploy time. With the edge
 * in front, these are the only clients the origin should accept: anything else bypassed the
 * Worker, the rate limit and Access.
 */
export function cloudflareEdgeCidrs(): pulumi.Output<string[]> {
  return cloudflare.getIpRangesOutput().ipv4Cidrs;
}

export interface CloudflareEdgeArgs extends EdgePlanArgs {
  /** The Cloudflare zone of the hosts (DNS, settings, rules, the Worker route). */
  zoneId: string;
  /** The Cloudflare account (the Worker script, Access). */
  accountId: string;
  /** The Worker script's name, unique in the account. */
  scriptName: string;
  /** What every record points at: the ALB's DNS name. */
  originHostname: pulumi.Input<string | undefined>;
}

/**
 * The Cloudflare edge in front of the cluster: hardened zone settings, proxied CNAMEs to the
 * ALB, the API Worker on `<apiHost>/api/*`, cache and rate-limit Rulesets, and Cloudflare Access
 * in front of each published admin UI. Decisions are in `edgePlan` (plan.ts); this only
 * registers them.
 */
export class CloudflareEdge extends pulumi.ComponentResource {
  /** `https://<apiHost>/api`: clients call `<apiBaseUrl>/<service>/…`. */
  readonly apiBaseUrl: string;
  readonly workerScriptName: pulumi.Output<string>;
  /** Admin UI → its `https://` URL (behind Access). */
  readonly adminUrls: Record<string, string>;

  constructor(name: string, args: CloudflareEdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("abode:edge:CloudflareEdge", name, {}, opts);
    let plan;
    try {
      plan = edgePlan(args);
    } catch (error) {
      throw new pulumi.ResourceError((error as Error).message, this);
    }
    const zone = { zoneId: args.zoneId };
    const child = { parent: this };

    for (const setting of plan.zoneSettings) {
      new cloudflare.ZoneSetting(`${name}-${setting.settingId.replace(/_/g, "-")}`, { ...zone, ...setting }, child);
    }

    // Access comes first: an admin host must never resolve before its Access application exists.
    const adminHosts = Object.entries(args.adminUis);
    const accessApps = new Map<string, cloudflare.ZeroTrustAccessApplication>();
    if (adminHosts.length > 0) {
      const policy = new cloudflare.ZeroTrustAccessPolicy(
        `${name}-admins`,
        { accountId: args.accountId, name: `${args.scriptName} admins`, decision: "allow", includes: plan.accessIncludes, sessionDuration: args.access!.sessionDuration },
        child,
      );
      for (const [ui, host] of adminHosts) {
        accessApps.set(
          host,
          new cloudflare.ZeroTrustAccessApplication(
            `${name}-${ui}`,
            {
              accountId: args.accountId,
              name: `${ui} (${args.scriptName})`,
              type: "self_hosted",
              domain: host,
              destinations: [{ type: "public", uri: host }],
              policies: [{ id: policy.id, precedence: 1 }],
              sessionDuration: args.access!.sessionDuration,
              appLauncherVisible: true,
              httpOnlyCookieAttribute: true,
              sameSiteCookieAttribute: "lax",
            },
            child,
          ),
        );
      }
    }

    for (const record of plan.records) {
      const app = accessApps.get(record.name);
      new cloudflare.DnsRecord(
        `${name}-${record.name}`,
        { ...zone, name: record.name, type: record.type, content: args.originHostname, proxied: record.proxied, ttl: record.ttl, comment: `abode ${record.purpose} host (pulumi)` },
        { parent: this, dependsOn: app ? [app] : [] },
      );
    }

    const bundle = bundleWorker();
    const script = new cloudflare.WorkersScript(
      `${name}-api-worker`,
      {
        accountId: args.accountId,
        scriptName: args.scriptName,
        content: bundle.code,
        mainModule: WORKER_MAIN_MODULE,
        compatibilityDate: WORKER_COMPATIBILITY_DATE,
        bindings: plan.workerBindings,
      },
      child,
    );
    new cloudflare.WorkersRoute(`${name}-api-route`, { ...zone, pattern: plan.workerRoutePattern, script: script.scriptName }, child);

    new cloudflare.Ruleset(
      `${name}-cache-rules`,
      { ...zone, kind: "zone", phase: "http_request_cache_settings", name: "abode cache rules", description: "Managed by pulumi (components/edge)", rules: plan.cacheRules },
      child,
    );
    new cloudflare.Ruleset(
      `${name}-rate-limits`,
      { ...zone, kind: "zone", phase: "http_ratelimit", name: "abode rate limits", description: "Managed by pulumi (components/edge)", rules: plan.rateLimitRules },
      child,
    );

    this.apiBaseUrl = `https://${args.apiHost}/api`;
    this.workerScriptName = script.scriptName;
    this.adminUrls = Object.fromEntries(adminHosts.map(([ui, host]) => [ui, `https://${host}`]));
    this.registerOutputs({ apiBaseUrl: this.apiBaseUrl, workerScriptName: this.workerScriptName, adminUrls: this.adminUrls });
  }
}
