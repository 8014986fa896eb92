// Benchmarks of the IFC service, each next to a baseline measured in the same run.
// Run with `npm run bench -w services/ifc` (or the root's `npm run bench`); it builds first.
//
// Baseline ("floor"): bare web-ifc in a separate process: OpenModel + GetLine on every line +
// CloseModel, warm. The service's figures are whole HTTP requests (upload, hand-off to the
// web-ifc worker thread, the work, the answer) against the real service in this process, so
// this process's peak RSS is the service's (main thread + worker + wasm heap).
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import path from "node:path";
import { REPO_ROOT, buildService } from "../../../bench/service-build.mjs";

const root = REPO_ROOT;
const require = createRequire(import.meta.url);
buildService("ifc");

const autocannon = require("autocannon");
const { createService } = require(path.join(root, "services/kit/dist/index.js"));
const { registerIfcRoutes } = require(path.join(root, "services/ifc/dist/app.js"));
const { DEFAULT_SETTINGS } = require(path.join(root, "services/ifc/dist/settings.js"));

const FIXTURES = path.resolve(root, "../shared/fixtures/ifc");
const FILE = path.join(FIXTURES, "AC20-FZK-Haus.ifc");
const SMALL = path.join(FIXTURES, "IfcOpenHouse_IFC4.ifc");
const WARMUP = 3;
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 5);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))];
const fmt = (n, d = 0) => n.toFixed(d);

/** The floor, in its own process so its wasm heap does not count towards the service's RSS. */
function floor() {
  const script = `
    const { IfcAPI, LogLevel } = require("web-ifc");
    const data = require("node:fs").readFileSync(${JSON.stringify(FILE)});
    (async () => {
      const api = new IfcAPI(); await api.Init(); api.SetLogLevel(LogLevel.LOG_LEVEL_OFF);
      const times = []; let lines = 0;
      for (let run = 0; run < ${WARMUP + RUNS}; run++) {
        const t = performance.now();
        const id = api.OpenModel(data);
        const all = api.GetAllLines(id);
        lines = all.size();
        for (let i = 0; i < lines; i++) api.GetLine(id, all.get(i));
        all.delete();
        api.CloseModel(id);
        if (run >= ${WARMUP}) times.push(performance.now() - t);
      }
      console.log(JSON.stringify({ times, lines, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
    })();`;
  return JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: root }).toString());
}

async function timed(url, route, data) {
  const times = [];
  const worker = [];
  let bytes = 0;
  for (let run = 0; run < WARMUP + RUNS; run++) {
    const t = performance.now();
    const res = await fetch(`${url}${route}`, { method: "POST", headers: { "content-type": "application/octet-stream" }, body: data });
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`${route}: ${res.status} ${body.toString().slice(0, 200)}`);
    if (run < WARMUP) continue;
    times.push(performance.now() - t);
    worker.push(Number(/dur=([\d.]+)/.exec(res.headers.get("server-timing") ?? "")?.[1]));
    bytes = body.length;
  }
  return { p50: median(times), p90: p90(times), worker: median(worker), bytes };
}

async function main() {
  const data = readFileSync(FILE);
  const base = floor();
  const floorMs = median(base.times);

  const service = createService({ name: "ifc", version: "bench", logDestination: new Writable({ write: (_c, _e, done) => done() }) });
  registerIfcRoutes(service, DEFAULT_SETTINGS);
  const { url } = await service.listen({ host: "127.0.0.1", port: 0 });
  while ((await fetch(`${url}/readyz`)).status !== 200) await new Promise((r) => setTimeout(r, 50));

  const validate = await timed(url, "/validate", data);
  const elements = await timed(url, "/elements", data);
  const glb = await timed(url, "/geometry", data);
  const json = await timed(url, "/geometry?format=json", data);

  const small = readFileSync(SMALL);
  const load = await autocannon({ url: `${url}/validate`, method: "POST", headers: { "content-type": "application/octet-stream" }, body: small, connections: 4, duration: DURATION_S });
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  await service.close();

  const both = validate.p50 + elements.p50;
  const ratio = (ms) => `${fmt(ms / floorMs, 2)}× floor`;
  console.log(`\nAC20-FZK-Haus.ifc (${fmt(data.length / 1e6, 1)} MB, ${base.lines} lines), ${RUNS} warm runs each after ${WARMUP} warm-up; medians (p90). One web-ifc worker.`);
  console.log("");
  console.log("| measurement | result | baseline (same run) | goal |");
  console.log("| --- | --- | --- | --- |");
  console.log(`| floor: bare web-ifc OpenModel + GetLine on all ${base.lines} lines + CloseModel | ${fmt(floorMs)} ms (p90 ${fmt(p90(base.times))}) | — | — |`);
  console.log(`| POST /validate (HTTP, whole request) | ${fmt(validate.p50)} ms (p90 ${fmt(validate.p90)}); in the worker ${fmt(validate.worker)} ms; ${ratio(validate.p50)} | ${fmt(floorMs)} ms | ≤ 1.3× floor and ≤ 500 ms |`);
  console.log(`| POST /elements (HTTP, whole request) | ${fmt(elements.p50)} ms (p90 ${fmt(elements.p90)}); in the worker ${fmt(elements.worker)} ms; ${ratio(elements.p50)} | ${fmt(floorMs)} ms | ≤ 1.3× floor and ≤ 500 ms |`);
  console.log(`| /validate + /elements together | ${fmt(both)} ms; ${ratio(both)} | ${fmt(floorMs)} ms | ≤ 1.3× floor and ≤ 500 ms |`);
  console.log(`| POST /geometry → GLB (${fmt(glb.bytes / 1e6, 2)} MB) | ${fmt(glb.p50)} ms (p90 ${fmt(glb.p90)}); in the worker ${fmt(glb.worker)} ms | ${fmt(floorMs)} ms (floor) | — |`);
  console.log(`| POST /geometry?format=json (bounding boxes only) | ${fmt(json.p50)} ms (p90 ${fmt(json.p90)}) | — | — |`);
  console.log(`| POST /validate IfcOpenHouse_IFC4.ifc (113 KB), 4 connections, ${DURATION_S} s | ${fmt(load.requests.average)} req/s, p50 ${load.latency.p50} ms, non-2xx ${load.non2xx} | — | — |`);
  console.log(`| peak RSS of the service process (main + worker + wasm heap) | ${fmt(peakRssMb)} MB | bare web-ifc floor process ${fmt(base.maxRssMb)} MB | ≤ 400 MB |`);
  const goals = [
    ["validate ≤ 1.3× floor", validate.p50 <= 1.3 * floorMs],
    ["elements ≤ 1.3× floor", elements.p50 <= 1.3 * floorMs],
    ["validate + elements ≤ 1.3× floor", both <= 1.3 * floorMs],
    ["validate ≤ 500 ms", validate.p50 <= 500],
    ["elements ≤ 500 ms", elements.p50 <= 500],
    ["validate + elements ≤ 500 ms", both <= 500],
    ["peak RSS ≤ 400 MB", peakRssMb <= 400],
  ];
  console.log(`\ngoals: ${goals.map(([name, met]) => `${met ? "met" : "MISSED"}: ${name}`).join("; ")}`);
  if (load.non2xx > 0 || load.errors > 0) console.log(`WARNING: non-2xx or errors under load: ${load.non2xx} / ${load.errors}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
