/** Packed RGB bytes (HWC, as sharp's raw output) → the model's float32 CHW tensor in 0..1. */

const UNIT = Float32Array.from({ length: 256 }, (_, v) => v / 255);

export function hwcToChwUnit(rgb: Uint8Array, width: number, height: number): Float32Array {
  const plane = width * height;
  if (rgb.length !== plane * 3) throw new Error(`expected ${plane * 3} bytes of RGB for ${width}×${height}, got ${rgb.length}`);
  const out = new Float32Array(plane * 3);
  for (let i = 0, p = 0; i < plane; i++, p += 3) {
    out[i] = UNIT[rgb[p] as number] as number;
    out[plane + i] = UNIT[rgb[p + 1] as number] as number;
    out[2 * plane + i] = UNIT[rgb[p + 2] as number] as number;
  }
  return out;
}
