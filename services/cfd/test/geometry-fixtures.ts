/** Surfaces in the file formats clients upload, written from meshes built in the tests. */
import type { TriangleMesh } from "../src/geometry/mesh";

/** A box as unshared triangle corners, the way STL stores it. */
export function corners(mesh: TriangleMesh): number[][][] {
  const out: number[][][] = [];
  for (let t = 0; t < mesh.triangles.length; t += 3) {
    out.push([0, 1, 2].map((k) => Array.from(mesh.positions.subarray(3 * mesh.triangles[t + k], 3 * mesh.triangles[t + k] + 3))));
  }
  return out;
}

export function asciiStl(mesh: TriangleMesh): string {
  const facets = corners(mesh).map((tri) => `  facet normal 0 0 0\n    outer loop\n${tri.map((v) => `      vertex ${v.join(" ")}`).join("\n")}\n    endloop\n  endfacet`);
  return `solid building\n${facets.join("\n")}\nendsolid building\n`;
}

export function binaryStl(mesh: TriangleMesh, header = "binary"): Buffer {
  const tris = corners(mesh);
  const out = Buffer.alloc(84 + 50 * tris.length);
  out.write(header.padEnd(80, " "), 0, "latin1");
  out.writeUInt32LE(tris.length, 80);
  tris.forEach((tri, t) => tri.flat().forEach((v, k) => out.writeFloatLE(v, 84 + 50 * t + 12 + 4 * k)));
  return out;
}
