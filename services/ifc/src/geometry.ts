/**
 * POST /geometry: web-ifc triangulates the products; each placed geometry is moved into model
 * space (web-ifc's placement matrix, metres, Y up as glTF wants) and kept as one primitive
 * with its colour. Bounding boxes are also given in IFC's own axes (Z up).
 */
import { IFCPRODUCT, IFCROOT, type FlatMesh } from "web-ifc";
import { text, type IfcModel } from "./model";
import { notInModel } from "./problem";

export interface Primitive {
  /** x, y, z per vertex, in model space (metres, Y up). */
  positions: Float32Array;
  normals: Float32Array;
  indices: Uint32Array;
  /** Linear RGBA, 0..1. */
  color: [number, number, number, number];
}

export interface Box {
  min: [number, number, number];
  max: [number, number, number];
}

export interface ElementMesh {
  expressId: number;
  globalId?: string;
  type: string;
  name?: string;
  primitives: Primitive[];
  /** In IFC axes (x east, y north, z up), metres. */
  bbox: Box;
}

/** What to triangulate: product types (subtypes included), GlobalIds or express ids. */
export type Selector = { kind: "type"; value: string } | { kind: "globalId"; value: string } | { kind: "expressId"; value: number };

/** Express ids of the selected products; a 422 naming `ids[i]` for anything the model lacks. */
export function resolveSelection(model: IfcModel, selectors: readonly Selector[]): number[] {
  const ids = new Set<number>();
  let byGlobalId: Map<string, number> | undefined;
  selectors.forEach((selector, i) => {
    const field = `query.ids[${i}]`;
    if (selector.kind === "type") {
      const code = model.api.GetTypeCodeFromName(selector.value.toUpperCase());
      if (!model.hierarchy.isA(code, IFCPRODUCT)) throw notInModel(field, `${selector.value} is not a product type of ${model.schema}`);
      for (const id of model.ids(code)) ids.add(id);
    } else if (selector.kind === "globalId") {
      byGlobalId ??= new Map(model.ids(IFCROOT).map((id) => [text(model.line(id)?.GlobalId) ?? "", id]));
      const id = byGlobalId.get(selector.value);
      if (id === undefined || !model.isA(id, IFCPRODUCT)) throw notInModel(field, `no product with GlobalId ${selector.value} in this model`);
      ids.add(id);
    } else {
      if (!model.isA(selector.value, IFCPRODUCT)) throw notInModel(field, `#${selector.value} is not a product in this model`);
      ids.add(selector.value);
    }
  });
  return [...ids];
}

/** The 3×3 inverse transpose of a column-major 4×4's linear part: how normals transform. */
function normalMatrix(m: ArrayLike<number>): number[] {
  const [a, b, c, d, e, f, g, h, i] = [m[0]!, m[1]!, m[2]!, m[4]!, m[5]!, m[6]!, m[8]!, m[9]!, m[10]!];
  const det = a * (e * i - f * h) - d * (b * i - c * h) + g * (b * f - c * e);
  const k = det === 0 ? 0 : 1 / det;
  // Column-major, like the input: column j holds the transformed basis vector j.
  return [(e * i - f * h) * k, (g * f - d * i) * k, (d * h - g * e) * k, (h * c - b * i) * k, (a * i - g * c) * k, (g * b - a * h) * k, (b * f - e * c) * k, (d * c - a * f) * k, (a * e - d * b) * k];
}

/** Copies web-ifc's interleaved [x y z nx ny nz] vertices into placed positions and normals. */
export function placeVertices(vertices: Float32Array, matrix: ArrayLike<number>): { positions: Float32Array; normals: Float32Array } {
  const count = Math.floor(vertices.length / 6);
  const positions = new Float32Array(count * 3);
  const normals = new Float32Array(count * 3);
  const m = matrix;
  const n = normalMatrix(m);
  for (let v = 0; v < count; v++) {
    const x = vertices[v * 6]!, y = vertices[v * 6 + 1]!, z = vertices[v * 6 + 2]!;
    positions[v * 3] = m[0]! * x + m[4]! * y + m[8]! * z + m[12]!;
    positions[v * 3 + 1] = m[1]! * x + m[5]! * y + m[9]! * z + m[13]!;
    positions[v * 3 + 2] = m[2]! * x + m[6]! * y + m[10]! * z + m[14]!;
    const nx = vertices[v * 6 + 3]!, ny = vertices[v * 6 + 4]!, nz = vertices[v * 6 + 5]!;
    const tx = n[0]! * nx + n[3]! * ny + n[6]! * nz;
    const ty = n[1]! * nx + n[4]! * ny + n[7]! * nz;
    const tz = n[2]! * nx + n[5]! * ny + n[8]! * nz;
    const length = Math.hypot(tx, ty, tz) || 1;
    normals[v * 3] = tx / length;
    normals[v * 3 + 1] = ty / length;
    normals[v * 3 + 2] = tz / length;
  }
  return { positions, normals };
}

/** Bounds of Y-up positions, stated in IFC's Z-up axes: IFC (x, y, z) = glTF (x, −z, y). */
export function ifcBox(primitives: readonly Primitive[]): Box {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (const { positions } of primitives) {
    for (let i = 0; i < positions.length; i += 3) {
      const p = [positions[i]!, -positions[i + 2]!, positions[i + 1]!];
      for (let k = 0; k < 3; k++) {
        if (p[k]! < min[k]!) min[k] = p[k]!;
        if (p[k]! > max[k]!) max[k] = p[k]!;
      }
    }
  }
  return { min: min as Box["min"], max: max as Box["max"] };
}

function meshOf(model: IfcModel, flat: FlatMesh): ElementMesh | undefined {
  const primitives: Primitive[] = [];
  // Reading `geometries` hands out a new embind vector each time: it must be deleted, or
  // its wasm memory leaks with every element of every request.
  const placed = flat.geometries;
  try {
    for (let g = 0; g < placed.size(); g++) {
      const item = placed.get(g);
      const geometry = model.api.GetGeometry(model.id, item.geometryExpressID);
      try {
        // Both are copies out of the wasm heap (web-ifc slices them).
        const vertices = model.api.GetVertexArray(geometry.GetVertexData(), geometry.GetVertexDataSize());
        const indices = model.api.GetIndexArray(geometry.GetIndexData(), geometry.GetIndexDataSize());
        if (indices.length === 0 || vertices.length === 0) continue;
        const { x, y, z, w } = item.color;
        primitives.push({ ...placeVertices(vertices, item.flatTransformation), indices, color: [x, y, z, w] });
      } finally {
        geometry.delete();
      }
    }
  } finally {
    (placed as { delete?: () => void }).delete?.();
  }
  if (primitives.length === 0) return undefined;
  const ref = model.ref(flat.expressID);
  return { ...ref, primitives, bbox: ifcBox(primitives) };
}

export interface MeshResult {
  meshes: ElementMesh[];
  /** Selected products web-ifc produced no triangles for. */
  withoutGeometry: number[];
}

/**
 * Meshes of the selected products, or of every product web-ifc draws by default (it leaves
 * out spaces and openings unless they are selected).
 */
export function extractMeshes(model: IfcModel, selection: readonly number[] | undefined): MeshResult {
  const meshes: ElementMesh[] = [];
  const collect = (flat: FlatMesh) => {
    const mesh = meshOf(model, flat);
    if (mesh) meshes.push(mesh);
  };
  if (selection === undefined) model.api.StreamAllMeshes(model.id, collect);
  else if (selection.length > 0) model.api.StreamMeshes(model.id, [...selection], collect);
  const drawn = new Set(meshes.map((m) => m.expressId));
  return { meshes, withoutGeometry: (selection ?? []).filter((id) => !drawn.has(id)) };
}
