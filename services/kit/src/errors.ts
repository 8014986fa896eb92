import type { z } from "zod";

/** One bad field of a request: where it is (dotted path, `[i]` for array items) and why. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** A failure the client can act on. Thrown by handlers; the kit turns it into a JSON 4xx. */
export class HttpProblem extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "HttpProblem";
  }
}

/** The request was well-formed but asks for something impossible (e.g. an unreachable target). */
export function unprocessable(message: string, details?: Record<string, unknown>): HttpProblem {
  return new HttpProblem(422, "unprocessable", message, details);
}

export function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out === "" ? "(body)" : out;
}

/** Every zod issue as one field problem; an unknown key is reported under its own name. */
export function fieldProblems(error: z.ZodError): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) problems.push({ field: fieldPath([...issue.path, key]), message: "Unknown field" });
    } else {
      problems.push({ field: fieldPath(issue.path), message: issue.message });
    }
  }
  return problems;
}
