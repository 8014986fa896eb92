/**
 * Runs a case's steps as child processes on this machine. Each step leads its own session and
 * process group (`detached`). Cancelling signals the group and every other process of the
 * session: Open MPI moves each rank into a process group of its own, but not out of the session.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { access, constants, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { logFileOf } from "../case/plan";
import type { CaseRunner, RunOutcome, RunRequest, RunStep, RunningCase } from "./types";

export interface LocalRunnerOptions {
  /** The OpenFOAM installation the tools read their etc/ files from (`WM_PROJECT_DIR`). */
  openfoamDir: string;
  /** Between SIGTERM and SIGKILL when cancelling. @default 3000 */
  killGraceMs?: number;
  /** Lines kept for a failure's log tail. @default 40 */
  tailLines?: number;
  /** @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Tools that must be on PATH for readiness. @default ["blockMesh", "surfaceFeatureExtract", "snappyHexMesh", "simpleFoam", "postProcess"] */
  requiredTools?: string[];
}

const DEFAULT_TOOLS = ["blockMesh", "surfaceFeatureExtract", "snappyHexMesh", "checkMesh", "simpleFoam", "postProcess"];

/** The argv of a step: under `mpirun -np N … -parallel` when it is parallel and N > 1. */
export function commandLine(step: RunStep, processes: number, asRoot: boolean): [string, string[]] {
  if (!step.parallel || processes <= 1) return [step.command, step.args];
  // Open MPI refuses to start as root unless told; containers here run as root in dev.
  return ["mpirun", ["-np", String(processes), ...(asRoot ? ["--allow-run-as-root"] : []), step.command, ...step.args, "-parallel"]];
}

/** Where an executable resolves on PATH, or undefined. */
export async function resolveOnPath(command: string, envPath = process.env.PATH ?? ""): Promise<string | undefined> {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const describeExit = (code: number | null, signal: NodeJS.Signals | null) => (signal ? `was killed by ${signal}` : `exited with code ${code}`);

export function createLocalRunner(options: LocalRunnerOptions): CaseRunner {
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env), WM_PROJECT_DIR: options.openfoamDir };
  const grace = options.killGraceMs ?? 3000;
  const keep = options.tailLines ?? 40;
  const asRoot = process.getuid?.() === 0;

  function start(run: RunRequest): RunningCase {
    const tail: string[] = [];
    let current: ChildProcess | undefined;
    let cancelled = false;
    const emit = (line: string) => {
      tail.push(line);
      if (tail.length > keep) tail.shift();
      run.onLog(line);
    };

    const runStep = (step: RunStep) =>
      new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
        const [command, args] = commandLine(step, run.processes, asRoot);
        const logFile = createWriteStream(path.join(run.caseDir, logFileOf(step)));
        // PWD too: OpenFOAM warns when it differs from the working directory.
        const child = spawn(command, args, { cwd: run.caseDir, env: { ...env, PWD: run.caseDir }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
        current = child;
        let pending = "";
        const onData = (chunk: Buffer) => {
          logFile.write(chunk);
          pending += chunk.toString("utf8");
          let nl: number;
          while ((nl = pending.indexOf("\n")) >= 0) {
            emit(pending.slice(0, nl));
            pending = pending.slice(nl + 1);
          }
        };
        child.stdout!.on("data", onData);
        child.stderr!.on("data", onData);
        let spawnError: Error | undefined;
        child.on("error", (error) => (spawnError = error));
        child.on("close", (code, signal) => {
          if (pending) emit(pending);
          current = undefined;
          logFile.end(() => resolve({ code, signal, error: spawnError }));
        });
      });

    const done = (async (): Promise<RunOutcome> => {
      for (const step of run.steps) {
        if (cancelled) return { status: "cancelled" };
        const result = await runStep(step);
        if (cancelled) return { status: "cancelled" };
        if (result.error) {
          const missing = (result.error as NodeJS.ErrnoException).code === "ENOENT";
          const reason = missing ? `${step.parallel && run.processes > 1 ? "mpirun" : step.command}: command not found (is OpenFOAM installed and on PATH?)` : `${step.command}: ${result.error.message}`;
          emit(reason);
          return { status: "failed", reason, logTail: [...tail] };
        }
        if (result.code !== 0) return { status: "failed", reason: `${step.command} ${describeExit(result.code, result.signal)}`, logTail: [...tail] };
      }
      return { status: "succeeded" };
    })();

    async function cancel() {
      cancelled = true;
      const session = current?.pid;
      if (session !== undefined) {
        await signalSession(session, "SIGTERM");
        const timer = setTimeout(() => void signalSession(session, "SIGKILL"), grace);
        await done;
        clearTimeout(timer);
        // Whatever outlived the step's leader (ranks, their children) goes too.
        await killSession(session);
      }
      await done;
    }

    return { done, cancel };
  }

  async function readiness(): Promise<string | undefined> {
    const missing: string[] = [];
    for (const tool of options.requiredTools ?? DEFAULT_TOOLS) {
      if (!(await resolveOnPath(tool, env.PATH))) missing.push(tool);
    }
    if (missing.length > 0) return `OpenFOAM tools not found on PATH: ${missing.join(", ")}`;
    try {
      await access(path.join(options.openfoamDir, "etc", "controlDict"), constants.R_OK);
    } catch {
      return `WM_PROJECT_DIR=${options.openfoamDir} has no etc/controlDict`;
    }
    return undefined;
  }

  return { start, readiness };
}

function signal(pid: number, name: NodeJS.Signals) {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/** Linux: the processes of session `sid` (from /proc/<pid>/stat); empty where /proc is absent. */
export async function sessionMembers(sid: number): Promise<number[]> {
  let entries: string[];
  try {
    entries = await readdir("/proc");
  } catch {
    return [];
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid pgrp session …; comm may hold spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[3]) === sid && fields[0] !== "Z") members.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return members;
}

async function signalSession(sid: number, name: NodeJS.Signals) {
  signal(-sid, name);
  for (const pid of await sessionMembers(sid)) signal(pid, name);
}

/** SIGKILL to the session until none of it is left (at most ~2 s). */
async function killSession(sid: number) {
  for (let i = 0; i < 100; i++) {
    const members = await sessionMembers(sid);
    if (members.length === 0) return;
    for (const pid of members) signal(pid, "SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
