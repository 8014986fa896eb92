/**
 * The entry point of a case Job's pod (`node services/cfd/dist/job/main.js`, see
 * src/kubernetes/manifest.ts): one case run, then exit 0 (succeeded), 1 (failed) or 143
 * (SIGTERM). Its stdout is the case log the solver follows, so it prints OpenFOAM's lines as
 * they are and its own prefixed with `[cfd-job]`, not JSON.
 */
import { parseEnv } from "@abode/service-kit";
import { createLocalRunner } from "../runner/local";
import { CaseStore } from "../storage/s3";
import { jobEnvSchema } from "./env";
import { runCaseJob } from "./run";

async function main(): Promise<number> {
  const parsed = parseEnv(jobEnvSchema, process.env);
  if (!parsed.ok) {
    process.stderr.write(`${JSON.stringify({ level: "fatal", time: new Date().toISOString(), service: "cfd-job", msg: `invalid environment: ${parsed.problems.join("; ")}`, problems: parsed.problems })}\n`);
    return 1;
  }
  const env = parsed.env;
  const store = new CaseStore({ bucket: env.CFD_S3_BUCKET, region: env.CFD_S3_REGION, endpoint: env.CFD_S3_ENDPOINT, forcePathStyle: env.CFD_S3_FORCE_PATH_STYLE });
  const runner = createLocalRunner({ openfoamDir: process.env.WM_PROJECT_DIR || "/usr/share/openfoam" });
  const stop = new AbortController();
  process.once("SIGTERM", () => stop.abort());
  process.once("SIGINT", () => stop.abort());
  try {
    const { exitCode } = await runCaseJob(env, { store, runner, print: (line) => process.stdout.write(`${line}\n`) }, stop.signal);
    return exitCode;
  } finally {
    store.destroy();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${JSON.stringify({ level: "fatal", time: new Date().toISOString(), service: "cfd-job", msg: (error as Error).message })}\n`);
    process.exitCode = 1;
  },
);
