/** The steps of the pipeline, against hand-computed values. */
import sharp from "sharp";
import { decodeDetections, outputLayout, type Candidate } from "../src/decode";
import { iou } from "../src/geometry";
import { letterboxedInput } from "../src/image";
import { letterboxParams, roundHalfEven, touchesImage, unletterboxBox } from "../src/letterbox";
import { nonMaxSuppression } from "../src/nms";
import { hwcToChwUnit } from "../src/tensor";

const S640 = { width: 640, height: 640 };

describe("letterbox", () => {
  test("roundHalfEven is Python's round(): halves to even", () => {
    expect([0.5, 1.5, 2.5, 360.5, 361.5, -1.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, 360, 362, -2, 2, 3]);
  });

  test.each([
    // source, resized, pad (left, top, right, bottom) — by hand from Ultralytics' LetterBox
    [{ width: 1920, height: 1080 }, { width: 640, height: 360 }, { left: 0, top: 140, right: 0, bottom: 140 }],
    [{ width: 1080, height: 1920 }, { width: 360, height: 640 }, { left: 140, top: 0, right: 140, bottom: 0 }],
    [{ width: 1000, height: 333 }, { width: 640, height: 213 }, { left: 0, top: 213, right: 0, bottom: 214 }], // 213.12 → 213; dh 213.5
    [{ width: 1280, height: 721 }, { width: 640, height: 360 }, { left: 0, top: 140, right: 0, bottom: 140 }], // 360.5 → 360 (even), not 361
    [{ width: 1280, height: 723 }, { width: 640, height: 362 }, { left: 0, top: 139, right: 0, bottom: 139 }], // 361.5 → 362
    [{ width: 10, height: 5 }, { width: 640, height: 320 }, { left: 0, top: 160, right: 0, bottom: 160 }], // scaled up
    [{ width: 640, height: 640 }, { width: 640, height: 640 }, { left: 0, top: 0, right: 0, bottom: 0 }],
    [{ width: 10_000, height: 1 }, { width: 640, height: 1 }, { left: 0, top: 319, right: 0, bottom: 320 }], // never below a pixel
  ])("%o → %o padded %o", (source, resized, pad) => {
    expect(letterboxParams(source, S640)).toEqual({ source, target: S640, resized, pad });
  });

  test("the padding and the resized image always fill the target exactly, for any size", () => {
    for (let w = 1; w <= 2000; w += 37) {
      for (let h = 1; h <= 2000; h += 41) {
        const { resized, pad } = letterboxParams({ width: w, height: h }, S640);
        expect([pad.left + resized.width + pad.right, pad.top + resized.height + pad.bottom]).toEqual([640, 640]);
        expect(Math.max(resized.width, resized.height)).toBe(640);
        expect(pad.right - pad.left).toBeGreaterThanOrEqual(0);
        expect(pad.right - pad.left).toBeLessThanOrEqual(1);
      }
    }
  });

  test("inversion undoes the forward mapping per axis (exact for non-uniform rounding)", () => {
    const lb = letterboxParams({ width: 1000, height: 333 }, S640); // sx = 0.64, sy = 213/333
    const source = { x1: 100, y1: 50, x2: 700, y2: 300 };
    const sx = 640 / 1000;
    const sy = 213 / 333;
    const forward = { x1: source.x1 * sx, y1: source.y1 * sy + 213, x2: source.x2 * sx, y2: source.y2 * sy + 213 };
    const back = unletterboxBox(forward, lb);
    for (const k of ["x1", "y1", "x2", "y2"] as const) expect(back[k]).toBeCloseTo(source[k], 9);
  });

  test("inversion clips to the image", () => {
    const lb = letterboxParams({ width: 1920, height: 1080 }, S640);
    expect(unletterboxBox({ x1: -10, y1: 100, x2: 700, y2: 600 }, lb)).toEqual({ x1: 0, y1: 0, x2: 1920, y2: 1080 });
  });

  test("touchesImage: a box in the padding only does not", () => {
    const lb = letterboxParams({ width: 1920, height: 1080 }, S640); // image rows 140..500
    expect(touchesImage({ x1: 0, y1: 0, x2: 640, y2: 140 }, lb)).toBe(false); // the top padding exactly
    expect(touchesImage({ x1: 0, y1: 500, x2: 640, y2: 640 }, lb)).toBe(false);
    expect(touchesImage({ x1: 0, y1: 130, x2: 10, y2: 141 }, lb)).toBe(true);
  });
});

describe("decode", () => {
  // N = 3 anchors, C = 2 classes; rows: cx, cy, w, h, score0, score1.
  const data = Float32Array.from([
    ...[100, 200, 300],
    ...[50, 60, 70],
    ...[20, 40, 60],
    ...[10, 30, 50],
    ...[0.1, 0.25, 0.9],
    ...[0.6, 0.2, 0.95],
  ]);
  const layout = { classes: 2, anchors: 3 };

  test("best class per anchor, centre/size to corners, strictly above the threshold", () => {
    expect(decodeDetections(data, layout, 0.25)).toEqual([
      { x1: 90, y1: 45, x2: 110, y2: 55, classId: 1, score: expect.closeTo(0.6, 6) },
      { x1: 270, y1: 45, x2: 330, y2: 95, classId: 1, score: expect.closeTo(0.95, 6) },
    ]);
    // anchor 1's best is exactly 0.25: dropped at 0.25, kept just under it.
    expect(decodeDetections(data, layout, 0.2499).map((c) => c.classId)).toEqual([1, 0, 1]);
  });

  test("NaN scores never pass", () => {
    const nan = data.slice();
    nan[12] = Number.NaN;
    nan[15] = Number.NaN;
    expect(decodeDetections(nan, layout, 0.25)).toHaveLength(1);
  });

  test("layout from dims, or why not", () => {
    expect(outputLayout([1, 84, 8400])).toEqual({ classes: 80, anchors: 8400 });
    expect(outputLayout([1, 4, 8400])).toMatch(/at least 5 rows/);
    expect(outputLayout([2, 84, 8400])).toMatch(/expected an output of shape/);
    expect(() => decodeDetections(data, { classes: 3, anchors: 3 }, 0.25)).toThrow(/expected 21/);
  });
});

describe("class-wise NMS", () => {
  const box = (x1: number, y1: number, x2: number, y2: number, classId: number, score: number): Candidate => ({ x1, y1, x2, y2, classId, score });

  test("IoU by hand", () => {
    expect(iou({ x1: 0, y1: 0, x2: 200, y2: 100 }, { x1: 50, y1: 0, x2: 250, y2: 100 })).toBeCloseTo(15000 / 25000, 12);
    expect(iou({ x1: 0, y1: 0, x2: 10, y2: 10 }, { x1: 10, y1: 0, x2: 20, y2: 10 })).toBe(0);
  });

  test("overlapping boxes of one class: the best stays; another class on the same box stays; order by score", () => {
    const kept = nonMaxSuppression(
      [box(10, 0, 210, 100, 0, 0.8), box(0, 0, 200, 100, 0, 0.9), box(10, 0, 210, 100, 1, 0.85), box(500, 500, 600, 600, 0, 0.3)],
      { iouThreshold: 0.7, maxDetections: 300 },
    );
    expect(kept.map((k) => [k.classId, k.score])).toEqual([[0, 0.9], [1, 0.85], [0, 0.3]]);
  });

  test("suppression needs IoU above the threshold: at exactly the threshold both stay", () => {
    const pair = [box(0, 0, 200, 100, 0, 0.9), box(50, 0, 250, 100, 0, 0.8)]; // IoU 0.6
    expect(nonMaxSuppression(pair, { iouThreshold: 0.6, maxDetections: 10 })).toHaveLength(2);
    expect(nonMaxSuppression(pair, { iouThreshold: 0.59, maxDetections: 10 })).toHaveLength(1);
  });

  test("a suppressed box suppresses nothing (greedy, as torchvision)", () => {
    // b overlaps a and c; a suppresses b; c then survives although b would have suppressed it.
    const a = box(0, 0, 100, 100, 0, 0.9);
    const b = box(40, 0, 140, 100, 0, 0.8); // IoU(a, b) = 60/140 ≈ 0.43
    const c = box(80, 0, 180, 100, 0, 0.7); // IoU(a, c) = 20/180; IoU(b, c) ≈ 0.43
    expect(nonMaxSuppression([a, b, c], { iouThreshold: 0.4, maxDetections: 10 }).map((k) => k.score)).toEqual([0.9, 0.7]);
  });

  test("maxDetections and maxCandidates cap the work and the answer", () => {
    const many = Array.from({ length: 50 }, (_, i) => box(i * 20, 0, i * 20 + 10, 10, 0, i / 100));
    expect(nonMaxSuppression(many, { iouThreshold: 0.7, maxDetections: 3 }).map((k) => k.score)).toEqual([0.49, 0.48, 0.47]);
    expect(nonMaxSuppression(many, { iouThreshold: 0.7, maxDetections: 300, maxCandidates: 5 })).toHaveLength(5);
  });
});

test("HWC bytes → CHW floats in 0..1", () => {
  const rgb = Uint8Array.from([255, 0, 51, 0, 255, 102]); // 2×1: red-ish, green-ish
  expect(Array.from(hwcToChwUnit(rgb, 2, 1))).toEqual([1, 0, 0, 1, 0.2, 0.4].map((v) => Math.fround(v)));
  expect(() => hwcToChwUnit(rgb, 3, 1)).toThrow(/expected 9 bytes/);
});

describe("letterboxedInput (sharp)", () => {
  const at = (chw: Float32Array, channel: number, x: number, y: number) => chw[channel * 640 * 640 + y * 640 + x] as number;
  const grey = 114 / 255;

  test("1280×720, left half red, right half blue: rows 0–139 and 500–639 grey 114, content RGB in 0..1 in between", async () => {
    const raw = Buffer.alloc(1280 * 720 * 3);
    for (let i = 0; i < 1280 * 720; i++) raw[i * 3 + ((i % 1280) < 640 ? 0 : 2)] = 255;
    const png = await sharp(raw, { raw: { width: 1280, height: 720, channels: 3 } }).png().toBuffer();
    const chw = await letterboxedInput(png, letterboxParams({ width: 1280, height: 720 }, S640), 40e6);
    expect(chw).toHaveLength(3 * 640 * 640);
    for (const y of [0, 139, 500, 639]) for (const c of [0, 1, 2]) expect(at(chw, c, 320, y)).toBeCloseTo(grey, 6);
    for (const y of [140, 320, 499]) {
      expect([at(chw, 0, 10, y), at(chw, 1, 10, y), at(chw, 2, 10, y)]).toEqual([1, 0, 0]);
      expect([at(chw, 0, 630, y), at(chw, 1, 630, y), at(chw, 2, 630, y)]).toEqual([0, 0, 1]);
    }
  });

  test("transparency is flattened onto white", async () => {
    const clear = await sharp({ create: { width: 64, height: 64, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    const chw = await letterboxedInput(clear, letterboxParams({ width: 64, height: 64 }, S640), 40e6);
    expect([at(chw, 0, 320, 320), at(chw, 1, 320, 320), at(chw, 2, 320, 320)]).toEqual([1, 1, 1]);
  });
});
