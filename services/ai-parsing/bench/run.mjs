// Pre- and post-processing of the AI parsing service per 1080p image, excluding the model,
// next to a baseline measured in the same run: sharp decoding the same bytes and nothing else.
// Run with `npm run bench -w services/ai-parsing` (or the root's `npm run bench`); it builds first.
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT, buildService } from "../../../bench/service-build.mjs";

const root = REPO_ROOT;
const require = createRequire(import.meta.url);
buildService("ai-parsing");

const sharp = require("sharp");
const dist = (file) => require(path.join(root, "services/ai-parsing/dist", file));
const { readImageHeader, letterboxedInput } = dist("image.js");
const { letterboxParams } = dist("letterbox.js");
const { postprocess } = dist("detect.js");

const RUNS = Number(process.env.BENCH_RUNS ?? 60);
const INPUT = { width: 640, height: 640 };
const MAX_PIXELS = 40_000_000;
const GOAL_MS = 10;

/** A 1920×1080 floor-plan-like drawing: walls, doors, windows, labels (transparent background). */
function drawingSvg() {
  const parts = [];
  for (let i = 0; i < 12; i++) {
    const x = 80 + (i % 4) * 440;
    const y = 80 + Math.floor(i / 4) * 320;
    parts.push(`<rect x="${x}" y="${y}" width="420" height="300" fill="none" stroke="#111" stroke-width="8"/>`);
    parts.push(`<path d="M ${x + 60} ${y + 300} a 70 70 0 0 1 70 -70" fill="none" stroke="#333" stroke-width="2"/>`);
    parts.push(`<line x1="${x + 200}" y1="${y}" x2="${x + 320}" y2="${y}" stroke="#39f" stroke-width="6"/>`);
    parts.push(`<text x="${x + 150}" y="${y + 160}" font-size="36" font-family="sans-serif">Room ${i + 1}</text>`);
  }
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="1920" height="1080">${parts.join("")}</svg>`);
}

/** A deterministic stand-in for YOLOv8's [1, 84, 8400] output: 80 classes, ~300 anchors firing in clusters. */
function syntheticOutput() {
  const classes = 80;
  const n = 8400;
  const data = new Float32Array((4 + classes) * n);
  let seed = 42;
  const random = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  for (let i = 0; i < n; i++) {
    data[i] = random() * 640;
    data[n + i] = 140 + random() * 360;
    data[2 * n + i] = 8 + random() * 120;
    data[3 * n + i] = 8 + random() * 120;
    for (let c = 0; c < classes; c++) data[(4 + c) * n + i] = random() * 0.02;
  }
  for (let k = 0; k < 30; k++) {
    const cx = 40 + random() * 560;
    const cy = 180 + random() * 280;
    const cls = Math.floor(random() * 12);
    for (let j = 0; j < 10; j++) {
      const i = Math.floor(random() * n);
      data[i] = cx + (random() - 0.5) * 12;
      data[n + i] = cy + (random() - 0.5) * 12;
      data[2 * n + i] = 60;
      data[3 * n + i] = 40;
      data[(4 + cls) * n + i] = 0.3 + random() * 0.65;
    }
  }
  return { data, dims: [1, 4 + classes, n], classNames: Array.from({ length: classes }, (_, c) => `class${c}`) };
}

const percentiles = (times) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: sorted[Math.floor(sorted.length / 2)], p90: sorted[Math.floor(sorted.length * 0.9)] };
};

/** Times the functions alternately, run after run, so a busy neighbour slows each of them alike. */
async function timeInterleaved(...fns) {
  for (let i = 0; i < 5; i++) for (const fn of fns) await fn();
  const times = fns.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    for (const [k, fn] of fns.entries()) {
      const start = process.hrtime.bigint();
      await fn();
      times[k].push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  return times.map(percentiles);
}

async function main() {
  const drawing = await sharp(drawingSvg()).flatten({ background: "#fff" }).png().toBuffer();
  const images = {
    "floor-plan drawing, PNG RGB": drawing,
    "floor-plan drawing, PNG RGBA (transparent background)": await sharp(drawingSvg()).png().toBuffer(),
    "floor-plan drawing, JPEG q90": await sharp(drawing).jpeg({ quality: 90 }).toBuffer(),
    "noise (worst case), JPEG q90": await sharp({ create: { width: 1920, height: 1080, channels: 3, background: "#000", noise: { type: "gaussian", mean: 128, sigma: 40 } } }).jpeg({ quality: 90 }).toBuffer(),
  };
  const output = syntheticOutput();
  const parameters = { confidence: 0.25, iou: 0.7, maxDetections: 300 };
  const letterbox = letterboxParams({ width: 1920, height: 1080 }, INPUT);
  const kept = postprocess(output, letterbox, output.classNames, parameters).length;
  const [post] = await timeInterleaved(() => postprocess(output, letterbox, output.classNames, parameters));

  const fmt = (n) => n.toFixed(2);
  console.log(`\nsharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips}), ${sharp.concurrency()} libvips thread(s), ${RUNS} runs each, p50 (p90) in ms`);
  console.log("");
  console.log("| 1920×1080 image | pre-processing (header check, decode, letterbox, CHW float) | post-processing (decode 8400×84, NMS, inversion) | pre + post | baseline: sharp decode only | goal (pre + post) |");
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const [name, bytes] of Object.entries(images)) {
    const [pre, decode] = await timeInterleaved(
      async () => {
        const header = await readImageHeader(bytes, MAX_PIXELS);
        await letterboxedInput(bytes, letterboxParams(header, INPUT), MAX_PIXELS);
      },
      () => sharp(bytes).raw().toBuffer(),
    );
    console.log(
      `| ${name} (${(bytes.length / 1024).toFixed(0)} KiB) | ${fmt(pre.p50)} (${fmt(pre.p90)}) | ${fmt(post.p50)} (${fmt(post.p90)}) | ${fmt(pre.p50 + post.p50)} | ${fmt(decode.p50)} (${fmt(decode.p90)}) | ≤ ${GOAL_MS} |`,
    );
  }
  console.log(`\nload average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(", ")} on ${os.availableParallelism()} cores (the machine is shared; p90s show the noise)`);
  console.log(`post-processing input: synthetic [1, 84, 8400] output, ${kept} boxes kept of 300 firing anchors in 30 clusters`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
