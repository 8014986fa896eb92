/**
 * YOLOv8 detection head output → candidate boxes. The tensor is [1, 4 + C, N]: for each of N
 * anchors (8400 at 640²), rows 0–3 hold cx, cy, w, h in model-input pixels and rows 4… the C
 * class scores (already sigmoid; no objectness score). Each anchor keeps its best class only,
 * as Ultralytics' NMS does by default (multi_label=False).
 */
import type { Box } from "./geometry";

export interface Candidate extends Box {
  classId: number;
  score: number;
}

export interface OutputLayout {
  classes: number;
  anchors: number;
}

/** The layout of a [1, 4 + C, N] output, or why it is not one. */
export function outputLayout(dims: readonly number[]): OutputLayout | string {
  if (dims.length !== 3 || dims[0] !== 1) return `expected an output of shape [1, 4 + classes, anchors], got [${dims.join(", ")}]`;
  const [, rows, anchors] = dims as [number, number, number];
  if (rows < 5) return `expected at least 5 rows (4 box values and a class score), got [${dims.join(", ")}]`;
  if (anchors < 1) return `no anchors in output [${dims.join(", ")}]`;
  return { classes: rows - 4, anchors };
}

/** Anchors whose best class score is above `confidence` (strictly, as Ultralytics), as corner boxes. */
export function decodeDetections(data: Float32Array, layout: OutputLayout, confidence: number): Candidate[] {
  const { classes, anchors: n } = layout;
  if (data.length !== (4 + classes) * n) throw new Error(`output holds ${data.length} values, expected ${(4 + classes) * n}`);
  // Class-major sweep: contiguous reads, instead of striding by N for every anchor.
  const best = data.slice(4 * n, 5 * n);
  const bestClass = new Uint32Array(n);
  for (let c = 1; c < classes; c++) {
    const row = (4 + c) * n;
    for (let i = 0; i < n; i++) {
      const score = data[row + i] as number;
      if (score > (best[i] as number)) {
        best[i] = score;
        bestClass[i] = c;
      }
    }
  }
  const out: Candidate[] = [];
  for (let i = 0; i < n; i++) {
    const score = best[i] as number;
    if (!(score > confidence)) continue; // also drops NaN
    const cx = data[i] as number;
    const cy = data[n + i] as number;
    const hw = (data[2 * n + i] as number) / 2;
    const hh = (data[3 * n + i] as number) / 2;
    out.push({ x1: cx - hw, y1: cy - hh, x2: cx + hw, y2: cy + hh, classId: bestClass[i] as number, score });
  }
  return out;
}
