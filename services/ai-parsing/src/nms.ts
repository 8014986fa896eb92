/** Class-wise greedy non-maximum suppression, as torchvision's `batched_nms` in Ultralytics. */
import { iou } from "./geometry";
import type { Candidate } from "./decode";

export interface NmsOptions {
  /** A box is dropped when its IoU with a kept box of the same class is above this. */
  iouThreshold: number;
  maxDetections: number;
  /** Only the best this many candidates enter NMS (Ultralytics' max_nms) — bounds its quadratic cost. @default 30000 */
  maxCandidates?: number;
}

export const MAX_NMS_CANDIDATES = 30_000;

/** The kept candidates, best score first. */
export function nonMaxSuppression(candidates: readonly Candidate[], options: NmsOptions): Candidate[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score).slice(0, options.maxCandidates ?? MAX_NMS_CANDIDATES);
  const keptByClass = new Map<number, Candidate[]>();
  const kept: Candidate[] = [];
  for (const candidate of sorted) {
    // Greedy in score order, so stopping at the limit keeps exactly the top survivors.
    if (kept.length >= options.maxDetections) break;
    const sameClass = keptByClass.get(candidate.classId);
    if (sameClass?.some((k) => iou(k, candidate) > options.iouThreshold)) continue;
    if (sameClass) sameClass.push(candidate);
    else keptByClass.set(candidate.classId, [candidate]);
    kept.push(candidate);
  }
  return kept;
}
