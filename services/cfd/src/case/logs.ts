/** Reading OpenFOAM logs: solver progress, divergence, phases, mesh size, fatal errors, tails. */
import { open, stat } from "node:fs/promises";

export const RESIDUAL_FIELDS = ["Ux", "Uy", "Uz", "p", "k", "epsilon"] as const;
export type ResidualField = (typeof RESIDUAL_FIELDS)[number];
export type Residuals = Partial<Record<ResidualField, number>>;

export interface SolverProgress {
  /** The SIMPLE iteration being solved (simpleFoam's `Time = N`). */
  iteration: number;
  /** Initial residuals of the latest iteration; for p, its first solve (before non-orthogonal correctors). */
  residuals: Residuals;
  /** simpleFoam met every residualControl target. */
  converged: boolean;
}

const TIME = /^Time = (\S+)$/;
const SOLVING = /Solving for (\w+), Initial residual = ([^,]+),/;
const CONVERGED = /^SIMPLE solution converged in (\d+) iterations/;

/** Follows a simpleFoam log line by line. */
export class SolverLogParser {
  iteration = 0;
  residuals: Residuals = {};
  converged = false;
  private seen = new Set<string>();

  push(line: string): void {
    const time = TIME.exec(line);
    if (time) {
      const n = Number(time[1]);
      if (Number.isFinite(n)) this.iteration = n;
      this.seen.clear();
      return;
    }
    const solving = SOLVING.exec(line);
    if (solving) {
      const field = solving[1] as ResidualField;
      if (!RESIDUAL_FIELDS.includes(field) || this.seen.has(field)) return;
      this.seen.add(field);
      this.residuals = { ...this.residuals, [field]: Number(solving[2]) };
      return;
    }
    if (CONVERGED.test(line.trim())) this.converged = true;
  }

  get progress(): SolverProgress {
    return { iteration: this.iteration, residuals: this.residuals, converged: this.converged };
  }
}

export function parseSolverLog(text: string): SolverProgress {
  const parser = new SolverLogParser();
  for (const line of text.split("\n")) parser.push(line);
  return parser.progress;
}

/**
 * Why a log line shows the solution has blown up, or undefined: NaN residuals, a floating
 * point exception (OpenFOAM traps them: FOAM_SIGFPE), or a linear solver that hit its
 * iteration cap.
 */
export function divergenceIn(line: string): string | undefined {
  const residual = SOLVING.exec(line);
  if (residual && !Number.isFinite(Number(residual[2]))) return `solver diverged: ${residual[1]} residual is ${residual[2].trim()}`;
  // The banner's "trapFpe: Floating point exception trapping enabled" is not one: the trap's stack trace is.
  if (/Foam::sigFpe::sigHandler/.test(line)) return "solver diverged: floating point exception";
  if (/Maximum number of iterations exceeded/i.test(line)) return "solver diverged: maximum number of iterations exceeded";
  return undefined;
}

export type RunPhase = "meshing" | "solving" | "post";

const PHASE_OF: Record<string, RunPhase> = {
  blockMesh: "meshing",
  surfaceFeatureExtract: "meshing",
  snappyHexMesh: "meshing",
  reconstructParMesh: "meshing",
  checkMesh: "meshing",
  simpleFoam: "solving",
  reconstructPar: "post",
  postProcess: "post",
};

/** Every OpenFOAM tool prints `Exec   : <command> <args>` in its banner: the phase it starts. */
export function phaseOfLine(line: string): RunPhase | undefined {
  const exec = /^Exec\s+:\s+(\S+)/.exec(line);
  return exec ? PHASE_OF[exec[1]] : undefined;
}

/** Cells of the final mesh, from snappyHexMesh's summary lines. */
export function snappyCells(text: string): number | undefined {
  let cells: number | undefined;
  for (const match of text.matchAll(/^(?:Snapped|Layer) mesh : cells:(\d+)/gm)) cells = Number(match[1]);
  return cells;
}

/** The message of a `--> FOAM FATAL ERROR` block, one line. */
export function fatalErrorIn(lines: readonly string[]): string | undefined {
  const start = lines.findIndex((l) => /FOAM FATAL (IO )?ERROR/.test(l));
  if (start < 0) return undefined;
  const message: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === "") {
      if (message.length > 0) break;
      continue;
    }
    if (/^\s*From |^\s*in file /.test(line)) break;
    message.push(line.trim());
  }
  return message.join(" ") || undefined;
}

/** The last `n` lines of several files read as one (missing files count as empty), reading from the end. */
export async function tailFiles(paths: readonly string[], n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = paths.length - 1; i >= 0 && out.length < n; i--) {
    const lines = await tailFile(paths[i], n - out.length);
    out.unshift(...lines);
  }
  return out;
}

const CHUNK = 64 * 1024;

async function tailFile(file: string, n: number): Promise<string[]> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    return [];
  }
  const handle = await open(file, "r");
  try {
    let position = size;
    let text = "";
    // Read backwards until we hold n complete lines (or the whole file).
    while (position > 0 && text.split("\n").length <= n + 1) {
      const length = Math.min(CHUNK, position);
      position -= length;
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, position);
      text = buffer.toString("utf8") + text;
    }
    const lines = text.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    return lines.slice(-n);
  } finally {
    await handle.close();
  }
}
