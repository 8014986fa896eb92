/**
 * The Cloudflare resources of the prod stack, evaluated from Pulumi.prod.yaml under mocks, with
 * their inputs captured per resource type; the edge policies run over them; and the `edge`
 * config section's problems, listed with every other problem.
 */
import { bundleWorker, WORKER_COMPATIBILITY_DATE } from "../components/edge/bundle";
import { CACHEABLE_ROUTES } from "../components/edge/cacheable-routes";
import { toAuditResources } from "../policies/audit/evaluate";
import { CLOUDFLARE_POLICIES } from "../policies/cloudflare";
import { policyConfig, type AuditResource } from "../policies/core/policy";
import { parseStackConfig, StackConfigError } from "../stacks/config/load";
import { PUBLIC_APIS, hostsOf } from "./apps";
import { evaluateStack, type Captured, type Evaluation } from "./mocks";
import { rawConfig, readStackFile } from "./stack-file";

const ALB = "k8s-abodeprod-0123456789-1234567890.eu-west-1.elb.amazonaws.com";
const ZONE = "0123456789abcdef0123456789abcdef";
const ACCOUNT = "fedcba9876543210fedcba9876543210";

function edgeViolations(resources: AuditResource[]): string[] {
  return CLOUDFLARE_POLICIES.flatMap((p) =>
    p.kind === "resource"
      ? resources.flatMap((r) => p.validateResource(r, policyConfig(p)).map((m) => `${p.name}: ${m}`))
      : p.validateStack(resources, policyConfig(p)).map((v) => `${p.name}: ${v.message}`),
  );
}

/** Pulumi.prod.yaml with the `abode:edge` section replaced. */
function prodWithEdge(edge: Record<string, unknown> | undefined) {
  const raw = readStackFile("prod");
  const values = { ...raw.values };
  if (edge) values["abode:edge"] = JSON.stringify(edge);
  else delete values["abode:edge"];
  return { ...raw, values };
}

describe("the Cloudflare edge of the prod stack", () => {
  let prod: Evaluation;
  let bare: Evaluation;
  const ofType = (evaluation: Evaluation, type: string) => evaluation.resources.filter((r) => r.type === type);
  const one = (evaluation: Evaluation, type: string): Captured => {
    const found = ofType(evaluation, type);
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
    return found[0]!;
  };

  beforeAll(async () => {
    prod = await evaluateStack(readStackFile("prod"), "prod");
    if (prod.error) throw prod.error;
    // No admin UI, another API label, a short HSTS ramp-up.
    bare = await evaluateStack(prodWithEdge({ zoneId: ZONE, accountId: ACCOUNT, apiHost: "edge", hsts: { maxAgeSeconds: 86400 } }), "prod");
    if (bare.error) throw bare.error;
  }, 60_000);

  it("hardens the zone: strict TLS to the origin, TLS ≥ 1.2, TLS 1.3, HTTPS only, HSTS with nosniff", () => {
    const settings = ofType(prod, "cloudflare:index/zoneSetting:ZoneSetting").map((s) => s.inputs);
    expect(settings.every((s) => s.zoneId === ZONE)).toBe(true);
    expect(Object.fromEntries(settings.map((s) => [s.settingId, s.value]))).toEqual({
      ssl: "strict",
      min_tls_version: "1.2",
      tls_1_3: "on",
      always_use_https: "on",
      security_header: { strict_transport_security: { enabled: true, max_age: 31536000, include_subdomains: true, preload: false, nosniff: true } },
    });
  });

  it("locks the ALB to Cloudflare's published ranges, read at deploy time, on every Ingress of its group", () => {
    const ingresses = ofType(prod, "kubernetes:networking.k8s.io/v1:Ingress").map((r) => r.inputs);
    expect(ingresses.length).toBeGreaterThan(1);
    for (const i of ingresses) expect(i.metadata.annotations["alb.ingress.kubernetes.io/inbound-cidrs"]).toBe("173.245.48.0/20,103.21.244.0/22");
  });

  it("proxies the API host, each public service host and the published Grafana to the ALB", () => {
    const records = ofType(prod, "cloudflare:index/dnsRecord:DnsRecord").map((r) => r.inputs);
    expect(records.map((r) => r.name).sort()).toEqual(hostsOf([...PUBLIC_APIS, "api", "grafana"], "abode.example.com"));
    for (const r of records) expect(r).toMatchObject({ zoneId: ZONE, type: "CNAME", content: ALB, proxied: true, ttl: 1 });
  });

  it("puts Grafana behind Cloudflare Access, created before its record resolves", () => {
    const policy = one(prod, "cloudflare:index/zeroTrustAccessPolicy:ZeroTrustAccessPolicy");
    expect(policy.inputs).toMatchObject({ accountId: ACCOUNT, decision: "allow", includes: [{ email: { email: "sre@abode.example.com" } }], sessionDuration: "8h" });
    const app = one(prod, "cloudflare:index/zeroTrustAccessApplication:ZeroTrustAccessApplication");
    expect(app.inputs).toMatchObject({
      accountId: ACCOUNT,
      type: "self_hosted",
      domain: "grafana.abode.example.com",
      destinations: [{ type: "public", uri: "grafana.abode.example.com" }],
      policies: [{ id: policy.id, precedence: 1 }],
    });
    const grafana = ofType(prod, "cloudflare:index/dnsRecord:DnsRecord").find((r) => r.inputs.name === "grafana.abode.example.com")!;
    expect(grafana.dependencies).toContain(app.urn);
  });

  it("publishes no admin record and no Access when nothing is exposed", () => {
    expect(ofType(bare, "cloudflare:index/dnsRecord:DnsRecord").map((r) => r.inputs.name).sort()).toEqual(hostsOf([...PUBLIC_APIS, "edge"], "abode.example.com"));
    expect(bare.resources.filter((r) => r.type.includes("zeroTrust"))).toEqual([]);
    expect(bare.outputs.edge.adminUrls).toEqual({});
  });

  it("uploads the esbuild bundle of the Worker with the bindings its routing and cache need", () => {
    const script = one(prod, "cloudflare:index/workersScript:WorkersScript").inputs;
    expect(script).toMatchObject({ accountId: ACCOUNT, scriptName: "abode-prod-api", mainModule: "worker.js", compatibilityDate: WORKER_COMPATIBILITY_DATE });
    expect(script.content).toBe(bundleWorker().code);
    const bindings = Object.fromEntries(script.bindings.map((b: any) => [b.name, b]));
    expect(JSON.parse(bindings.ORIGINS.json)).toEqual(Object.fromEntries(PUBLIC_APIS.map((n) => [n, `https://${n}.abode.example.com`])));
    // Only routes of services the stack publishes are cached: all of them here.
    expect(JSON.parse(bindings.CACHE_ROUTES.json)).toEqual(CACHEABLE_ROUTES);
    expect(bindings.HSTS).toMatchObject({ type: "plain_text", text: "max-age=31536000; includeSubDomains" });
    expect(bindings.ORIGIN_TIMEOUT_MS).toMatchObject({ type: "plain_text", text: "30000" });
  });

  it("binds the Worker to /api/* of the API host only", () => {
    expect(one(prod, "cloudflare:index/workersRoute:WorkersRoute").inputs).toEqual({ zoneId: ZONE, pattern: "api.abode.example.com/api/*", script: "abode-prod-api" });
    expect(one(bare, "cloudflare:index/workersRoute:WorkersRoute").inputs.pattern).toBe("edge.abode.example.com/api/*");
  });

  it("declares cache rules (not Page Rules) and a rate limit on the API host, as zone Rulesets", () => {
    const rulesets = Object.fromEntries(ofType(prod, "cloudflare:index/ruleset:Ruleset").map((r) => [r.inputs.phase, r.inputs]));
    expect(Object.keys(rulesets).sort()).toEqual(["http_ratelimit", "http_request_cache_settings"]);
    for (const r of Object.values(rulesets)) expect(r).toMatchObject({ zoneId: ZONE, kind: "zone" });
    const [bypass, ...caching] = rulesets.http_request_cache_settings.rules;
    expect(bypass).toMatchObject({ action: "set_cache_settings", actionParameters: { cache: false } });
    // Every API host, in any order.
    const hosts = /^http\.host in \{(.*)\}$/.exec(bypass.expression)![1]!.split(" ").map((h: string) => JSON.parse(h)).sort();
    expect(hosts).toEqual(hostsOf([...PUBLIC_APIS, "api"], "abode.example.com"));
    expect(caching.map((r: any) => r.expression)).toEqual([
      '(http.host eq "risk.abode.example.com") and (http.request.method eq "GET") and (http.request.uri.path in {"/seismic" "/flood" "/risk"}) and (not any(http.request.headers.names[*] == "authorization"))',
      '(http.host eq "ai-lighting.abode.example.com") and (http.request.method eq "GET") and (http.request.uri.path eq "/natural-lighting") and (not any(http.request.headers.names[*] == "authorization"))',
    ]);
    expect(caching.map((r: any) => r.actionParameters.edgeTtl.default)).toEqual([3600, 86_400]);
    expect(rulesets.http_ratelimit.rules).toEqual([
      expect.objectContaining({
        expression: 'http.host eq "api.abode.example.com"',
        action: "block",
        ratelimit: { characteristics: ["cf.colo.id", "ip.src"], period: 60, requestsPerPeriod: 600, mitigationTimeout: 60 },
      }),
    ]);
    expect(prod.resources.some((r) => r.type.startsWith("cloudflare:index/pageRule"))).toBe(false);
  });

  it("outputs the API base URL and the admin URLs", () => {
    expect(prod.outputs.edge).toEqual({ apiBaseUrl: "https://api.abode.example.com/api", workerScript: "abode-prod-api", adminUrls: { grafana: "https://grafana.abode.example.com" } });
  });

  it("passes every edge policy as declared, and the HSTS policy catches a short ramp-up max-age", () => {
    expect(edgeViolations(toAuditResources(prod.resources))).toEqual([]);
    expect(edgeViolations(toAuditResources(bare.resources))).toEqual([expect.stringMatching(/^cloudflare-zone-setting-enable-hsts: .*max-age 86400s/)]);
  });

  it("knows the API host by the Worker's /api/* route, whatever its label: without the rate limit, it is flagged", () => {
    const withoutLimits = toAuditResources(bare.resources).filter((r) => !(r.type === "cloudflare:index/ruleset:Ruleset" && r.props.phase === "http_ratelimit"));
    expect(edgeViolations(withoutLimits)).toContain("cloudflare-ruleset-require-api-rate-limit: no http_ratelimit rule limits requests to edge.abode.example.com");
  });
});

describe("the edge config section", () => {
  const prodValues = () => readStackFile("prod").values;
  function problemsOf(edge: unknown, extra: Record<string, unknown> = {}): string[] {
    const file = Object.fromEntries(Object.entries(prodValues()).map(([k, v]) => [k, v.startsWith("{") || v.startsWith("[") ? JSON.parse(v) : v]));
    try {
      parseStackConfig(rawConfig({ ...file, "abode:edge": edge, ...extra }));
    } catch (error) {
      expect(error).toBeInstanceOf(StackConfigError);
      return (error as StackConfigError).problems;
    }
    throw new Error("expected the config to be rejected");
  }
  const base = { zoneId: ZONE, accountId: ACCOUNT };

  it("lists every problem at once, the edge's with the others", () => {
    const problems = problemsOf(
      { zoneId: "ZONE", accountId: ACCOUNT, expose: ["grafana", "kibana", "jaeger", "prometheus"], hsts: { maxAgeSeconds: 86400, preload: true }, apiHost: "grafana", rateLimit: { periodSeconds: 7 } },
      { "abode:cluster": { ingressCertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000", availabilityZones: 2 } },
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^abode:edge\.zoneId: must be a Cloudflare id/),
        expect.stringMatching(/^abode:edge\.expose\[3\]: /),
        expect.stringMatching(/^abode:edge\.expose\[1\]: kibana cannot be published/),
        expect.stringMatching(/^abode:edge\.expose\[2\]: jaeger cannot be published: Jaeger's UI has no login/),
        "abode:edge.access: publishing grafana, kibana, jaeger, prometheus needs a Cloudflare Access policy: list emails, emailDomains or groups",
        "abode:edge.hsts.preload: needs maxAgeSeconds of at least 31536000 (a year)",
        "abode:edge.apiHost: grafana.<domain> is a workload's own host; pick another label",
        expect.stringMatching(/^abode:edge\.rateLimit\.periodSeconds: /),
        expect.stringMatching(/^abode:cluster\.availabilityZones: /),
      ]),
    );
  });

  it("rejects an Access section that names nobody", () => {
    expect(problemsOf({ ...base, expose: ["grafana"], access: { emails: [], sessionDuration: "8h" } })).toEqual([
      "abode:edge.access: publishing grafana needs a Cloudflare Access policy: list emails, emailDomains or groups",
    ]);
  });

  it("accepts Grafana behind an Access group, and fills the defaults", () => {
    const file = Object.fromEntries(Object.entries(prodValues()).map(([k, v]) => [k, v.startsWith("{") ? JSON.parse(v) : v]));
    const config = parseStackConfig(rawConfig({ ...file, "abode:edge": { ...base, expose: ["grafana"], access: { groups: ["3f2504e0-4f89-41d3-9a0c-0305e82c3301"] } } }));
    expect(config.edge).toEqual({
      ...base,
      apiHost: "api",
      hsts: { maxAgeSeconds: 31536000, preload: false },
      rateLimit: { requestsPerPeriod: 600, periodSeconds: 60, mitigationTimeoutSeconds: 60 },
      originTimeoutMs: 30000,
      expose: ["grafana"],
      access: { emails: [], emailDomains: [], groups: ["3f2504e0-4f89-41d3-9a0c-0305e82c3301"], sessionDuration: "8h" },
    });
  });

  it("refuses an edge on the docker target and without a domain", () => {
    const problems = (() => {
      try {
        parseStackConfig(rawConfig({ "abode:target": "docker", "abode:edge": base }));
      } catch (error) {
        return (error as StackConfigError).problems;
      }
      return [];
    })();
    expect(problems).toEqual([
      "abode:domain: required with edge: the Cloudflare zone's name (hosts are <name>.<domain>)",
      "abode:edge: the edge fronts the prod cluster's load balancer; target docker has none",
    ]);
  });
});
