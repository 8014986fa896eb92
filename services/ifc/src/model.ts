/**
 * Read access to one open web-ifc model: line lookups, type tests against the schema's
 * hierarchy, and entity references for reports. It never outlives the `IfcEngine.withModel`
 * call that opened the model. Lines are not cached: nearly every line is read once, and
 * keeping them would hold a large model's objects for the whole request.
 */
import type { IfcAPI } from "web-ifc";
import type { TypeHierarchy } from "./hierarchy";

/** How an entity is named in findings and answers. */
export interface EntityRef {
  expressId: number;
  type: string;
  globalId?: string;
  name?: string;
}

/** web-ifc's non-flattened reference to another line. */
export interface Handle {
  value: number;
  type: number;
}

/** A line as web-ifc's GetLine returns it: attribute name → value, handle, list or null. */
export type Line = Record<string, any> & { expressID: number; type: number };

export class IfcModel {
  constructor(
    readonly api: IfcAPI,
    readonly id: number,
    /** The schema as the file's FILE_SCHEMA names it (e.g. IFC4, IFC4X3_ADD2). */
    readonly schema: string,
    readonly hierarchy: TypeHierarchy,
  ) {}

  /** Express ids of every line of `type` (and, by default, of its subtypes). */
  ids(type: number, inherited = true): number[] {
    const vector = this.api.GetLineIDsWithType(this.id, type, inherited);
    try {
      const out = new Array<number>(vector.size());
      for (let i = 0; i < out.length; i++) out[i] = vector.get(i);
      return out;
    } finally {
      // An embind vector owns wasm memory until it is deleted.
      (vector as { delete?: () => void }).delete?.();
    }
  }

  lineCount(): number {
    const vector = this.api.GetAllLines(this.id);
    try {
      return vector.size();
    } finally {
      (vector as { delete?: () => void }).delete?.();
    }
  }

  line(expressId: number): Line | undefined {
    return this.api.GetLine(this.id, expressId) as Line | undefined;
  }

  /** The line's type code, 0 when there is no such line. */
  typeOf(expressId: number): number {
    return (this.api.GetLineType(this.id, expressId) as number | undefined) ?? 0;
  }

  exists(expressId: number): boolean {
    return this.typeOf(expressId) !== 0;
  }

  isA(expressId: number, ancestor: number): boolean {
    const type = this.typeOf(expressId);
    return type !== 0 && this.hierarchy.isA(type, ancestor);
  }

  typeName(type: number): string {
    return this.api.GetNameFromTypeCode(type);
  }

  header(kind: number): { arguments: unknown[] } | undefined {
    return this.api.GetHeaderLine(this.id, kind) as { arguments: unknown[] } | undefined;
  }

  ref(expressId: number): EntityRef {
    const line = this.line(expressId);
    const ref: EntityRef = { expressId, type: line ? this.typeName(line.type) : "(missing)" };
    const globalId = text(line?.GlobalId);
    if (globalId !== undefined) ref.globalId = globalId;
    const name = text(line?.Name);
    if (name !== undefined && name !== "") ref.name = name;
    return ref;
  }
}

/** The express ids an attribute refers to (one handle, a list of them, or none). */
export function refs(attribute: unknown): number[] {
  if (attribute == null) return [];
  if (Array.isArray(attribute)) return attribute.flatMap(refs);
  const handle = attribute as Partial<Handle>;
  return handle.type === 5 && typeof handle.value === "number" ? [handle.value] : [];
}

/** A string attribute's value (labels, identifiers, GlobalIds), or undefined when unset. */
export function text(attribute: unknown): string | undefined {
  const value = (attribute as { value?: unknown } | null | undefined)?.value;
  return typeof value === "string" ? value : undefined;
}

/** A numeric attribute's value (measures, reals, integers), or undefined when unset. */
export function number(attribute: unknown): number | undefined {
  if (attribute == null) return undefined;
  const value = (attribute as { value?: unknown }).value;
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}
