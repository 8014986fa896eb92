import { meshBounds, triangleCount, vertexAt, type Bounds, type TriangleMesh, type Vec3 } from "./mesh";

/** What a building surface must satisfy before a case is built around it. */
export const GEOMETRY_LIMITS = {
  /** Largest horizontal extent of the whole site, metres: larger is a city, or millimetres. */
  maxSiteExtent: 5_000,
  /** Tallest building, metres. */
  maxHeight: 1_000,
  /** Smallest tallest point above ground, metres: lower is a unit mistake (km?) or a flat sheet. */
  minHeight: 1,
  /** Farthest coordinate from the origin, metres: farther is geographic coordinates, not site metres. */
  maxCoordinate: 100_000,
  /** How far below the ground (z = 0) a vertex may be, metres, to absorb exporter rounding. */
  groundTolerance: 0.01,
};

export interface GeometrySummary {
  triangles: number;
  vertices: number;
  bounds: Bounds;
}

const at = (p: Vec3) => `(${[p.x, p.y, p.z].map((v) => Number(v.toPrecision(6))).join(", ")})`;

/**
 * Every reason the surface cannot be meshed, each naming the problem and where the first case
 * is: empty, degenerate faces, open or non-manifold edges (a watertight surface has every edge
 * on exactly two faces), below ground, too large or too small. Empty when it is fine.
 */
export function geometryProblems(mesh: TriangleMesh, limits = GEOMETRY_LIMITS): string[] {
  const n = triangleCount(mesh);
  if (n === 0) return ["geometry: no triangles (empty surface)"];
  const problems: string[] = [];
  const bounds = meshBounds(mesh);
  const diagonal = Math.hypot(bounds.max.x - bounds.min.x, bounds.max.y - bounds.min.y, bounds.max.z - bounds.min.z);

  const degenerate = degenerateTriangles(mesh, (diagonal * 1e-9) ** 2);
  if (degenerate.count > 0) problems.push(`geometry: ${degenerate.count} degenerate (zero-area) faces, first at ${at(degenerate.first!)}`);

  const edges = edgeUse(mesh);
  if (edges.open.count > 0) problems.push(`geometry: ${edges.open.count} open edges (surface not closed), first at ${at(edges.open.first!)}`);
  if (edges.nonManifold.count > 0) {
    problems.push(`geometry: ${edges.nonManifold.count} edges shared by more than two faces (non-manifold), first at ${at(edges.nonManifold.first!)}`);
  }

  if (bounds.min.z < -limits.groundTolerance) problems.push(`geometry: out of bounds: below ground, lowest point at ${at(lowestPoint(mesh))}; buildings stand on z >= 0`);
  const far = Math.max(...[bounds.min.x, bounds.min.y, bounds.max.x, bounds.max.y].map(Math.abs));
  if (far > limits.maxCoordinate) {
    problems.push(`geometry: out of bounds: a coordinate is ${Math.round(far)} m from the origin (limit ${limits.maxCoordinate} m); use site coordinates in metres`);
  }
  const extent = Math.max(bounds.max.x - bounds.min.x, bounds.max.y - bounds.min.y);
  if (extent > limits.maxSiteExtent) problems.push(`geometry: out of bounds: site is ${Math.round(extent)} m across (limit ${limits.maxSiteExtent} m)`);
  if (bounds.max.z > limits.maxHeight) problems.push(`geometry: out of bounds: tallest point z = ${Math.round(bounds.max.z)} m (limit ${limits.maxHeight} m)`);
  if (bounds.max.z < limits.minHeight) problems.push(`geometry: tallest point is z = ${bounds.max.z} m (at least ${limits.minHeight} m; coordinates are metres, z up)`);
  return problems;
}

export function summarize(mesh: TriangleMesh): GeometrySummary {
  return { triangles: triangleCount(mesh), vertices: mesh.positions.length / 3, bounds: meshBounds(mesh) };
}

function centroid(mesh: TriangleMesh, t: number): Vec3 {
  const [a, b, c] = [0, 1, 2].map((k) => vertexAt(mesh, mesh.triangles[3 * t + k]));
  return { x: (a.x + b.x + c.x) / 3, y: (a.y + b.y + c.y) / 3, z: (a.z + b.z + c.z) / 3 };
}

function degenerateTriangles(mesh: TriangleMesh, minAreaSquared: number) {
  let count = 0;
  let first: Vec3 | undefined;
  const p = mesh.positions;
  const t = mesh.triangles;
  for (let i = 0; i < t.length; i += 3) {
    const a = 3 * t[i], b = 3 * t[i + 1], c = 3 * t[i + 2];
    const ux = p[b] - p[a], uy = p[b + 1] - p[a + 1], uz = p[b + 2] - p[a + 2];
    const vx = p[c] - p[a], vy = p[c + 1] - p[a + 1], vz = p[c + 2] - p[a + 2];
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    // |n|² = 4·area²
    if (nx * nx + ny * ny + nz * nz <= 4 * minAreaSquared) {
      count++;
      first ??= centroid(mesh, i / 3);
    }
  }
  return { count, first };
}

function edgeUse(mesh: TriangleMesh) {
  const vertices = mesh.positions.length / 3;
  const uses = new Map<number, number>();
  const t = mesh.triangles;
  for (let i = 0; i < t.length; i += 3) {
    for (let k = 0; k < 3; k++) {
      const a = t[i + k];
      const b = t[i + ((k + 1) % 3)];
      if (a === b) continue; // a collapsed edge is reported as a degenerate face
      const key = Math.min(a, b) * vertices + Math.max(a, b);
      uses.set(key, (uses.get(key) ?? 0) + 1);
    }
  }
  const open = { count: 0, first: undefined as Vec3 | undefined };
  const nonManifold = { count: 0, first: undefined as Vec3 | undefined };
  for (const [key, count] of uses) {
    if (count === 2) continue;
    const tally = count === 1 ? open : nonManifold;
    tally.count++;
    if (!tally.first) {
      const a = vertexAt(mesh, Math.floor(key / vertices));
      const b = vertexAt(mesh, key % vertices);
      tally.first = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, z: (a.z + b.z) / 2 };
    }
  }
  return { open, nonManifold };
}

function lowestPoint(mesh: TriangleMesh): Vec3 {
  let best = 0;
  for (let i = 1; i < mesh.positions.length / 3; i++) if (mesh.positions[3 * i + 2] < mesh.positions[3 * best + 2]) best = i;
  return vertexAt(mesh, best);
}
