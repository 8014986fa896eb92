/**
 * Least-power luminaire layout meeting a target Ē and Uo on the work plane.
 *
 * For each catalogue type, a galloping-then-bisecting search over the luminaire count finds
 * the smallest count for which a layout meets the target; the layout for a count comes from
 * a search over row arrangements and spreads, refined by a pattern search that moves single
 * luminaires to raise the worst point. The cheapest feasible type wins.
 */
import { addLuminaire, summarize, workPlaneGrid, type Distribution, type GridSummary, type Luminaire, type WorkPlaneGrid } from "./illuminance";
import { boundingBox, isConvex, wallArray, type Point2 } from "./geometry";

export interface CatalogueEntry {
  id: string;
  flux: number;
  powerW: number;
  distribution: Distribution;
  maintenanceFactor: number;
  /** Most of this type a layout may use. */
  maxCount: number;
}

export interface OptimizeTarget {
  illuminanceLux: number;
  uniformity: number;
}

export interface OptimizeProblem {
  floor: Point2[];
  grid: WorkPlaneGrid;
  /** Illuminance already there (daylight for the `natural` goal), lux per grid point. */
  base: Float64Array;
  mountingHeight: number;
  catalogue: CatalogueEntry[];
  target: OptimizeTarget;
  /** Closest a luminaire may be to a wall, metres. */
  wallClearance: number;
}

export interface Layout {
  entry: CatalogueEntry;
  positions: Point2[];
  summary: GridSummary;
  installedPowerW: number;
}

export type OptimizeResult =
  | { feasible: true; best: Layout; evaluations: number; tried: { id: string; count: number | null }[]; budgetExhausted: boolean }
  | { feasible: false; reason: string; closest?: Layout; evaluations: number };

/** How far a layout is from the target: ≥ 1 means it meets both Ē and Uo. */
function margin(summary: GridSummary, target: OptimizeTarget): number {
  return Math.min(summary.mean / target.illuminanceLux, target.uniformity > 0 ? summary.uniformity / target.uniformity : Infinity);
}

/** Bound on grid-point updates per request (~1 s on one core), so no request runs away. */
export const WORK_BUDGET = 400_000_000;

class Evaluator {
  evaluations = 0;
  /** Grid-point updates done so far. */
  work = 0;
  private readonly occluding: Float64Array | undefined;
  /** Where a luminaire may go: a fine mesh of the room kept clear of the walls. */
  readonly admissible: WorkPlaneGrid;

  constructor(readonly problem: OptimizeProblem) {
    this.occluding = isConvex(problem.floor) ? undefined : wallArray(problem.floor);
    this.admissible = workPlaneGrid(problem.floor, 0, 0.1, problem.wallClearance);
    this.indexCells();
  }

  luminaire(entry: CatalogueEntry, p: Point2): Luminaire {
    return { x: p.x, y: p.y, z: this.problem.mountingHeight, flux: entry.flux, distribution: entry.distribution, maintenanceFactor: entry.maintenanceFactor };
  }

  field(entry: CatalogueEntry, positions: Point2[]): Float64Array {
    const out = Float64Array.from(this.problem.base);
    for (const p of positions) addLuminaire(out, this.problem.grid, this.luminaire(entry, p), this.occluding);
    this.evaluations++;
    this.work += (positions.length + 1) * out.length;
    return out;
  }

  move(field: Float64Array, entry: CatalogueEntry, from: Point2, to: Point2): void {
    addLuminaire(field, this.problem.grid, this.luminaire(entry, from), this.occluding, -1);
    addLuminaire(field, this.problem.grid, this.luminaire(entry, to), this.occluding, 1);
    this.evaluations++;
    this.work += 3 * field.length;
  }

  /** Dense mesh of cells → admissible point index (−1: not admissible), for O(1) look-ups. */
  private cells = new Int32Array(0);
  private nx = 0;
  private ny = 0;
  private origin: Point2 = { x: 0, y: 0 };

  private indexCells(): void {
    const box = boundingBox(this.problem.floor);
    const s = this.admissible.spacing;
    this.origin = { x: box.minX + s / 2, y: box.minY + s / 2 };
    this.nx = Math.ceil((box.maxX - box.minX) / s) + 1;
    this.ny = Math.ceil((box.maxY - box.minY) / s) + 1;
    this.cells = new Int32Array(this.nx * this.ny).fill(-1);
    const { xs, ys } = this.admissible;
    for (let i = 0; i < xs.length; i++) this.cells[this.cell(xs[i]!, ys[i]!)] = i;
  }

  /** Flat cell index of a point, or −1 outside the mesh. */
  private cell(x: number, y: number): number {
    const ix = Math.round((x - this.origin.x) / this.admissible.spacing);
    const iy = Math.round((y - this.origin.y) / this.admissible.spacing);
    return ix < 0 || iy < 0 || ix >= this.nx || iy >= this.ny ? -1 : iy * this.nx + ix;
  }

  /** Nearest admissible point not already taken (positions must stay inside, off the walls). */
  snap(p: Point2, taken: Set<number>): Point2 | undefined {
    const { xs, ys } = this.admissible;
    const cx = Math.round((p.x - this.origin.x) / this.admissible.spacing);
    const cy = Math.round((p.y - this.origin.y) / this.admissible.spacing);
    let best = -1;
    let bestDistance = Infinity;
    let foundAt = -1;
    const consider = (ix: number, iy: number) => {
      if (ix < 0 || iy < 0 || ix >= this.nx || iy >= this.ny) return;
      const i = this.cells[iy * this.nx + ix]!;
      if (i < 0 || taken.has(i)) return;
      const d = (xs[i]! - p.x) ** 2 + (ys[i]! - p.y) ** 2;
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    };
    // Square rings outwards; one ring past the first hit is enough for the true nearest.
    const maxRing = Math.max(this.nx, this.ny);
    for (let ring = 0; ring <= maxRing && (foundAt < 0 || ring <= foundAt + 1); ring++) {
      if (ring === 0) consider(cx, cy);
      for (let k = -ring; k <= ring && ring > 0; k++) {
        consider(cx + k, cy - ring);
        consider(cx + k, cy + ring);
        if (k > -ring && k < ring) {
          consider(cx - ring, cy + k);
          consider(cx + ring, cy + k);
        }
      }
      if (best >= 0 && foundAt < 0) foundAt = ring;
    }
    if (best < 0) return undefined;
    taken.add(best);
    return { x: xs[best]!, y: ys[best]! };
  }

  isAdmissible(p: Point2, others: Point2[], self: number): boolean {
    const c = this.cell(p.x, p.y);
    if (c < 0 || this.cells[c]! < 0) return false;
    return others.every((o, i) => i === self || (o.x - p.x) ** 2 + (o.y - p.y) ** 2 > 0.04);
  }
}

/** `count` luminaires in `rows` rows over the room's bounding box, pulled towards the centre by `spread`. */
function rowLayout(box: ReturnType<typeof boundingBox>, count: number, rows: number, spread: number): Point2[] {
  const cx = (box.minX + box.maxX) / 2;
  const cy = (box.minY + box.maxY) / 2;
  const width = box.maxX - box.minX;
  const depth = box.maxY - box.minY;
  const positions: Point2[] = [];
  for (let r = 0; r < rows; r++) {
    const inRow = Math.floor(count / rows) + (r < count % rows ? 1 : 0);
    const y = box.minY + ((r + 0.5) * depth) / rows;
    for (let j = 0; j < inRow; j++) {
      const x = box.minX + ((j + 0.5) * width) / inRow;
      positions.push({ x: cx + (x - cx) * spread, y: cy + (y - cy) * spread });
    }
  }
  return positions;
}

const SPREADS = [0.75, 0.85, 0.95, 1.05, 1.15];

/** The best layout of `count` luminaires of one type that this search can find. */
function bestLayoutForCount(ev: Evaluator, entry: CatalogueEntry, count: number): { positions: Point2[]; summary: GridSummary; field: Float64Array } | undefined {
  const { floor, target } = ev.problem;
  const box = boundingBox(floor);
  const aspect = (box.maxY - box.minY) / Math.max(1e-9, box.maxX - box.minX);
  const idealRows = Math.sqrt(count * aspect);
  const rowChoices = new Set<number>();
  for (let r = Math.floor(idealRows) - 1; r <= Math.ceil(idealRows) + 1; r++) if (r >= 1 && r <= count) rowChoices.add(r);

  let best: { positions: Point2[]; summary: GridSummary; field: Float64Array; score: number } | undefined;
  for (const rows of rowChoices) {
    for (const spread of SPREADS) {
      const taken = new Set<number>();
      const positions: Point2[] = [];
      for (const p of rowLayout(box, count, rows, spread)) {
        const snapped = ev.snap(p, taken);
        if (snapped) positions.push(snapped);
      }
      if (positions.length < count) return undefined; // the room cannot hold that many
      const field = ev.field(entry, positions);
      const summary = summarize(field);
      const score = margin(summary, target);
      if (!best || score > best.score) best = { positions, summary, field, score };
    }
  }
  if (!best) return undefined;
  refine(ev, entry, best);
  return best;
}

/** Index of the darkest grid point: the one that sets Uo. */
function darkest(field: Float64Array): number {
  let worst = 0;
  for (let i = 1; i < field.length; i++) if (field[i]! < field[worst]!) worst = i;
  return worst;
}

/**
 * Pattern search: the darkest point sets Uo, so try moving the few luminaires nearest to it,
 * one at a time, by shrinking steps, keeping a move only when the margin improves.
 */
function refine(ev: Evaluator, entry: CatalogueEntry, layout: { positions: Point2[]; summary: GridSummary; field: Float64Array; score: number }): void {
  const directions = [
    [1, 0],
    [-1, 0],
    [0, 1],
    [0, -1],
  ] as const;
  const { xs, ys } = ev.problem.grid;
  const nearest = Math.min(4, layout.positions.length);
  for (const step of [0.4, 0.2, 0.1]) {
    for (let sweep = 0; sweep < 12; sweep++) {
      let improved = false;
      const w = darkest(layout.field);
      const order = layout.positions
        .map((p, i) => ({ i, d: (p.x - xs[w]!) ** 2 + (p.y - ys[w]!) ** 2 }))
        .sort((a, b) => a.d - b.d)
        .slice(0, nearest);
      for (const { i } of order) {
        for (const [dx, dy] of directions) {
          const from = layout.positions[i]!;
          const to = { x: from.x + dx * step, y: from.y + dy * step };
          if (!ev.isAdmissible(to, layout.positions, i)) continue;
          ev.move(layout.field, entry, from, to);
          const summary = summarize(layout.field);
          const score = margin(summary, ev.problem.target);
          if (score > layout.score + 1e-9) {
            layout.positions[i] = to;
            layout.summary = summary;
            layout.score = score;
            improved = true;
          } else {
            ev.move(layout.field, entry, to, from);
          }
        }
      }
      if (!improved) break;
    }
  }
}

/** Lets other requests (health probes, a SIGTERM) run between steps of a long search. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function optimizeLayout(problem: OptimizeProblem): Promise<OptimizeResult> {
  const ev = new Evaluator(problem);
  if (problem.grid.xs.length === 0) return { feasible: false, reason: "the room has no calculation points (too small for the grid and its wall margin)", evaluations: 0 };
  if (ev.admissible.xs.length === 0) return { feasible: false, reason: "no position in the room is far enough from the walls to mount a luminaire", evaluations: 0 };

  const baseMean = summarize(problem.base).mean;
  const gridArea = problem.grid.xs.length * problem.grid.spacing ** 2;
  let best: Layout | undefined;
  let closest: { layout: Layout; score: number } | undefined;
  const tried: { id: string; count: number | null }[] = [];

  const layoutAt = async (entry: CatalogueEntry, count: number) => {
    await yieldToEventLoop();
    const found = bestLayoutForCount(ev, entry, count);
    if (!found) return undefined;
    const layout: Layout = { entry, positions: found.positions, summary: found.summary, installedPowerW: count * entry.powerW };
    const score = margin(found.summary, problem.target);
    if (!closest || score > closest.score) closest = { layout, score };
    return { layout, feasible: score >= 1 };
  };

  // Cheapest light first, so a good bound prunes the rest early.
  const order = [...problem.catalogue].sort((a, b) => a.powerW / a.flux - b.powerW / b.flux);
  for (const entry of order) {
    if (ev.work > WORK_BUDGET) break;
    // No layout can put more than this share of the flux on the grid, so fewer cannot work.
    const downward = entry.distribution === "lambertian" ? 1 : 0.5;
    const needed = Math.max(0, problem.target.illuminanceLux - baseMean) * gridArea;
    let low = Math.max(1, Math.floor((0.9 * needed) / (entry.flux * entry.maintenanceFactor * downward)));
    const maxCount = Math.min(entry.maxCount, best ? Math.floor((best.installedPowerW - 1e-9) / entry.powerW) : entry.maxCount);
    if (low > maxCount) {
      tried.push({ id: entry.id, count: null });
      continue;
    }
    // Gallop up until feasible, then bisect down to the smallest feasible count.
    let feasibleAt: { count: number; layout: Layout } | undefined;
    let step = 1;
    let lastInfeasible = low - 1;
    for (let count = low; count <= maxCount && ev.work <= WORK_BUDGET; count = Math.min(maxCount, count + step), step *= 2) {
      const result = await layoutAt(entry, count);
      if (result?.feasible) {
        feasibleAt = { count, layout: result.layout };
        break;
      }
      lastInfeasible = count;
      if (count === maxCount) break;
      // Ē grows about linearly with the count: jump straight past counts too dim to work.
      const mean = result ? result.layout.summary.mean - baseMean : 0;
      if (mean > 0) {
        const forMean = Math.ceil((count * (problem.target.illuminanceLux - baseMean)) / mean);
        if (forMean > count + step) {
          step = 1;
          count = Math.min(maxCount, forMean) - step; // the bisection below still covers the skipped counts
        }
      }
    }
    if (!feasibleAt) {
      tried.push({ id: entry.id, count: null });
      continue;
    }
    low = lastInfeasible + 1;
    let high = feasibleAt.count;
    while (low < high && ev.work <= WORK_BUDGET) {
      const mid = Math.floor((low + high) / 2);
      const result = await layoutAt(entry, mid);
      if (result?.feasible) {
        high = mid;
        feasibleAt = { count: mid, layout: result.layout };
      } else {
        low = mid + 1;
      }
    }
    tried.push({ id: entry.id, count: feasibleAt.count });
    if (!best || feasibleAt.layout.installedPowerW < best.installedPowerW) best = feasibleAt.layout;
  }

  const budgetExhausted = ev.work > WORK_BUDGET;
  if (best) return { feasible: true, best, evaluations: ev.evaluations, tried, budgetExhausted };
  const c = closest?.layout;
  const reason = budgetExhausted
    ? `the search budget ran out before any layout met Ē ≥ ${problem.target.illuminanceLux} lx and Uo ≥ ${problem.target.uniformity}` +
      (c ? `; the closest found is ${c.positions.length} × ${c.entry.id} with Ē = ${c.summary.mean.toFixed(1)} lx, Uo = ${c.summary.uniformity.toFixed(3)}` : "") +
      "; use a coarser grid, fewer catalogue types or more powerful luminaires"
    : c
    ? `no layout of up to the allowed number of luminaires meets Ē ≥ ${problem.target.illuminanceLux} lx and Uo ≥ ${problem.target.uniformity}; ` +
      `the closest found is ${c.positions.length} × ${c.entry.id} with Ē = ${c.summary.mean.toFixed(1)} lx, Uo = ${c.summary.uniformity.toFixed(3)}`
    : `no catalogue type can reach Ē ≥ ${problem.target.illuminanceLux} lx within its maxCount`;
  return { feasible: false, reason, closest: c, evaluations: ev.evaluations };
}
