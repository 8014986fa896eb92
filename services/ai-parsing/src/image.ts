/**
 * Client images through sharp (libvips): read the header, refuse what is too large before a
 * single pixel is decoded, then decode, letterbox and pack the model's input in one pipeline.
 */
import { HttpProblem } from "@abode/service-kit";
import sharp, { type Metadata, type OutputInfo } from "sharp";
import type { Size } from "./geometry";
import { PAD_VALUE, type Letterbox } from "./letterbox";
import { hwcToChwUnit } from "./tensor";

/** The content types /detect and /parse-floorplan accept; the bytes must really be one of them. */
export const IMAGE_CONTENT_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;
const FORMATS = new Set(["png", "jpeg", "webp"]);

// Every upload is a new buffer: sharp's operation cache would only hold memory.
sharp.cache(false);

export interface ImageHeader extends Size {
  format: string;
}

function unreadable(error: unknown): HttpProblem {
  return new HttpProblem(400, "invalid_image", `body: not a readable PNG, JPEG or WebP image (${(error as Error).message})`, { field: "body" });
}

/**
 * Format and size from the header only, as displayed (EXIF orientation applied) — decompression
 * bombs are refused here, by pixel count, before anything is decoded.
 */
export async function readImageHeader(bytes: Buffer, maxPixels: number): Promise<ImageHeader> {
  if (bytes.length === 0) throw new HttpProblem(400, "invalid_image", "body: empty; send the image bytes", { field: "body" });
  let metadata: Metadata;
  try {
    // Header only; sharp's own pixel limit would turn a bomb into a vague error, ours says 413.
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw unreadable(error);
  }
  if (!FORMATS.has(metadata.format)) {
    throw new HttpProblem(400, "invalid_image", `body: ${metadata.format} images are not accepted; send PNG, JPEG or WebP`, { field: "body" });
  }
  const { width, height } = metadata.autoOrient;
  if (!(width > 0 && height > 0)) throw new HttpProblem(400, "invalid_image", `body: the image is ${width}×${height} pixels`, { field: "body" });
  if (width * height > maxPixels) {
    throw new HttpProblem(413, "image_too_large", `body: the image is ${width}×${height} = ${width * height} pixels; at most ${maxPixels} are accepted`, {
      field: "body",
      width,
      height,
      maxPixels,
    });
  }
  return { format: metadata.format, width, height };
}

/**
 * Decodes, orients, flattens transparency onto white (a drawing's transparent background is
 * what a viewer shows as white; Ultralytics' OpenCV reader would drop alpha instead), resizes
 * with a linear kernel, pads with grey 114 and returns the CHW float32 input in 0..1.
 */
export async function letterboxedInput(bytes: Buffer, letterbox: Letterbox, maxPixels: number): Promise<Float32Array> {
  const { resized, pad, target } = letterbox;
  let raw: { data: Buffer; info: OutputInfo };
  try {
    raw = await sharp(bytes, { autoOrient: true, limitInputPixels: maxPixels })
      .resize(resized.width, resized.height, { fit: "fill", kernel: "linear" })
      .flatten({ background: "#ffffff" })
      .extend({ ...pad, background: { r: PAD_VALUE, g: PAD_VALUE, b: PAD_VALUE } })
      .toColourspace("srgb")
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw unreadable(error);
  }
  const { width, height, channels } = raw.info;
  if (width !== target.width || height !== target.height || channels !== 3) {
    throw new Error(`letterbox produced ${width}×${height}×${channels}, expected ${target.width}×${target.height}×3`);
  }
  return hwcToChwUnit(raw.data, width, height);
}
