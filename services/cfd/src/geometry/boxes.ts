import { mergeMeshes, type TriangleMesh } from "./mesh";

/** A parametric building: a box standing on (or above) the ground. */
export interface Box {
  /** Footprint centre, metres. */
  x: number;
  y: number;
  /** Size along x and y before rotation, metres. */
  width: number;
  depth: number;
  height: number;
  /** Bottom of the box, metres above ground. @default 0 */
  base?: number;
  /** Counter-clockwise seen from above, about the footprint centre, degrees. @default 0 */
  rotation?: number;
}

// Corner order: bottom (z = base) 0..3 counter-clockwise from (-,-), then top 4..7 above them.
// Each face is wound counter-clockwise seen from outside, so normals point out.
const FACES = [
  [0, 2, 1], [0, 3, 2], // bottom
  [4, 5, 6], [4, 6, 7], // top
  [0, 1, 5], [0, 5, 4], // y-
  [1, 2, 6], [1, 6, 5], // x+
  [2, 3, 7], [2, 7, 6], // y+
  [3, 0, 4], [3, 4, 7], // x-
];

export function boxMesh(box: Box): TriangleMesh {
  const a = ((box.rotation ?? 0) * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  const base = box.base ?? 0;
  const footprint = [
    [-box.width / 2, -box.depth / 2],
    [box.width / 2, -box.depth / 2],
    [box.width / 2, box.depth / 2],
    [-box.width / 2, box.depth / 2],
  ];
  const positions = new Float64Array(24);
  [base, base + box.height].forEach((z, level) => {
    footprint.forEach(([u, v], k) => {
      const i = 3 * (4 * level + k);
      positions[i] = box.x + c * u - s * v;
      positions[i + 1] = box.y + s * u + c * v;
      positions[i + 2] = z;
    });
  });
  return { positions, triangles: Uint32Array.from(FACES.flat()) };
}

/** Every box as its own closed shell in one surface; overlapping shells mesh as their union. */
export const boxesMesh = (boxes: readonly Box[]): TriangleMesh => mergeMeshes(boxes.map(boxMesh));
