/** Sizes and axis-aligned boxes, in pixels. */

export interface Size {
  width: number;
  height: number;
}

/** Corners, x to the right and y down; edges, so a full-image box is 0..width × 0..height. */
export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export function area(box: Box): number {
  return Math.max(0, box.x2 - box.x1) * Math.max(0, box.y2 - box.y1);
}

/** Intersection over union; 0 for disjoint or empty boxes. */
export function iou(a: Box, b: Box): number {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (w <= 0 || h <= 0) return 0;
  const intersection = w * h;
  return intersection / (area(a) + area(b) - intersection);
}

export const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** Hundredths of a pixel: finer than any detector is accurate, short in JSON. */
export const round2 = (value: number) => Math.round(value * 100) / 100;
