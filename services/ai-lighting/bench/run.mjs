// Benchmarks of the AI lighting service, each next to a baseline measured in the same run.
// Run with `npm run bench -w services/ai-lighting` (or the root's `npm run bench`); it builds first.
import { createRequire } from "node:module";
import { Writable } from "node:stream";
import path from "node:path";
import { REPO_ROOT, buildService } from "../../../bench/service-build.mjs";

const root = REPO_ROOT;
const require = createRequire(import.meta.url);
buildService("ai-lighting");

const autocannon = require("autocannon");
const Fastify = require("fastify");
const { createService } = require(path.join(root, "services/kit/dist/index.js"));
const { registerLightingRoutes } = require(path.join(root, "services/ai-lighting/dist/app.js"));
const { solarPosition, riseTransitSet } = require(path.join(root, "services/ai-lighting/dist/spa.js"));

const DURATION_S = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = 10;
const silent = new Writable({ write: (_c, _e, done) => done() });

const naturalBody = JSON.stringify({ latitude: 39.742476, longitude: -105.1786, elevation: 1830.14, pressure: 820, temperature: 11, deltaT: 67, time: "2003-10-17T12:30:30-07:00" });

function office() {
  const luminaires = [];
  for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) luminaires.push({ x: (c + 0.5) * 2.5, y: (r + 0.5) * (8 / 3), z: 2.8, flux: 4500, distribution: "lambertian", maintenanceFactor: 0.8 });
  return {
    room: { floor: [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 8 }, { x: 0, y: 8 }], height: 3, workPlaneHeight: 0.75, type: "office" },
    luminaires,
    grid: { spacing: 0.25, margin: 0 },
  };
}
const officeWithWindow = () => ({
  ...office(),
  windows: [{ polygon: [{ x: 2, y: 0, z: 0.9 }, { x: 8, y: 0, z: 0.9 }, { x: 8, y: 0, z: 2.4 }, { x: 2, y: 0, z: 2.4 }], transmittance: 0.6 }],
});

async function cannon(url, opts) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, ...opts });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

async function main() {
  // The floor: a bare fastify route with no logging, metrics or validation.
  const bare = Fastify({ logger: false });
  bare.post("/bare", async () => ({ ok: true }));
  await bare.listen({ host: "127.0.0.1", port: 0 });
  const bareUrl = `http://127.0.0.1:${bare.server.address().port}/bare`;

  // The real service: kit hooks (metrics, request log at info, error handling) and zod validation.
  const service = createService({ name: "ai-lighting", version: "bench", logDestination: silent, logLevel: process.env.BENCH_LOG_LEVEL ?? "info" });
  registerLightingRoutes(service);
  const { url } = await service.listen({ host: "127.0.0.1", port: 0 });

  const post = { method: "POST", headers: { "content-type": "application/json" } };
  console.log(`autocannon: ${CONNECTIONS} connections, ${DURATION_S} s each, loopback, one process`);
  const floor = await cannon(bareUrl, { ...post, body: naturalBody });
  const natural = await cannon(`${url}/natural-lighting`, { ...post, body: naturalBody });
  // A different day on every request: no sunrise/sunset cache hits.
  let day = 0;
  const naturalMiss = await cannon(`${url}/natural-lighting`, {
    requests: [
      {
        ...post,
        setupRequest: (req) => {
          day = (day + 1) % 36500;
          const date = new Date(Date.UTC(1950, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
          return { ...req, body: naturalBody.replace("2003-10-17", date) };
        },
      },
    ],
  });
  const analyzeHttp = await cannon(`${url}/analyze`, { ...post, body: JSON.stringify(office()) });

  // SPA per call, next to a baseline of the same loop doing nothing but building the input.
  const input = { local: { year: 2003, month: 10, day: 17, hour: 12, minute: 30, second: 30 }, timezoneHours: -7, latitude: 39.742476, longitude: -105.1786, elevation: 1830.14, pressure: 820, temperature: 11, deltaT: 67 };
  const timeLoop = (n, fn) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn(i);
    return Number(process.hrtime.bigint() - start) / 1e3 / n;
  };
  let sink = 0;
  const calls = 50_000;
  timeLoop(5_000, (i) => (sink += solarPosition({ ...input, latitude: 39 + i * 1e-6 }).zenith)); // warm-up
  const spaUs = timeLoop(calls, (i) => (sink += solarPosition({ ...input, latitude: 39 + i * 1e-6 }).zenith));
  const baselineUs = timeLoop(calls, (i) => (sink += { ...input, latitude: 39 + i * 1e-6 }.latitude));
  const rtsUs = timeLoop(5_000, (i) => (sink += riseTransitSet({ ...input, latitude: 39 + i * 1e-6 }).transit));

  // /analyze latency, sequential requests (no queueing), p50 over many runs.
  const analyzeLatency = async (body, runs) => {
    const times = [];
    const payload = JSON.stringify(body);
    for (let i = 0; i < runs; i++) {
      const t = process.hrtime.bigint();
      const res = await fetch(`${url}/analyze`, { ...post, body: payload });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`analyze ${res.status}`);
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    times.sort((a, b) => a - b);
    return { p50: times[Math.floor(runs / 2)], p90: times[Math.floor(runs * 0.9)] };
  };
  const healthLatency = async (runs) => {
    const times = [];
    for (let i = 0; i < runs; i++) {
      const t = process.hrtime.bigint();
      await (await fetch(`${url}/healthz`)).arrayBuffer();
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(runs / 2)];
  };
  await analyzeLatency(office(), 20);
  const a = await analyzeLatency(office(), 200);
  const aw = await analyzeLatency(officeWithWindow(), 100);
  const h = await healthLatency(200);

  const fmt = (n, d = 1) => n.toFixed(d);
  console.log("");
  console.log("| measurement | result | baseline (same run) | goal |");
  console.log("| --- | --- | --- | --- |");
  console.log(`| bare fastify POST (floor) | ${fmt(floor.rps, 0)} req/s, p50 ${floor.p50} ms | — | — |`);
  console.log(`| POST /natural-lighting | ${fmt(natural.rps, 0)} req/s (${fmt((100 * natural.rps) / floor.rps, 0)} % of floor), p50 ${natural.p50} ms, p99 ${natural.p99} ms | ${fmt(floor.rps, 0)} req/s | ≥ 50 % of floor |`);
  console.log(`| POST /natural-lighting, a new day each request (no sunrise cache hits) | ${fmt(naturalMiss.rps, 0)} req/s (${fmt((100 * naturalMiss.rps) / floor.rps, 0)} % of floor), p50 ${naturalMiss.p50} ms | ${fmt(floor.rps, 0)} req/s | ≥ 50 % of floor |`);
  console.log(`| SPA solarPosition per call | ${fmt(spaUs, 2)} µs | ${fmt(baselineUs, 3)} µs (loop + input only) | ≤ 20 µs |`);
  console.log(`| SPA sunrise/transit/sunset per call | ${fmt(rtsUs, 2)} µs | — | — |`);
  console.log(`| POST /analyze 10×8 m, 0.25 m grid (1280 pts), 12 luminaires, sequential | p50 ${fmt(a.p50, 2)} ms, p90 ${fmt(a.p90, 2)} ms | GET /healthz p50 ${fmt(h, 2)} ms | p50 ≤ 5 ms (seed 10–50 ms) |`);
  console.log(`| same + one 6 × 1.5 m window (daylight factor) | p50 ${fmt(aw.p50, 2)} ms, p90 ${fmt(aw.p90, 2)} ms | — | — |`);
  console.log(`| POST /analyze throughput, ${CONNECTIONS} connections | ${fmt(analyzeHttp.rps, 0)} req/s, p50 ${analyzeHttp.p50} ms | — | — |`);
  const problems = [floor, natural, naturalMiss, analyzeHttp].filter((r) => r.non2xx > 0 || r.errors > 0);
  if (problems.length > 0) console.log(`\nWARNING: non-2xx or errors during load: ${JSON.stringify(problems)}`);
  void sink;
  await service.close();
  await bare.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
