/** The edge's pure decisions: expressions, rules, zone settings, the plan, and the Worker's own functions. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { bundleWorker } from "../components/edge/bundle";
import { CACHEABLE_ROUTES } from "../components/edge/cacheable-routes";
import { allOf, hostIn, literal, pathIn, pathStartsWith } from "../components/edge/expressions";
import { edgePlan, type EdgePlanArgs } from "../components/edge/plan";
import { cacheRules, rateLimitRules } from "../components/edge/rules";
import { hstsHeader, zoneSettings } from "../components/edge/zone-settings";
import { cacheKey, cacheRouteFor, isStorable } from "../components/edge/worker/src/cache";
import { routeRequest } from "../components/edge/worker/src/routing";
import { MisconfiguredError, parseSettings } from "../components/edge/worker/src/settings";
import { edgeTrace, parseTraceparent } from "../components/edge/worker/src/trace";

const LIMIT = { requestsPerPeriod: 600, periodSeconds: 60, mitigationTimeoutSeconds: 60 };
const HSTS = { maxAgeSeconds: 31_536_000, preload: false };

describe("rule expressions", () => {
  it("quotes and escapes string literals", () => {
    expect(literal('a"b\\c')).toBe('"a\\"b\\\\c"');
  });

  it.each([
    [hostIn(["api.x.com"]), 'http.host eq "api.x.com"'],
    [hostIn(["api.x.com", "risk.x.com", "api.x.com"]), 'http.host in {"api.x.com" "risk.x.com"}'],
    [pathIn(["/a", "/b"]), 'http.request.uri.path in {"/a" "/b"}'],
    [pathStartsWith("/api/"), 'starts_with(http.request.uri.path, "/api/")'],
    [allOf("a or b", "c"), "(a or b) and (c)"],
  ])("%s", (built, expected) => expect(built).toBe(expected));

  it("refuses an empty set", () => {
    expect(() => hostIn([])).toThrow(/at least one value/);
  });
});

describe("cache rules", () => {
  const rules = cacheRules({ apiHost: "api.x.com", serviceHosts: { risk: "risk.x.com", "ai-lighting": "ai-lighting.x.com" }, routes: CACHEABLE_ROUTES });

  it("first bypasses the cache on every API host, then caches the listed GETs per service (later rules win)", () => {
    expect(rules.map((r) => [r.expression, r.actionParameters && (r.actionParameters as any).cache])).toEqual([
      ['http.host in {"api.x.com" "risk.x.com" "ai-lighting.x.com"}', false],
      [
        '(http.host eq "risk.x.com") and (http.request.method eq "GET") and (http.request.uri.path in {"/seismic" "/flood" "/risk"}) and (not any(http.request.headers.names[*] == "authorization"))',
        true,
      ],
      [
        '(http.host eq "ai-lighting.x.com") and (http.request.method eq "GET") and (http.request.uri.path eq "/natural-lighting") and (not any(http.request.headers.names[*] == "authorization"))',
        true,
      ],
    ]);
  });

  it("keys by sorted query parameters only, keeps 200s for the TTL and never an error", () => {
    expect(rules[1]!.actionParameters).toMatchObject({
      edgeTtl: { mode: "override_origin", default: 3600, statusCodeTtls: [{ statusCodeRange: { from: 300, to: 599 }, value: -1 }] },
      cacheKey: { ignoreQueryStringsOrder: true, customKey: { queryString: { include: { all: true } } } },
    });
    expect(JSON.stringify(rules[1]!.actionParameters)).not.toMatch(/cookie|header"/i);
  });

  it("has no caching rule for a service that is not published", () => {
    expect(cacheRules({ apiHost: "api.x.com", serviceHosts: { ifc: "i.x.com" }, routes: CACHEABLE_ROUTES })).toHaveLength(1);
  });

  it("rate-limits the API host per client IP and data centre, blocking with a JSON 429", () => {
    const [rule] = rateLimitRules("api.x.com", LIMIT);
    expect(rule).toMatchObject({ expression: 'http.host eq "api.x.com"', action: "block", ratelimit: { characteristics: ["cf.colo.id", "ip.src"], period: 60, requestsPerPeriod: 600, mitigationTimeout: 60 } });
    const response = (rule!.actionParameters as any).response;
    expect(response).toMatchObject({ statusCode: 429, contentType: "application/json" });
    expect(JSON.parse(response.content)).toMatchObject({ error: "rate_limited" });
  });
});

describe("zone settings", () => {
  it("spells HSTS the API's way in the setting and as a header", () => {
    const hsts = zoneSettings({ maxAgeSeconds: 63_072_000, preload: true }).find((s) => s.settingId === "security_header")!.value;
    expect(hsts).toEqual({ strict_transport_security: { enabled: true, max_age: 63_072_000, include_subdomains: true, preload: true, nosniff: true } });
    expect(hstsHeader({ maxAgeSeconds: 63_072_000, preload: true })).toBe("max-age=63072000; includeSubDomains; preload");
    expect(hstsHeader(HSTS)).toBe("max-age=31536000; includeSubDomains");
  });
});

describe("the edge plan", () => {
  const args: EdgePlanArgs = { apiHost: "api.x.com", services: { risk: "risk.x.com" }, adminUis: {}, hsts: HSTS, rateLimit: LIMIT };

  it("refuses to publish an admin UI without anyone allowed through Access", () => {
    expect(() => edgePlan({ ...args, adminUis: { grafana: "grafana.x.com" } })).toThrow(/grafana would be public without Cloudflare Access/);
    expect(() => edgePlan({ ...args, adminUis: { grafana: "grafana.x.com" }, access: { emails: [], emailDomains: [], groups: [], sessionDuration: "8h" } })).toThrow(/Access/);
  });

  it("turns emails, domains and groups into Access includes", () => {
    const plan = edgePlan({ ...args, adminUis: { grafana: "grafana.x.com" }, access: { emails: ["a@x.com"], emailDomains: ["x.com"], groups: ["g-1"], sessionDuration: "1h" } });
    expect(plan.accessIncludes).toEqual([{ email: { email: "a@x.com" } }, { emailDomain: { domain: "x.com" } }, { group: { id: "g-1" } }]);
    expect(plan.records.map((r) => [r.name, r.purpose])).toEqual([
      ["api.x.com", "api"],
      ["risk.x.com", "service"],
      ["grafana.x.com", "admin"],
    ]);
  });

  it("refuses a host named twice", () => {
    expect(() => edgePlan({ ...args, services: { api: "api.x.com" } })).toThrow(/host api\.x\.com is named twice/);
  });

  it("gives the Worker the published services' origins and only their cache routes", () => {
    const bindings = Object.fromEntries(edgePlan(args).workerBindings.map((b) => [b.name, b.json ?? b.text]));
    expect(JSON.parse(bindings.ORIGINS as string)).toEqual({ risk: "https://risk.x.com" });
    expect(JSON.parse(bindings.CACHE_ROUTES as string)).toEqual(CACHEABLE_ROUTES.filter((r) => r.service === "risk"));
    expect(bindings.ORIGIN_TIMEOUT_MS).toBe("30000");
  });
});

describe("the Worker's decisions", () => {
  const origins = new Map([
    ["risk", new URL("https://risk.x.com")],
    ["ai-lighting", new URL("https://l.x.com/v1/")],
  ]);

  it.each([
    ["/api/risk/seismic?lat=1", { kind: "origin", service: "risk", path: "/seismic", upstream: "https://risk.x.com/seismic?lat=1" }],
    ["/api/ai-lighting", { kind: "origin", service: "ai-lighting", path: "/", upstream: "https://l.x.com/v1/" }],
    ["/api/ai-lighting/a/b", { kind: "origin", service: "ai-lighting", path: "/a/b", upstream: "https://l.x.com/v1/a/b" }],
    ["/api/Risk/x", { kind: "unknown-service", service: "Risk" }],
    ["/api//x", { kind: "unknown-service", service: "" }],
    ["/other", { kind: "not-api" }],
  ])("routes %s", (pathname, expected) => {
    const route = routeRequest(new URL(`https://api.x.com${pathname}`), origins);
    expect({ ...route, ...("upstream" in route ? { upstream: route.upstream.href } : {}) }).toEqual(expected);
  });

  it.each([
    ["https://API.x.com/api/risk/risk?b=2&a=1&a=0", "https://api.x.com/api/risk/risk?a=0&a=1&b=2"],
    ["https://api.x.com/api/risk/risk?=x&b=%20c#frag", "https://api.x.com/api/risk/risk?b=+c"],
    ["https://api.x.com/api/risk/risk", "https://api.x.com/api/risk/risk"],
  ])("keys %s as %s", (url, key) => expect(cacheKey(new URL(url))).toBe(key));

  it("caches only unauthenticated GETs of listed routes", () => {
    const routes = [{ service: "risk", path: "/risk", ttlSeconds: 60 }];
    expect(cacheRouteFor("GET", new Headers(), "risk", "/risk", routes)).toEqual(routes[0]);
    expect(cacheRouteFor("HEAD", new Headers(), "risk", "/risk", routes)).toBeUndefined();
    expect(cacheRouteFor("GET", new Headers({ authorization: "Basic x" }), "risk", "/risk", routes)).toBeUndefined();
    expect(cacheRouteFor("GET", new Headers(), "risk", "/risk/", routes)).toBeUndefined();
  });

  it.each([
    [200, {}, true],
    [200, { "cache-control": "max-age=60" }, true],
    [200, { "cache-control": "private, max-age=60" }, false],
    [200, { "cache-control": "no-store" }, false],
    [200, { "set-cookie": "a=1" }, false],
    [200, { vary: "*" }, false],
    [404, {}, false],
    [502, {}, false],
  ])("stores a %i with %j: %p", (status, headers, expected) => {
    expect(isStorable(new Response("{}", { status, headers }))).toBe(expected);
  });

  it.each([
    ["00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", true],
    ["01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-extra", true],
    ["00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", false],
    ["ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", false],
    ["00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", false],
    ["00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", false],
    ["", false],
  ])("parses traceparent %p: valid %p", (header, valid) => {
    expect(parseTraceparent(header) !== undefined).toBe(valid);
  });

  it("continues a later-version trace as version 00 with a fresh parent id", () => {
    const random = (n: number) => new Uint8Array(n).fill(0xab);
    expect(edgeTrace("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-x", random)).toEqual({
      traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-abababababababab-00",
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      continued: true,
    });
  });

  it("lists every bad binding at once", () => {
    try {
      parseSettings({ ORIGINS: { risk: "ftp://x", "Bad Name": "https://x" }, CACHE_ROUTES: [{ service: "nope", path: "x", ttlSeconds: 0 }], ORIGIN_TIMEOUT_MS: "0", HSTS: "" });
      throw new Error("expected MisconfiguredError");
    } catch (error) {
      expect(error).toBeInstanceOf(MisconfiguredError);
      expect((error as MisconfiguredError).problems).toEqual([
        "ORIGINS.risk: not an http(s) URL",
        'ORIGINS: "Bad Name" is not a service name',
        "CACHE_ROUTES[0]: needs a service of ORIGINS, a path starting with /, a positive integer ttlSeconds",
        "ORIGIN_TIMEOUT_MS must be a positive integer",
        "HSTS must be a Strict-Transport-Security value (max-age=…)",
      ]);
    }
  });
});

describe("bundleWorker", () => {
  it("bundles the TypeScript Worker into one self-contained ES module, the same bytes every time", () => {
    const a = bundleWorker();
    const b = bundleWorker();
    expect(a).toEqual(b);
    expect(a.sha256).toMatch(/^[a-f0-9]{64}$/);
    expect(a.code).toMatch(/export\s*{[^}]*\bas default\b/);
    expect(a.code).not.toMatch(/^\s*import\s/m);
    expect(a.code).not.toMatch(/require\(/);
    expect(a.code).not.toContain(process.cwd());
  });

  it("fails loudly when the source does not compile", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edge-bundle-"));
    const entry = path.join(dir, "index.ts");
    fs.writeFileSync(entry, "export default { fetch( };\n");
    try {
      expect(() => bundleWorker(entry)).toThrow();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
