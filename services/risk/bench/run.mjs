// Risk service benchmark: cached lookup throughput next to a bare fastify route, same run.
// Run with `npm run bench -w services/risk` (or the root's `npm run bench`); it builds first.
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { Writable } from "node:stream";
import path from "node:path";
import { REPO_ROOT, buildService } from "../../../bench/service-build.mjs";

const root = REPO_ROOT;
const require = createRequire(import.meta.url);
buildService("risk");

const autocannon = require("autocannon");
const Fastify = require("fastify");
const { createService } = require(path.join(root, "services/kit/dist/index.js"));
const { registerRiskRoutes } = require(path.join(root, "services/risk/dist/app.js"));

const DURATION_S = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = 10;

// A local upstream with the documented answers; after the first request everything is cached.
const upstream = createServer((req, res) => {
  const body = req.url.startsWith("/fema")
    ? { features: [{ attributes: { FLD_ZONE: "AE", ZONE_SUBTY: null, SFHA_TF: "T", STATIC_BFE: 9, DFIRM_ID: "12086C" } }] }
    : {
        request: { status: "success", referenceDocument: "ASCE7-16" },
        response: { data: { pga: 0.819108, ss: 1.88774, s1: 0.66871, fa: 1.2, fv: 1.4, sms: 2.26529, sm1: 0.9362, sds: 1.51019, sd1: 0.62413, sdc: "D", "t-sub-l": 8 } },
      };
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
});
await new Promise((r) => upstream.listen(0, "127.0.0.1", r));
const upstreamUrl = `http://127.0.0.1:${upstream.address().port}`;

async function cannon(url) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx };
}

const bare = Fastify({ logger: false });
bare.get("/bare", async () => ({ ok: true }));
await bare.listen({ host: "127.0.0.1", port: 0 });

const service = createService({ name: "risk", version: "bench", logDestination: new Writable({ write: (_c, _e, done) => done() }) });
registerRiskRoutes(service, {
  usgsBaseUrl: `${upstreamUrl}/usgs`,
  femaQueryUrl: `${upstreamUrl}/fema/query`,
  timeoutMs: 5000,
  retries: 0,
  breakerThreshold: 5,
  breakerCooldownMs: 30000,
  cacheTtlMs: 3_600_000,
  cacheMaxEntries: 10000,
});
const { url } = await service.listen({ host: "127.0.0.1", port: 0 });
const paths = { flood: "/flood?lat=25.77&lon=-80.19", seismic: "/seismic?lat=34&lon=-118&riskCategory=III&siteClass=C&standard=asce7-16", risk: "/risk?lat=34&lon=-118" };
for (const p of Object.values(paths)) if ((await fetch(`${url}${p}`)).status !== 200) throw new Error(`warm-up of ${p} failed`);

console.log(`autocannon: ${CONNECTIONS} connections, ${DURATION_S} s each, loopback, one process`);
const floor = await cannon(`http://127.0.0.1:${bare.server.address().port}/bare`);
const results = {};
for (const [name, p] of Object.entries(paths)) results[name] = await cannon(`${url}${p}`);

const fmt = (r) => `${Math.round(r.rps).toLocaleString("en")} req/s (p50 ${r.p50} ms, p99 ${r.p99} ms${r.non2xx ? `, ${r.non2xx} non-2xx` : ""})`;
console.log(`floor   bare fastify GET           ${fmt(floor)}`);
for (const [name, r] of Object.entries(results)) {
  const share = Math.round((100 * r.rps) / floor.rps);
  console.log(`cached  GET /${name.padEnd(8)}             ${fmt(r)}  = ${share} % of the floor (goal ≥ 50 %)`);
}
await service.close();
await bare.close();
upstream.close();
