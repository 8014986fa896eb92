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

const floor = [];
const stack = [];
let resources = 0;
measure("sdk-floor.cjs"); // warm the file cache for both
for (let i = 0; i < runs; i++) {
  floor.push(measure("sdk-floor.cjs").ms);
  const result = measure("stack-eval.cjs", build);
  stack.push(result.ms);
  resources = result.resources;
}
rmSync(build, { recursive: true, force: true });

const f = median(floor);
const s = median(stack);
console.log(`dev stack under mocks (median of ${runs}, from process start):`);
console.log(`  floor: load @pulumi/{pulumi,docker,random,tls} + mocks   ${f.toFixed(0)} ms`);
console.log(`  whole dev stack evaluated, last resource registered   ${s.toFixed(0)} ms  (${resources} resources)`);
console.log(`  ratio ${(s / f).toFixed(2)}× the floor (goal ≤ 1.5×)`);
