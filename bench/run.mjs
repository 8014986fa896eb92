// `npm run bench`: evaluation time of the whole dev stack under mocks, next to the floor
// (loading the @pulumi/* SDK modules it imports), measured alternately in the same run.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const runs = Number(process.env.BENCH_RUNS ?? 9);

// Compile once, outside the timings (the Pulumi CLI transpiles TypeScript before it runs it).
const build = mkdtempSync(join(tmpdir(), "abode-bench-"));
execFileSync("npx", ["tsc", "-p", "tsconfig.json", "--outDir", build, "--noEmit", "false", "--rootDir", "."], { cwd: root, stdio: "inherit" });
// Pulumi.dev.yaml is read relative to the compiled test helper; node_modules from the repo.
symlinkSync(join(root, "Pulumi.dev.yaml"), join(build, "Pulumi.dev.yaml"));
symlinkSync(join(root, "node_modules"), join(build, "node_modules"));

const measure = (script, ...args) => JSON.parse(execFileSync(process.execPath, [join(root, "bench", script), ...args], { cwd: root }).toString());
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The resource graph's shape, for the second floor.
const { types } = measure("stack-eval.cjs", build);
const histogram = JSON.stringify(types);
const resources = Object.values(types).reduce((a, b) => a + b, 0);

const floor = [];
const sdkGraph = [];
const stack = [];
for (let i = 0; i < runs; i++) {
  floor.push(measure("sdk-floor.cjs").ms);
  sdkGraph.push(measure("sdk-floor.cjs", histogram).ms);
  stack.push(measure("stack-eval.cjs", build).ms);
}
rmSync(build, { recursive: true, force: true });

const row = (label, ms) => console.log(`  ${label.padEnd(62)} ${ms.toFixed(0).padStart(5)} ms  ${(ms / median(floor)).toFixed(2)}×`);
console.log(`dev stack under mocks: median of ${runs} alternating runs, ms from process start`);
row("floor: load @pulumi/{pulumi,docker,random,tls} + set mocks", median(floor));
row(`SDK alone registering the same ${resources} resources, bare inputs`, median(sdkGraph));
row(`whole dev stack from Pulumi.dev.yaml (${resources} resources)`, median(stack));
console.log(`  goal: whole stack ≤ 1.5× the first floor`);
