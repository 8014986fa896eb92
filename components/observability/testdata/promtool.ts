import { spawnSync } from "node:child_process";

/**
 * Runs Debian's `promtool` (package `prometheus`; `PROMTOOL` overrides the path). A missing
 * promtool is an error, never a skip: these checks are the only proof the rendered config
 * and rules load in Prometheus.
 */
export function promtool(args: string[], cwd: string): string {
  const bin = process.env.PROMTOOL ?? "promtool";
  const run = spawnSync(bin, args, { cwd, encoding: "utf8", timeout: 20_000 });
  if (run.error) {
    const missing = (run.error as NodeJS.ErrnoException).code === "ENOENT";
    throw new Error(
      missing
        ? `promtool not found (looked for "${bin}"). Install it with \`apt-get install prometheus\` or set PROMTOOL to its path.`
        : `promtool ${args.join(" ")} could not run: ${run.error.message}`,
    );
  }
  const output = `${run.stdout}${run.stderr}`;
  if (run.status !== 0) throw new Error(`promtool ${args.join(" ")} failed (exit ${run.status}):\n${output}`);
  return output;
}
