/** Geometry the client sent that cannot be meshed; the message names the problem and where. */
export class GeometryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GeometryError";
  }
}
