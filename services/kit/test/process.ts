/**
 * Test support for every service's process test: compile a service the way its Dockerfile does,
 * start `dist/main.js` as a real process, and collect its JSON log lines.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "../../..");

/** `tsc -p services/kit/tsconfig.build.json` then the service's, like the Dockerfile's build stage. */
export function buildService(name: string): void {
  const tsc = path.join(REPO_ROOT, "node_modules/typescript/bin/tsc");
  for (const project of ["services/kit/tsconfig.build.json", `services/${name}/tsconfig.build.json`]) {
    execFileSync(process.execPath, [tsc, "-p", project], { cwd: REPO_ROOT });
  }
}

export interface RunningService {
  child: ChildProcess;
  /** Every JSON line written to stdout or stderr so far. */
  lines: Record<string, unknown>[];
  /** Lines that were not JSON (a service should write none). */
  stray: string[];
  exited: Promise<number | null>;
  /** Resolves with the base URL once the service logged `listening`. */
  url(): Promise<string>;
}

/**
 * Starts `services/<name>/<main>` (default `dist/main.js`; an absolute `main` as it is) with only
 * PATH and `env` in its environment.
 */
export function startService(name: string, env: Record<string, string>, main = "dist/main.js"): RunningService {
  const entry = path.isAbsolute(main) ? main : path.join(REPO_ROOT, "services", name, main);
  const child = spawn(process.execPath, [entry], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const lines: Record<string, unknown>[] = [];
  const stray: string[] = [];
  const collect = () => {
    let buffered = "";
    return (chunk: Buffer) => {
      buffered += chunk.toString();
      let nl: number;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (!line.trim()) continue;
        try {
          lines.push(JSON.parse(line));
        } catch {
          stray.push(line);
        }
      }
    };
  };
  child.stdout!.on("data", collect());
  child.stderr!.on("data", collect());
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = async () => {
    for (let i = 0; i < 400; i++) {
      const listening = lines.find((l) => l.msg === "listening");
      if (listening) return `http://127.0.0.1:${listening.port}`;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`service ${name} did not start: ${JSON.stringify(lines)}`);
  };
  return { child, lines, stray, exited, url };
}
