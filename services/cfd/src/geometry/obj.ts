import { weldTriangles, type TriangleMesh } from "./mesh";
import { GeometryError } from "./problems";

/**
 * Wavefront OBJ: `v x y z` and `f` lines (`i`, `i/t`, `i//n`, `i/t/n`; negative indices count
 * back from the latest vertex; polygons are fanned into triangles). Everything else (normals,
 * texture coordinates, groups, materials) does not shape the building and is ignored.
 */
export function parseObj(text: string): TriangleMesh {
  const vertices: number[] = [];
  const corners: number[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const fields = lines[i].trim().split(/\s+/);
    if (fields[0] === "v") {
      const xyz = [Number(fields[1]), Number(fields[2]), Number(fields[3])];
      if (!xyz.every(Number.isFinite)) throw new GeometryError(`geometry: line ${i + 1}: vertex coordinates are not numbers`);
      vertices.push(...xyz);
    } else if (fields[0] === "f") {
      const count = vertices.length / 3;
      const refs = fields.slice(1).map((field) => {
        const n = Number(field.split("/")[0]);
        const index = n < 0 ? count + n : n - 1;
        if (!Number.isInteger(n) || n === 0 || index < 0 || index >= count) {
          throw new GeometryError(`geometry: line ${i + 1}: face refers to vertex ${field.split("/")[0]}, but ${count} vertices are defined so far`);
        }
        return index;
      });
      if (refs.length < 3) throw new GeometryError(`geometry: line ${i + 1}: a face needs at least three vertices`);
      for (let k = 1; k + 1 < refs.length; k++) {
        for (const r of [refs[0], refs[k], refs[k + 1]]) corners.push(vertices[3 * r], vertices[3 * r + 1], vertices[3 * r + 2]);
      }
    }
  }
  // Re-weld by position: exporters often repeat a vertex per face (split normals or UVs).
  return weldTriangles(corners, 1e-9);
}

/** Writes the surface as OBJ, the format snappyHexMesh reads in the windAroundBuildings tutorial. */
export function writeObj(mesh: TriangleMesh, name = "buildings"): string {
  const out: string[] = [`# ${mesh.positions.length / 3} vertices, ${mesh.triangles.length / 3} triangles`, `o ${name}`];
  const p = mesh.positions;
  for (let i = 0; i < p.length; i += 3) out.push(`v ${num(p[i])} ${num(p[i + 1])} ${num(p[i + 2])}`);
  const t = mesh.triangles;
  for (let i = 0; i < t.length; i += 3) out.push(`f ${t[i] + 1} ${t[i + 1] + 1} ${t[i + 2] + 1}`);
  return `${out.join("\n")}\n`;
}

/** Enough digits for millimetres on a 100 km site, no float noise like 1.0000000000000002. */
const num = (v: number) => String(Number(v.toPrecision(10)));
