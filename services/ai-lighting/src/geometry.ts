/** Plane geometry for floor plans (metres, x/y on the floor). */
export interface Point2 {
  x: number;
  y: number;
}

/** Shoelace area; positive when the vertices run counter-clockwise. */
export function signedArea(polygon: readonly Point2[]): number {
  let twice = 0;
  for (let i = 0; i < polygon.length; i++) {
    const a = polygon[i]!;
    const b = polygon[(i + 1) % polygon.length]!;
    twice += a.x * b.y - b.x * a.y;
  }
  return twice / 2;
}

/** Even–odd ray casting. Points exactly on an edge may go either way; callers keep a margin. */
export function pointInPolygon(x: number, y: number, polygon: readonly Point2[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i]!;
    const b = polygon[j]!;
    if (a.y > y !== b.y > y && x < ((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

export function distanceToSegment(x: number, y: number, a: Point2, b: Point2): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSq = dx * dx + dy * dy;
  const t = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, ((x - a.x) * dx + (y - a.y) * dy) / lengthSq));
  return Math.hypot(x - (a.x + t * dx), y - (a.y + t * dy));
}

export function distanceToBoundary(x: number, y: number, polygon: readonly Point2[]): number {
  let best = Infinity;
  for (let i = 0; i < polygon.length; i++) best = Math.min(best, distanceToSegment(x, y, polygon[i]!, polygon[(i + 1) % polygon.length]!));
  return best;
}

const cross = (ox: number, oy: number, ax: number, ay: number, bx: number, by: number) => (ax - ox) * (by - oy) - (ay - oy) * (bx - ox);

/** True when the open segments p1p2 and q1q2 cross (touching at an end point does not count). */
export function segmentsCross(p1x: number, p1y: number, p2x: number, p2y: number, q1: Point2, q2: Point2): boolean {
  const d1 = cross(q1.x, q1.y, q2.x, q2.y, p1x, p1y);
  const d2 = cross(q1.x, q1.y, q2.x, q2.y, p2x, p2y);
  const d3 = cross(p1x, p1y, p2x, p2y, q1.x, q1.y);
  const d4 = cross(p1x, p1y, p2x, p2y, q2.x, q2.y);
  return ((d1 > 1e-12 && d2 < -1e-12) || (d1 < -1e-12 && d2 > 1e-12)) && ((d3 > 1e-12 && d4 < -1e-12) || (d3 < -1e-12 && d4 > 1e-12));
}

/** A polygon whose non-adjacent edges never cross and whose area is not zero. */
export function isSimplePolygon(polygon: readonly Point2[]): boolean {
  const n = polygon.length;
  if (n < 3 || Math.abs(signedArea(polygon)) < 1e-9) return false;
  for (let i = 0; i < n; i++) {
    const a1 = polygon[i]!;
    const a2 = polygon[(i + 1) % n]!;
    if (a1.x === a2.x && a1.y === a2.y) return false;
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue; // adjacent through the closing edge
      if (segmentsCross(a1.x, a1.y, a2.x, a2.y, polygon[j]!, polygon[(j + 1) % n]!)) return false;
    }
  }
  return true;
}

export function isConvex(polygon: readonly Point2[]): boolean {
  let sign = 0;
  const n = polygon.length;
  for (let i = 0; i < n; i++) {
    const a = polygon[i]!;
    const b = polygon[(i + 1) % n]!;
    const c = polygon[(i + 2) % n]!;
    const z = cross(a.x, a.y, b.x, b.y, c.x, c.y);
    if (Math.abs(z) < 1e-12) continue;
    if (sign === 0) sign = Math.sign(z);
    else if (Math.sign(z) !== sign) return false;
  }
  return true;
}

/**
 * Walls are full height, so in plan a wall blocks the light between two points inside the
 * room exactly when the segment joining them crosses it. `skipEdge` is the wall a window is in.
 */
export function wallBetween(ax: number, ay: number, bx: number, by: number, polygon: readonly Point2[], skipEdge = -1): boolean {
  for (let i = 0; i < polygon.length; i++) {
    if (i === skipEdge) continue;
    if (segmentsCross(ax, ay, bx, by, polygon[i]!, polygon[(i + 1) % polygon.length]!)) return true;
  }
  return false;
}

/** Walls as flat arrays [ax, ay, bx, by, ...] for the hot occlusion loop. */
export function wallArray(polygon: readonly Point2[]): Float64Array {
  const out = new Float64Array(polygon.length * 4);
  for (let i = 0; i < polygon.length; i++) {
    const a = polygon[i]!;
    const b = polygon[(i + 1) % polygon.length]!;
    out.set([a.x, a.y, b.x, b.y], i * 4);
  }
  return out;
}

/** Same test as `wallBetween`, on `wallArray` output, without allocations. */
export function blockedByWalls(ax: number, ay: number, bx: number, by: number, walls: Float64Array, skipEdge = -1): boolean {
  const eps = 1e-12;
  for (let k = 0; k < walls.length; k += 4) {
    if (k / 4 === skipEdge) continue;
    const qx1 = walls[k]!;
    const qy1 = walls[k + 1]!;
    const qx2 = walls[k + 2]!;
    const qy2 = walls[k + 3]!;
    const d1 = (qx2 - qx1) * (ay - qy1) - (qy2 - qy1) * (ax - qx1);
    const d2 = (qx2 - qx1) * (by - qy1) - (qy2 - qy1) * (bx - qx1);
    if (!((d1 > eps && d2 < -eps) || (d1 < -eps && d2 > eps))) continue;
    const d3 = (bx - ax) * (qy1 - ay) - (by - ay) * (qx1 - ax);
    const d4 = (bx - ax) * (qy2 - ay) - (by - ay) * (qx2 - ax);
    if ((d3 > eps && d4 < -eps) || (d3 < -eps && d4 > eps)) return true;
  }
  return false;
}

export function boundingBox(polygon: readonly Point2[]) {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of polygon) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x);
    maxY = Math.max(maxY, p.y);
  }
  return { minX, minY, maxX, maxY };
}
