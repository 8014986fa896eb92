/**
 * Nearest-cell-centre lookups: a uniform bucket grid over the cell centres (about two centres
 * per bucket), searched in growing shells around the query's bucket until no unvisited bucket
 * can hold anything closer. Built once per mesh in O(n); a query touches a few buckets.
 */
export interface Nearest {
  /** Index of the nearest point (cell), -1 when the index is empty. */
  index: number;
  distance: number;
}

const TARGET_PER_BUCKET = 2;

export class PointIndex {
  private readonly lo: [number, number, number];
  private readonly size: [number, number, number];
  private readonly counts: [number, number, number];
  /** CSR layout: points of bucket b are order[start[b] … start[b+1]). */
  private readonly start: Int32Array;
  private readonly order: Int32Array;

  /** `points` are x y z triples (OpenFOAM's cell centres `C`). */
  constructor(readonly points: Float64Array) {
    const n = points.length / 3;
    const lo: [number, number, number] = [Infinity, Infinity, Infinity];
    const hi: [number, number, number] = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < 3; a++) {
        const v = points[3 * i + a];
        if (v < lo[a]) lo[a] = v;
        if (v > hi[a]) hi[a] = v;
      }
    }
    if (n === 0) {
      lo.fill(0);
      hi.fill(0);
    }
    this.lo = lo;
    const extent = [hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]];
    this.counts = bucketCounts(extent, Math.max(1, n / TARGET_PER_BUCKET));
    this.size = [0, 1, 2].map((a) => (extent[a] > 0 ? extent[a] / this.counts[a] : 1)) as [number, number, number];

    const buckets = this.counts[0] * this.counts[1] * this.counts[2];
    const bucketOf = new Int32Array(n);
    const start = new Int32Array(buckets + 1);
    for (let i = 0; i < n; i++) {
      const b = this.bucket(this.cellOf(points[3 * i], 0), this.cellOf(points[3 * i + 1], 1), this.cellOf(points[3 * i + 2], 2));
      bucketOf[i] = b;
      start[b + 1]++;
    }
    for (let b = 0; b < buckets; b++) start[b + 1] += start[b];
    const fill = start.slice(0, buckets);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[fill[bucketOf[i]]++] = i;
    this.start = start;
    this.order = order;
  }

  get count(): number {
    return this.order.length;
  }

  private cellOf(v: number, axis: number): number {
    const c = Math.floor((v - this.lo[axis]) / this.size[axis]);
    return c < 0 ? 0 : c >= this.counts[axis] ? this.counts[axis] - 1 : c;
  }

  private bucket(i: number, j: number, k: number): number {
    return (k * this.counts[1] + j) * this.counts[0] + i;
  }

  nearest(x: number, y: number, z: number): Nearest {
    if (this.order.length === 0) return { index: -1, distance: Infinity };
    const q = [x, y, z];
    const c = [this.cellOf(x, 0), this.cellOf(y, 1), this.cellOf(z, 2)];
    const pts = this.points;
    let best = -1;
    let bestD2 = Infinity;
    const maxShell = Math.max(this.counts[0], this.counts[1], this.counts[2]);
    const visit = (i: number, j: number, k: number) => {
      const b = this.bucket(i, j, k);
      for (let s = this.start[b]; s < this.start[b + 1]; s++) {
        const p = this.order[s];
        const dx = pts[3 * p] - x;
        const dy = pts[3 * p + 1] - y;
        const dz = pts[3 * p + 2] - z;
        const d2 = dx * dx + dy * dy + dz * dz;
        if (d2 < bestD2 || (d2 === bestD2 && p < best)) {
          bestD2 = d2;
          best = p;
        }
      }
    };
    for (let r = 0; r <= maxShell; r++) {
      const lo = c.map((v) => v - r);
      const hi = c.map((v) => v + r);
      // Only the shell at Chebyshev distance r (the inside was visited before), clipped to the grid.
      for (let k = Math.max(0, lo[2]); k <= Math.min(this.counts[2] - 1, hi[2]); k++) {
        const kFace = k === lo[2] || k === hi[2];
        for (let j = Math.max(0, lo[1]); j <= Math.min(this.counts[1] - 1, hi[1]); j++) {
          if (kFace || j === lo[1] || j === hi[1]) {
            for (let i = Math.max(0, lo[0]); i <= Math.min(this.counts[0] - 1, hi[0]); i++) visit(i, j, k);
          } else {
            if (lo[0] >= 0) visit(lo[0], j, k);
            if (hi[0] < this.counts[0] && r > 0) visit(hi[0], j, k);
          }
        }
      }
      // Anything unvisited lies beyond a face of the visited box that is not the grid's own
      // border; stop once the best is no farther than the nearest such face.
      let bound = Infinity;
      for (let a = 0; a < 3; a++) {
        if (lo[a] > 0) bound = Math.min(bound, q[a] - (this.lo[a] + lo[a] * this.size[a]));
        if (hi[a] < this.counts[a] - 1) bound = Math.min(bound, this.lo[a] + (hi[a] + 1) * this.size[a] - q[a]);
      }
      if (bound === Infinity || (bound >= 0 && bestD2 <= bound * bound)) break;
    }
    return { index: best, distance: Math.sqrt(bestD2) };
  }
}

/**
 * Buckets per axis for about `target` buckets in all, cubic where possible: an axis shorter than
 * one bucket edge (a 2-D mesh's thin axis) gets one bucket and the others share the rest.
 */
function bucketCounts(extent: number[], target: number): [number, number, number] {
  const counts: [number, number, number] = [1, 1, 1];
  let live = [0, 1, 2].filter((a) => extent[a] > 0);
  for (let round = 0; round < 3 && live.length > 0; round++) {
    const volume = live.reduce((p, a) => p * extent[a], 1);
    const edge = Math.pow(volume / target, 1 / live.length);
    const thin = live.filter((a) => extent[a] < edge);
    if (thin.length === 0 || thin.length === live.length) {
      for (const a of live) counts[a] = Math.max(1, Math.min(1024, Math.round(extent[a] / edge)));
      break;
    }
    live = live.filter((a) => extent[a] >= edge);
  }
  return counts;
}
