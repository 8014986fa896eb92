import path from "node:path";

/**
 * Where a case lives in the bucket. One case may have several runs (one per wind sector,
 * `sectors/<direction>`, or a mesh-only run); a run is named by its `runKey`, the path of its
 * OpenFOAM case directory relative to the case's own directory. Pure.
 *
 * - `cases/<caseId>/input/<runKey>/…`  the prepared case the solver uploads (system/, constant/, 0/)
 * - `cases/<caseId>/<runKey>/…`         the results the Job uploads (mesh, latest time, logs)
 * - `cases/<caseId>/jobs/<runKey>/outcome.json`  how the Job ended, written by the Job
 * - `cases/<caseId>/case.json`          the case record, published by the solver on every write
 *                                        (the post-processor reads it from here in prod)
 */
export const CASES_PREFIX = "cases";
const RESERVED_FIRST_SEGMENTS = new Set(["input", "jobs"]);
/** A case id is also a Kubernetes label value: at most 63 characters, alphanumeric at both ends. */
const CASE_ID = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

export function assertCaseId(caseId: string): void {
  if (!CASE_ID.test(caseId)) throw new Error(`case id "${caseId}" must be 1–63 letters, digits, ".", "_" or "-", alphanumeric at both ends`);
}

export function assertRunKey(runKey: string): void {
  const segments = runKey.split("/");
  if (runKey === "" || segments.some((s) => !SEGMENT.test(s) || s === "." || s === "..")) {
    throw new Error(`run key "${runKey}" must be "/"-separated names of letters, digits, ".", "_" or "-"`);
  }
  if (RESERVED_FIRST_SEGMENTS.has(segments[0]!)) throw new Error(`run key "${runKey}" may not start with ${segments[0]}/ (reserved in the bucket layout)`);
}

/** The run key of an OpenFOAM case directory under `<casesDir>/<caseId>/`; `run` for the case directory itself. */
export function runKeyFor(casesDir: string, caseId: string, caseDir: string): string {
  assertCaseId(caseId);
  const relative = path.relative(path.resolve(casesDir, caseId), path.resolve(caseDir));
  if (relative.startsWith("..") || path.isAbsolute(relative)) {
    throw new Error(`case directory ${caseDir} is not inside ${path.join(casesDir, caseId)}`);
  }
  const runKey = relative === "" ? "run" : relative.split(path.sep).join("/");
  assertRunKey(runKey);
  return runKey;
}

export function inputPrefix(caseId: string, runKey: string): string {
  return `${CASES_PREFIX}/${caseId}/input/${runKey}/`;
}

export function resultPrefix(caseId: string, runKey: string): string {
  return `${CASES_PREFIX}/${caseId}/${runKey}/`;
}

export function caseRecordKey(caseId: string): string {
  assertCaseId(caseId);
  return `${CASES_PREFIX}/${caseId}/case.json`;
}

export function outcomeKey(caseId: string, runKey: string): string {
  return `${CASES_PREFIX}/${caseId}/jobs/${runKey}/outcome.json`;
}
