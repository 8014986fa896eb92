import { z } from "zod";
import { WORKLOAD_NAMES } from "./catalogue";
import type { ConfigProblem } from "./schema";

/**
 * The `edge` section: the Cloudflare edge in front of the prod cluster (components/edge). Its
 * cross-field rules (`edgeProblems`) read the raw input leniently, like schema.ts's, so they are
 * listed together with every other problem.
 */

/** The admin UIs the edge can publish (each only behind Cloudflare Access). */
export const ADMIN_UIS = ["grafana", "kibana", "jaeger"] as const;
export type AdminUi = (typeof ADMIN_UIS)[number];

/**
 * Why an admin UI cannot be published yet, if it cannot. Access only protects a host whose
 * origin nobody can reach around Cloudflare; the ALB is open to the internet (see
 * components/edge/README.md), so only a UI with a login of its own is published.
 */
export const UNPUBLISHABLE: Partial<Record<AdminUi, string>> = {
  kibana:
    "cannot be published: the ALB has no route to Kibana (the logging namespace's NetworkPolicies admit no ingress to it, and it serves ECK's own TLS); use kubectl port-forward",
  jaeger:
    "cannot be published: Jaeger's UI has no login of its own and no ALB route (Access would be its only lock); use kubectl port-forward",
};

/** HSTS preload asks for at least a year (hstspreload.org). */
export const PRELOAD_MIN_MAX_AGE = 31_536_000;

const cloudflareId = z.string().regex(/^[a-f0-9]{32}$/, "must be a Cloudflare id (32 lowercase hex characters)");
const label = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "must be one lowercase DNS label");

export const edgeSchema = z.strictObject({
  /** The zone of `domain` (dashboard → the domain → Overview → Zone ID). */
  zoneId: cloudflareId,
  /** The account that owns the zone: the Worker script and Access live there. */
  accountId: cloudflareId,
  /** The API host is `<apiHost>.<domain>`; the Worker serves its `/api/*`. */
  apiHost: label.default("api"),
  hsts: z
    .strictObject({
      /** Seconds; ramp it up (300 → 1 week → 1 year) when a zone first gets HSTS. */
      maxAgeSeconds: z.int().min(0).max(63_072_000).default(31_536_000),
      preload: z.boolean().default(false),
    })
    .default({ maxAgeSeconds: 31_536_000, preload: false }),
  /** Per client IP on the API host. Cloudflare's plan sets which periods and timeouts are allowed. */
  rateLimit: z
    .strictObject({
      requestsPerPeriod: z.int().min(1).max(1_000_000).default(600),
      periodSeconds: z.union([z.literal(10), z.literal(60), z.literal(120), z.literal(300), z.literal(600), z.literal(3600)]).default(60),
      mitigationTimeoutSeconds: z
        .union([z.literal(0), z.literal(10), z.literal(60), z.literal(120), z.literal(300), z.literal(600), z.literal(3600), z.literal(86400)])
        .default(60),
    })
    .default({ requestsPerPeriod: 600, periodSeconds: 60, mitigationTimeoutSeconds: 60 }),
  /** How long the Worker waits for an origin's answer before a 504 (Cloudflare's own limit is 100 s). */
  originTimeoutMs: z.int().min(1000).max(100_000).default(30_000),
  /** Admin UIs published at `<ui>.<domain>`, behind Access. None by default. */
  expose: z.array(z.enum(ADMIN_UIS)).default([]),
  /** Who passes Cloudflare Access to the published admin UIs; required when `expose` names any. */
  access: z
    .strictObject({
      emails: z.array(z.email()).default([]),
      emailDomains: z.array(z.string().regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a lowercase DNS name")).default([]),
      /** Access group ids. */
      groups: z.array(z.uuid()).default([]),
      sessionDuration: z.string().regex(/^\d+(m|h)$/, "must be minutes or hours, e.g. 30m or 8h").default("8h"),
    })
    .optional(),
});

export type EdgeConfig = z.output<typeof edgeSchema>;

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

const nonEmptyArray = (value: unknown) => Array.isArray(value) && value.length > 0;

/** The edge's rules that span fields, over the whole raw `abode:` input. */
export function edgeProblems(input: Record<string, unknown>): ConfigProblem[] {
  if (input.edge === undefined) return [];
  const problems: ConfigProblem[] = [];
  const edge = asRecord(input.edge);
  if (input.target === "docker") {
    problems.push({ path: ["edge"], message: "the edge fronts the prod cluster's load balancer; target docker has none" });
  }
  if (input.domain === undefined) {
    problems.push({ path: ["domain"], message: "required with edge: the Cloudflare zone's name (hosts are <name>.<domain>)" });
  }
  const expose = Array.isArray(edge.expose) ? edge.expose : [];
  for (const [i, ui] of expose.entries()) {
    const why = UNPUBLISHABLE[ui as AdminUi];
    if (why) problems.push({ path: ["edge", "expose", i], message: `${ui} ${why}` });
  }
  const access = asRecord(edge.access);
  if (expose.length > 0 && ![access.emails, access.emailDomains, access.groups].some(nonEmptyArray)) {
    problems.push({
      path: ["edge", "access"],
      message: `publishing ${expose.join(", ")} needs a Cloudflare Access policy: list emails, emailDomains or groups`,
    });
  }
  const hsts = asRecord(edge.hsts);
  if (hsts.preload === true && typeof hsts.maxAgeSeconds === "number" && hsts.maxAgeSeconds < PRELOAD_MIN_MAX_AGE) {
    problems.push({ path: ["edge", "hsts", "preload"], message: `needs maxAgeSeconds of at least ${PRELOAD_MIN_MAX_AGE} (a year)` });
  }
  const apiHost = edge.apiHost;
  if (typeof apiHost === "string" && ((WORKLOAD_NAMES as readonly string[]).includes(apiHost) || (ADMIN_UIS as readonly string[]).includes(apiHost))) {
    problems.push({ path: ["edge", "apiHost"], message: `${apiHost}.<domain> is a workload's own host; pick another label` });
  }
  return problems;
}
