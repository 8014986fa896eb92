// For a service's benchmark: compile the kit and the service with the commands its image's
// build stage runs, so the benchmark measures the compiled dist/ the image would run.
import { execFileSync } from "node:child_process";
import path from "node:path";

export const REPO_ROOT = path.resolve(import.meta.dirname, "..");

export function buildService(name) {
  const tsc = path.join(REPO_ROOT, "node_modules/typescript/bin/tsc");
  for (const project of ["services/kit/tsconfig.build.json", `services/${name}/tsconfig.build.json`]) {
    execFileSync(process.execPath, [tsc, "-p", project], { cwd: REPO_ROOT, stdio: "inherit" });
  }
}
