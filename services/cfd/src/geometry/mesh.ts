/**
 * A triangle surface: metres, z up, ground at z = 0. Vertices are shared (welded), so the
 * watertightness check can count how many faces use each edge.
 */
export interface TriangleMesh {
  /** x, y, z of every vertex, flat. */
  positions: Float64Array;
  /** Three vertex indices per triangle, flat. */
  triangles: Uint32Array;
}

export interface Vec3 {
  x: number;
  y: number;
  z: number;
}

export interface Bounds {
  min: Vec3;
  max: Vec3;
}

export const triangleCount = (mesh: TriangleMesh) => mesh.triangles.length / 3;

export const vertexAt = (mesh: TriangleMesh, index: number): Vec3 => ({
  x: mesh.positions[3 * index],
  y: mesh.positions[3 * index + 1],
  z: mesh.positions[3 * index + 2],
});

export function meshBounds(mesh: TriangleMesh): Bounds {
  const min = { x: Infinity, y: Infinity, z: Infinity };
  const max = { x: -Infinity, y: -Infinity, z: -Infinity };
  const p = mesh.positions;
  for (let i = 0; i < p.length; i += 3) {
    if (p[i] < min.x) min.x = p[i];
    if (p[i] > max.x) max.x = p[i];
    if (p[i + 1] < min.y) min.y = p[i + 1];
    if (p[i + 1] > max.y) max.y = p[i + 1];
    if (p[i + 2] < min.z) min.z = p[i + 2];
    if (p[i + 2] > max.z) max.z = p[i + 2];
  }
  return { min, max };
}

/**
 * Builds a mesh from unshared triangle corners (STL) by merging corners that coincide after
 * rounding to `tolerance` metres: STL repeats each vertex once per triangle.
 */
export function weldTriangles(corners: ArrayLike<number>, tolerance = 1e-6): TriangleMesh {
  const index = new Map<string, number>();
  const positions: number[] = [];
  const triangles = new Uint32Array(corners.length / 3);
  for (let c = 0; c < corners.length; c += 3) {
    const x = corners[c];
    const y = corners[c + 1];
    const z = corners[c + 2];
    const key = `${Math.round(x / tolerance)},${Math.round(y / tolerance)},${Math.round(z / tolerance)}`;
    let id = index.get(key);
    if (id === undefined) {
      id = positions.length / 3;
      index.set(key, id);
      positions.push(x, y, z);
    }
    triangles[c / 3] = id;
  }
  return { positions: Float64Array.from(positions), triangles };
}

/** Concatenates meshes (e.g. several buildings) into one surface. */
export function mergeMeshes(meshes: readonly TriangleMesh[]): TriangleMesh {
  const positions = new Float64Array(meshes.reduce((n, m) => n + m.positions.length, 0));
  const triangles = new Uint32Array(meshes.reduce((n, m) => n + m.triangles.length, 0));
  let p = 0;
  let t = 0;
  for (const mesh of meshes) {
    const offset = p / 3;
    positions.set(mesh.positions, p);
    for (let i = 0; i < mesh.triangles.length; i++) triangles[t + i] = mesh.triangles[i] + offset;
    p += mesh.positions.length;
    t += mesh.triangles.length;
  }
  return { positions, triangles };
}

/** Rotates about the vertical axis through (0, 0), counter-clockwise seen from above. */
export function rotateAboutZ(mesh: TriangleMesh, degrees: number): TriangleMesh {
  const a = (degrees * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  const positions = new Float64Array(mesh.positions.length);
  for (let i = 0; i < positions.length; i += 3) {
    const x = mesh.positions[i];
    const y = mesh.positions[i + 1];
    positions[i] = c * x - s * y;
    positions[i + 1] = s * x + c * y;
    positions[i + 2] = mesh.positions[i + 2];
  }
  return { positions, triangles: mesh.triangles };
}

/** Area of each triangle's cross product half, summed; and the enclosed volume (closed surfaces). */
export function surfaceMeasures(mesh: TriangleMesh, groundZ = 0, groundTolerance = 1e-6) {
  let area = 0;
  let exposedArea = 0;
  let signedVolume = 0;
  const p = mesh.positions;
  const t = mesh.triangles;
  for (let i = 0; i < t.length; i += 3) {
    const a = 3 * t[i];
    const b = 3 * t[i + 1];
    const c = 3 * t[i + 2];
    const ux = p[b] - p[a], uy = p[b + 1] - p[a + 1], uz = p[b + 2] - p[a + 2];
    const vx = p[c] - p[a], vy = p[c + 1] - p[a + 1], vz = p[c + 2] - p[a + 2];
    const nx = uy * vz - uz * vy;
    const ny = uz * vx - ux * vz;
    const nz = ux * vy - uy * vx;
    const triangleArea = 0.5 * Math.hypot(nx, ny, nz);
    area += triangleArea;
    // Faces lying on the ground are not in the flow.
    const onGround = [a, b, c].every((k) => Math.abs(p[k + 2] - groundZ) <= groundTolerance);
    if (!onGround) exposedArea += triangleArea;
    signedVolume += (p[a] * (p[b + 1] * p[c + 2] - p[b + 2] * p[c + 1]) - p[a + 1] * (p[b] * p[c + 2] - p[b + 2] * p[c]) + p[a + 2] * (p[b] * p[c + 1] - p[b + 1] * p[c])) / 6;
  }
  return { area, exposedArea, volume: Math.abs(signedVolume) };
}
