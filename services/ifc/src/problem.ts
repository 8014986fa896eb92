/**
 * A failure the client can act on, raised inside the web-ifc worker. It crosses the thread
 * boundary as plain data (`ProblemData`) and becomes the kit's `HttpProblem` on the main thread.
 */
export interface ProblemData {
  status: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export class IfcProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "IfcProblem";
  }

  toData(): ProblemData {
    return { status: this.status, code: this.code, message: this.message, details: this.details };
  }
}

/** A well-formed request that names something the uploaded model does not have. */
export function notInModel(field: string, message: string): IfcProblem {
  return new IfcProblem(422, "unprocessable", `${field}: ${message}`, { fields: [{ field, message }] });
}
