/**
 * The letterbox of YOLOv8 preprocessing, as Ultralytics' `LetterBox` (auto=False,
 * scaleup=True, center=True) computes it, and its exact inverse for boxes.
 *
 * The image is scaled by r = min(H/h, W/w), keeping its aspect ratio, to
 * round(w·r) × round(h·r) — Python's round(), halves to even — then padded to W × H with grey
 * 114, centred: left = round(dw − 0.1), right = round(dw + 0.1) for dw = (W − w')/2 (and the
 * same for top/bottom), so an odd padding puts the extra pixel right/bottom.
 */
import { clamp, type Box, type Size } from "./geometry";

/** The grey YOLOv8 pads with (and trained on). */
export const PAD_VALUE = 114;

export interface Letterbox {
  source: Size;
  target: Size;
  /** The source scaled into the target, before padding. */
  resized: Size;
  pad: { left: number; top: number; right: number; bottom: number };
}

/** Python 3's round(): exact halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

export function letterboxParams(source: Size, target: Size): Letterbox {
  const r = Math.min(target.height / source.height, target.width / source.width);
  // At least a pixel: a 10000×1 strip would otherwise vanish (Ultralytics would fail there).
  const resized = { width: Math.max(1, roundHalfEven(source.width * r)), height: Math.max(1, roundHalfEven(source.height * r)) };
  const dw = (target.width - resized.width) / 2;
  const dh = (target.height - resized.height) / 2;
  return {
    source,
    target,
    resized,
    pad: { left: roundHalfEven(dw - 0.1), right: roundHalfEven(dw + 0.1), top: roundHalfEven(dh - 0.1), bottom: roundHalfEven(dh + 0.1) },
  };
}

/**
 * A box in model-input pixels back to source pixels, clipped to the image. Each axis uses the
 * scale the resize really applied (resized/source), so the inverse is exact; Ultralytics'
 * `scale_boxes` divides both axes by r instead, which differs by under a pixel.
 */
export function unletterboxBox(box: Box, letterbox: Letterbox): Box {
  const sx = letterbox.resized.width / letterbox.source.width;
  const sy = letterbox.resized.height / letterbox.source.height;
  const { width, height } = letterbox.source;
  return {
    x1: clamp((box.x1 - letterbox.pad.left) / sx, 0, width),
    y1: clamp((box.y1 - letterbox.pad.top) / sy, 0, height),
    x2: clamp((box.x2 - letterbox.pad.left) / sx, 0, width),
    y2: clamp((box.y2 - letterbox.pad.top) / sy, 0, height),
  };
}

/** True when the box (model-input pixels) covers some of the image, not only padding. */
export function touchesImage(box: Box, letterbox: Letterbox): boolean {
  const { left, top } = letterbox.pad;
  const { width, height } = letterbox.resized;
  return Math.min(box.x2, left + width) > Math.max(box.x1, left) && Math.min(box.y2, top + height) > Math.max(box.y1, top);
}
