import { promises as fs } from "node:fs";
import path from "node:path";
import type { CaseRunner, RunOutcome } from "../runner/types";
import { inputPrefix, outcomeKey, resultPrefix } from "../storage/layout";
import { regularFiles, type CaseStore } from "../storage/s3";
import type { JobEnv } from "./env";
import type { JobOutcome } from "./outcome";

/** Prefix of the lines the Job itself writes into the case log (OpenFOAM's lines come as they are). */
export const JOB_LOG_PREFIX = "[cfd-job]";
/** Exit code after SIGTERM (128 + 15), as a shell reports it. */
export const EXIT_TERMINATED = 143;

export interface CaseJobDependencies {
  store: CaseStore;
  /** The local runner (child processes in this pod), as the solver uses in dev. */
  runner: CaseRunner;
  /** One line of the case log: to stdout, which is the pod log the solver follows. */
  print(line: string): void;
}

const TIME_DIR = /^\d+(\.\d+)?(e[+-]?\d+)?$/i;
const PROCESSOR_DIR = /^processor\d+$/;

/**
 * The files of a finished run worth keeping: those the run created or changed (not the input
 * it was given), except the decomposed copies (`processor*`, reconstructed into the case) and
 * time directories other than `0` and the latest. Pure.
 */
export function resultFiles(files: string[], unchanged: (file: string) => boolean): string[] {
  const topDirs = new Set(files.filter((f) => f.includes("/")).map((f) => f.split("/")[0]!));
  const latest = [...topDirs].filter((d) => TIME_DIR.test(d)).sort((a, b) => Number(a) - Number(b)).at(-1);
  return files.filter((file) => {
    const top = file.split("/")[0]!;
    const isDir = file.includes("/");
    if (isDir && PROCESSOR_DIR.test(top)) return false;
    if (isDir && TIME_DIR.test(top) && top !== latest && Number(top) !== 0) return false;
    return !unchanged(file);
  });
}

/**
 * One case Job, start to end: download the prepared case into scratch, run its steps with the
 * local runner (every line to the pod log), upload what the run produced, and record the
 * outcome (stamped with the Job's uid). On `signal` (SIGTERM: the Job was deleted, hit its
 * deadline, or its node is going away) the run is cancelled and nothing is recorded: the
 * solver reads the Job's own condition then, and a replacement pod starts afresh.
 */
export async function runCaseJob(env: JobEnv, deps: CaseJobDependencies, signal?: AbortSignal): Promise<{ exitCode: number; outcome?: JobOutcome }> {
  const { store, runner, print } = deps;
  const caseId = env.CFD_CASE_ID;
  const runKey = env.CFD_RUN_DIR;
  const caseDir = path.join(env.CFD_SCRATCH_DIR, "case");
  const say = (message: string) => print(`${JOB_LOG_PREFIX} ${message}`);
  const record = async (outcome: JobOutcome) => {
    await store.putJson(outcomeKey(caseId, runKey), outcome);
    return { exitCode: outcome.status === "succeeded" ? 0 : 1, outcome };
  };
  const failed = (reason: string, logTail: string[] = []) =>
    record({ status: "failed", jobUid: env.CFD_JOB_UID, finishedAt: new Date().toISOString(), reason, logTail });

  try {
    await fs.rm(caseDir, { recursive: true, force: true });
    await fs.mkdir(caseDir, { recursive: true });
    const input = inputPrefix(caseId, runKey);
    const downloaded = await store.downloadPrefix(input, caseDir);
    if (downloaded === 0) return await failed(`no prepared case at s3://${store.bucket}/${input}`);
    const given = await snapshot(caseDir);
    say(`downloaded the prepared case (${downloaded} files); running ${env.CFD_RUN.steps.map((s) => s.command).join(", ")} on ${env.CFD_RUN.processes} process(es)`);

    const running = runner.start({ caseId, caseDir, steps: env.CFD_RUN.steps, processes: env.CFD_RUN.processes, estimatedCells: 0, onLog: print });
    const cancel = () => void running.cancel();
    signal?.addEventListener("abort", cancel, { once: true });
    if (signal?.aborted) cancel();
    const outcome: RunOutcome = await running.done;
    signal?.removeEventListener("abort", cancel);
    if (outcome.status === "cancelled") {
      say("stopped by SIGTERM; nothing recorded");
      return { exitCode: EXIT_TERMINATED };
    }

    const now = await snapshot(caseDir);
    const keep = new Set(resultFiles([...now.keys()], (file) => given.get(file) === now.get(file)));
    const uploaded = await store.uploadDirectory(caseDir, resultPrefix(caseId, runKey), (file) => keep.has(file));
    say(`uploaded ${uploaded} result files to s3://${store.bucket}/${resultPrefix(caseId, runKey)}`);
    if (outcome.status === "failed") return await failed(outcome.reason, outcome.logTail);
    return await record({ status: "succeeded", jobUid: env.CFD_JOB_UID, finishedAt: new Date().toISOString(), resultFiles: uploaded });
  } catch (error) {
    const reason = `the case Job failed: ${(error as Error).message}`;
    say(reason);
    // Recording may fail for the same reason (S3 unreachable); the Job's Failed condition remains.
    return failed(reason).catch(() => ({ exitCode: 1 }));
  }
}

/** Size and modification time of every file, to tell what a run changed. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = await regularFiles(dir);
  const stats = await Promise.all(files.map((f) => fs.stat(path.join(dir, f))));
  return new Map(files.map((f, i) => [f, `${stats[i]!.size}:${stats[i]!.mtimeMs}`]));
}
