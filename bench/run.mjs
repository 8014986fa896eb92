// `npm run bench` (stacks): evaluation time of the whole dev and prod stacks under mocks, from
// process start to the last resource registered, next to the floor — loading just the @pulumi/*
// SDK modules each program imports — measured alternately in the same run. For dev, a second
// floor: the SDK alone registering the same resource graph with bare inputs.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const runs = Number(process.env.BENCH_RUNS ?? 9);

// Compile once, outside the timings (the Pulumi CLI transpiles TypeScript before it runs it).
const build = mkdtempSync(join(tmpdir(), "abode-bench-"));
execFileSync("npx", ["tsc", "-p", "tsconfig.json", "--outDir", build, "--noEmit", "false", "--rootDir", "."], { cwd: root, stdio: "inherit" });
// The stack files are read relative to the compiled test helper; node_modules from the repo.
for (const file of ["Pulumi.dev.yaml", "Pulumi.prod.yaml", "node_modules"]) symlinkSync(join(root, file), join(build, file));
// The prod stack bundles the Worker from its TypeScript source with esbuild at deploy time.
cpSync(join(root, "components/edge/worker/src"), join(build, "components/edge/worker/src"), { recursive: true });

const measure = (script, ...args) => JSON.parse(execFileSync(process.execPath, [join(root, "bench", script), ...args], { cwd: root }).toString());
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const STACKS = [
  // The dev stack's types all come from docker/random/tls, so the same graph can be rebuilt bare.
  { stack: "dev", packages: "docker,random,tls", graphFloor: true },
  { stack: "prod", packages: "aws,eks,kubernetes,docker,random,tls,cloudflare", graphFloor: false },
];

for (const { stack, packages, graphFloor } of STACKS) {
  const { types } = measure("stack-eval.cjs", build, stack); // also warms the file cache
  const resources = Object.values(types).reduce((a, b) => a + b, 0);
  const floor = [];
  const graph = [];
  const whole = [];
  for (let i = 0; i < runs; i++) {
    floor.push(measure("sdk-floor.cjs", packages).ms);
    if (graphFloor) graph.push(measure("sdk-floor.cjs", packages, JSON.stringify(types)).ms);
    whole.push(measure("stack-eval.cjs", build, stack).ms);
  }
  const base = median(floor);
  const row = (label, ms) => console.log(`  ${label.padEnd(64)} ${ms.toFixed(0).padStart(5)} ms  ${(ms / base).toFixed(2)}×`);
  console.log(`${stack} stack under mocks: median of ${runs} alternating runs, ms from process start`);
  row(`floor: load @pulumi/{pulumi,${packages}} + set mocks`, base);
  if (graphFloor) row(`SDK alone registering the same ${resources} resources, bare inputs`, median(graph));
  row(`whole ${stack} stack from Pulumi.${stack}.yaml (${resources} resources)`, median(whole));
  console.log(`  goal: whole stack ≤ 1.5× the first floor\n`);
}
rmSync(build, { recursive: true, force: true });
