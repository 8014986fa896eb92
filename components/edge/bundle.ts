import { createHash } from "node:crypto";
import * as path from "node:path";
import { buildSync } from "esbuild";

/** The Worker's entry module (TypeScript, module syntax). */
export const WORKER_ENTRY = path.join(__dirname, "worker", "src", "index.ts");
/** The name of the uploaded main module. */
export const WORKER_MAIN_MODULE = "worker.js";
/**
 * The Workers runtime behaviour the Worker is written against (and tested with, in miniflare).
 * After 2024-11-11 so `fetch(…, { cache: "no-store" })` is honoured.
 */
export const WORKER_COMPATIBILITY_DATE = "2025-09-01";

export interface WorkerBundle {
  /** One ES module, no imports left. */
  code: string;
  /** Hex SHA-256 of `code`: changes exactly when the deployed script would. */
  sha256: string;
}

/**
 * Bundles the Worker's TypeScript source into one ES module with esbuild, in memory. The same
 * source always gives the same bytes (no timestamps, no absolute paths in the output), so a
 * preview shows a change only when the Worker's code changed.
 */
export function bundleWorker(entry: string = WORKER_ENTRY): WorkerBundle {
  const result = buildSync({
    entryPoints: [entry],
    // Module comments name files relative to this folder: the output does not depend on the cwd.
    absWorkingDir: path.dirname(entry),
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    legalComments: "none",
    charset: "utf8",
    logLevel: "silent",
  });
  if (result.errors.length > 0 || result.outputFiles.length !== 1) {
    throw new Error(`bundleWorker: esbuild failed for ${entry}: ${result.errors.map((e) => e.text).join("; ")}`);
  }
  const code = result.outputFiles[0]!.text;
  return { code, sha256: createHash("sha256").update(code).digest("hex") };
}
