/**
 * The API Worker in the real Workers runtime (miniflare → workerd), bundled by esbuild exactly as
 * the deploy bundles it, with the bindings the component declares. The origins are real HTTP
 * servers on loopback that record what reaches them.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { Miniflare } from "miniflare";
import { WORKER_COMPATIBILITY_DATE, bundleWorker } from "../components/edge/bundle";
import { workerBindings } from "../components/edge/plan";
import { hstsHeader } from "../components/edge/zone-settings";
import { parseTraceparent } from "../components/edge/worker/src/trace";

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A real origin: answers JSON describing the request; `/slow` never answers; `?status=` and `?cookie=` shape the reply. */
function origin(name: string) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const url = new URL(req.url!, "http://origin");
      if (url.pathname === "/slow") return; // never answers
      const status = Number(url.searchParams.get("status") ?? 200);
      res.statusCode = status;
      res.setHeader("content-type", "application/json");
      if (url.searchParams.has("cookie")) res.setHeader("set-cookie", "session=abc; HttpOnly");
      res.end(JSON.stringify({ origin: name, n: seen.length, path: url.pathname, query: url.search }));
    });
  });
  return { server, seen, count: (path: string) => seen.filter((s) => s.url.split("?")[0] === path).length };
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<string> {
  const server = http.createServer();
  const url = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return url;
}

/** The WorkersScript bindings as miniflare takes them: json parsed, plain_text as text. */
function asMiniflareBindings(bindings: ReturnType<typeof workerBindings>): Record<string, unknown> {
  return Object.fromEntries(bindings.map((b) => [b.name, b.type === "json" ? JSON.parse(b.json as string) : b.text]));
}

const HSTS = { maxAgeSeconds: 31_536_000, preload: false };
const API = "https://api.abode.test";
const TIMEOUT_MS = 400;

describe("the API Worker in workerd", () => {
  const risk = origin("risk");
  const lighting = origin("ai-lighting");
  let mf: Miniflare;

  beforeAll(async () => {
    const origins = { risk: await listen(risk.server), "ai-lighting": `${await listen(lighting.server)}/base`, gone: await closedPort() };
    const bindings = workerBindings({
      origins,
      cacheRoutes: [
        { service: "risk", path: "/seismic", ttlSeconds: 3600 },
        { service: "risk", path: "/flood", ttlSeconds: 60 },
      ],
      originTimeoutMs: TIMEOUT_MS,
      hsts: HSTS,
    });
    mf = new Miniflare({ modules: true, script: bundleWorker().code, compatibilityDate: WORKER_COMPATIBILITY_DATE, bindings: asMiniflareBindings(bindings) });
    await mf.ready;
  }, 60_000);

  afterAll(async () => {
    await mf?.dispose();
    for (const o of [risk, lighting]) {
      o.server.closeAllConnections();
      await new Promise((resolve) => o.server.close(resolve));
    }
  });

  const get = (path: string, headers: Record<string, string> = {}) => mf.dispatchFetch(`${API}${path}`, { headers });

  describe("routing", () => {
    it("maps /api/<service>/<rest>?<query> to the service's origin, base path kept", async () => {
      const res = await get("/api/ai-lighting/sun/position?lat=1&lon=2");
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ origin: "ai-lighting", path: "/base/sun/position", query: "?lat=1&lon=2" });
      expect(lighting.seen.at(-1)).toMatchObject({ method: "GET", url: "/base/sun/position?lat=1&lon=2" });
    });

    it("forwards a POST with its body and content type, never cached", async () => {
      const body = JSON.stringify({ latitude: 39.7, longitude: -105.2, time: "2003-10-17T12:30:30-07:00" });
      for (let i = 0; i < 2; i++) {
        const res = await mf.dispatchFetch(`${API}/api/ai-lighting/natural-lighting`, { method: "POST", body, headers: { "content-type": "application/json" } });
        expect(res.status).toBe(200);
        expect(res.headers.get("x-abode-cache")).toBe("BYPASS");
        await res.arrayBuffer();
      }
      const posts = lighting.seen.filter((s) => s.url === "/base/natural-lighting");
      expect(posts).toHaveLength(2);
      expect(posts[0]).toMatchObject({ method: "POST", body, headers: { "content-type": "application/json" } });
    });

    it("answers an unknown service with a JSON 404 listing the known ones, without calling any origin", async () => {
      const before = risk.seen.length + lighting.seen.length;
      const res = await get("/api/billing/invoices");
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: "not_found", services: ["ai-lighting", "gone", "risk"] });
      expect(risk.seen.length + lighting.seen.length).toBe(before);
    });

    it("cannot climb out of a service with dot segments", async () => {
      const res = await get("/api/risk/%2e%2e/ai-lighting/x");
      // Normalised to /api/ai-lighting/x before routing: it reaches ai-lighting's origin under its own base only.
      expect(await res.json()).toMatchObject({ origin: "ai-lighting", path: "/base/x" });
    });
  });

  describe("caching", () => {
    it("serves the second GET from the cache under a key with sorted parameters", async () => {
      const first = await get("/api/risk/seismic?lon=-122.4&lat=37.8&riskCategory=II");
      expect(first.headers.get("x-abode-cache")).toBe("MISS");
      const body = await first.json();
      const second = await get("/api/risk/seismic?riskCategory=II&lat=37.8&lon=-122.4");
      expect(second.headers.get("x-abode-cache")).toBe("HIT");
      expect(await second.json()).toEqual(body);
      expect(risk.count("/seismic")).toBe(1);
      expect(second.headers.get("cache-control")).toBe("public, max-age=3600");
      // Purge tags stay internal.
      expect(second.headers.get("cache-tag")).toBeNull();
    });

    it("keeps different parameters apart", async () => {
      await (await get("/api/risk/flood?lat=1&lon=2")).arrayBuffer();
      const other = await get("/api/risk/flood?lat=1&lon=3");
      expect(other.headers.get("x-abode-cache")).toBe("MISS");
      await other.arrayBuffer();
      expect(risk.count("/flood")).toBe(2);
    });

    it("leaves cookies out of the key and away from the origin", async () => {
      await (await get("/api/risk/seismic?lat=5&lon=5", { cookie: "a=1" })).arrayBuffer();
      const second = await get("/api/risk/seismic?lat=5&lon=5", { cookie: "a=2" });
      expect(second.headers.get("x-abode-cache")).toBe("HIT");
      await second.arrayBuffer();
      const reached = risk.seen.filter((s) => s.url === "/seismic?lat=5&lon=5");
      expect(reached).toHaveLength(1);
      expect(reached[0]!.headers.cookie).toBeUndefined();
    });

    it("never caches an authenticated request", async () => {
      for (let i = 0; i < 2; i++) {
        const res = await get("/api/risk/seismic?lat=6&lon=6", { authorization: "Bearer t" });
        expect(res.headers.get("x-abode-cache")).toBe("BYPASS");
        await res.arrayBuffer();
      }
      expect(risk.seen.filter((s) => s.url === "/seismic?lat=6&lon=6")).toHaveLength(2);
      // And it did not fill the cache for anonymous callers either.
      expect((await get("/api/risk/seismic?lat=6&lon=6")).headers.get("x-abode-cache")).toBe("MISS");
    });

    it("never caches an error or an answer that sets a cookie", async () => {
      for (const query of ["status=503&lat=7", "cookie=1&lat=7"]) {
        for (let i = 0; i < 2; i++) {
          const res = await get(`/api/risk/flood?${query}`);
          expect(res.headers.get("x-abode-cache")).toBe("MISS");
          await res.arrayBuffer();
        }
        expect(risk.seen.filter((s) => s.url === `/flood?${query}`)).toHaveLength(2);
      }
      expect((await get("/api/risk/flood?status=503&lat=8")).status).toBe(503);
    });

    it("does not cache GETs of unlisted routes", async () => {
      for (let i = 0; i < 2; i++) {
        const res = await get("/api/risk/healthz");
        expect(res.headers.get("x-abode-cache")).toBe("BYPASS");
        await res.arrayBuffer();
      }
      expect(risk.count("/healthz")).toBe(2);
    });
  });

  describe("headers", () => {
    it.each([
      ["a proxied answer", "/api/ai-lighting/headers-check"],
      ["a cached answer", "/api/risk/seismic?riskCategory=II&lat=37.8&lon=-122.4"],
      ["an edge 404", "/api/nope/x"],
      ["an origin error", "/api/risk/flood?status=500"],
    ])("puts the security headers on %s", async (_label, path) => {
      const res = await get(path);
      await res.arrayBuffer();
      expect(Object.fromEntries(res.headers)).toMatchObject({
        "strict-transport-security": hstsHeader(HSTS),
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
        "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
        "referrer-policy": "no-referrer",
        "permissions-policy": expect.stringContaining("camera=()"),
      });
    });
  });

  describe("trace context", () => {
    const lastTraceparent = () => lighting.seen.at(-1)!.headers.traceparent as string;

    it("continues an incoming trace: same trace id and flags, the edge's own parent id, tracestate kept", async () => {
      const incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
      await (await get("/api/ai-lighting/trace", { traceparent: incoming, tracestate: "vendor=1" })).arrayBuffer();
      const forwarded = parseTraceparent(lastTraceparent())!;
      expect(forwarded).toMatchObject({ version: "00", traceId: "4bf92f3577b34da6a3ce929d0e0e4736", flags: "01" });
      expect(forwarded.parentId).not.toBe("00f067aa0ba902b7");
      expect(lighting.seen.at(-1)!.headers.tracestate).toBe("vendor=1");
    });

    it.each([
      ["absent", undefined],
      ["malformed", "00-xyz-00f067aa0ba902b7-01"],
      ["an all-zero trace id", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"],
    ])("starts a valid, sampled trace when the incoming one is %s", async (_label, incoming) => {
      await (await get("/api/ai-lighting/trace", incoming ? { traceparent: incoming, tracestate: "vendor=1" } : {})).arrayBuffer();
      const sent = lastTraceparent();
      expect(sent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      expect(parseTraceparent(sent)).toBeDefined();
      if (incoming) expect(sent).not.toContain(incoming.split("-")[1]);
      expect(lighting.seen.at(-1)!.headers.tracestate).toBeUndefined();
    });
  });

  describe("origin failure", () => {
    it("answers a JSON 504 when the origin does not answer in time", async () => {
      const res = await get("/api/risk/slow", { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" });
      expect(res.status).toBe(504);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await res.json()).toMatchObject({ error: "origin_timeout", service: "risk", timeoutMs: TIMEOUT_MS, traceId: "4bf92f3577b34da6a3ce929d0e0e4736" });
    });

    it("answers a JSON 502 when the origin refuses the connection", async () => {
      const res = await get("/api/gone/anything");
      expect(res.status).toBe(502);
      expect(await res.json()).toMatchObject({ error: "origin_unreachable", service: "gone" });
    });
  });
});

describe("the API Worker with broken bindings", () => {
  it("answers 500 edge_misconfigured instead of guessing, and logs every problem", async () => {
    const logs: string[] = [];
    const mf = new Miniflare({
      modules: true,
      script: bundleWorker().code,
      compatibilityDate: WORKER_COMPATIBILITY_DATE,
      bindings: { ORIGINS: { risk: "not a url" }, ORIGIN_TIMEOUT_MS: "soon", HSTS: "max-age=1" },
      handleStructuredLogs: ({ message }: { message: string }) => {
        logs.push(message);
      },
    });
    try {
      const res = await mf.dispatchFetch(`${API}/api/risk/seismic`);
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ error: "edge_misconfigured", message: "The edge is misconfigured; see the Worker's logs." });
      expect(logs.join("\n")).toMatch(/ORIGINS\.risk: not an http\(s\) URL; ORIGIN_TIMEOUT_MS must be a positive integer/);
    } finally {
      await mf.dispose();
    }
  }, 30_000);
});
