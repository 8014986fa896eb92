import type { TriangleMesh } from "./mesh";
import { parseObj } from "./obj";
import { GeometryError } from "./problems";
import { isBinaryStl, parseStl } from "./stl";

export type GeometryFormat = "stl" | "obj";

/** The format a content type names, if it names one. */
export function formatOfContentType(contentType: string | undefined): GeometryFormat | undefined {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (type === "model/stl" || type === "application/sla" || type === "model/x.stl-binary" || type === "model/x.stl-ascii") return "stl";
  if (type === "model/obj") return "obj";
  return undefined;
}

/** STL (binary by its size, ASCII by `solid`) or OBJ (a `v` line), for uploads sent as octet-stream. */
export function sniffFormat(data: Buffer): GeometryFormat | undefined {
  if (isBinaryStl(data)) return "stl";
  const head = data.subarray(0, 4096).toString("latin1");
  if (/^\s*solid\b/.test(head)) return "stl";
  if (/^\s*v\s/m.test(head) || /^\s*(#|o\s|g\s|mtllib\s)/.test(head)) return "obj";
  return undefined;
}

export function parseGeometry(data: Buffer, format: GeometryFormat | undefined): { format: GeometryFormat; mesh: TriangleMesh } {
  const resolved = format ?? sniffFormat(data);
  if (!resolved) throw new GeometryError("geometry: unknown format: send binary or ASCII STL, or OBJ (v/f lines)");
  return { format: resolved, mesh: resolved === "stl" ? parseStl(data) : parseObj(data.toString("utf8")) };
}
