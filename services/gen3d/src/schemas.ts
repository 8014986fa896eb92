/** The request of POST /generate: JSON with images as base64 (checked against their bytes). */
import { z } from "zod";

export const TIERS = ["Gen-2", "Regular", "Detail", "Smooth", "Sketch"] as const;
export const GEOMETRY_FORMATS = ["glb", "usdz", "fbx", "obj", "stl"] as const;
export const MATERIALS = ["PBR", "Shaded", "All"] as const;
export const QUALITIES = ["high", "medium", "low", "extra-low"] as const;
export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

export const MAX_IMAGES = 5;
export const MAX_IMAGE_BYTES = 8 * 1024 * 1024;
const MAX_IMAGE_BASE64_CHARS = Math.ceil(MAX_IMAGE_BYTES / 3) * 4;
/** Five images at the limit, base64, plus the other fields. */
export const GENERATE_BODY_LIMIT_BYTES = MAX_IMAGES * MAX_IMAGE_BASE64_CHARS + 64 * 1024;

/** The image type its first bytes announce, or undefined for anything else. */
export function sniffImageType(bytes: Buffer): ImageType | undefined {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "image/png";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (bytes.length >= 12 && bytes.toString("latin1", 0, 4) === "RIFF" && bytes.toString("latin1", 8, 12) === "WEBP") return "image/webp";
  return undefined;
}

const ImageInput = z
  .strictObject({
    /** Plain base64 (no `data:` prefix). */
    data: z.base64().min(1).max(MAX_IMAGE_BASE64_CHARS, `over ${MAX_IMAGE_BYTES} bytes once decoded`),
    mimeType: z.enum(IMAGE_TYPES),
  })
  .transform((image, ctx) => {
    const bytes = Buffer.from(image.data, "base64");
    const sniffed = sniffImageType(bytes);
    if (sniffed !== image.mimeType) {
      ctx.addIssue({ code: "custom", path: ["data"], message: sniffed ? `holds a ${sniffed} image, not ${image.mimeType}` : `is not a ${image.mimeType} image` });
      return z.NEVER;
    }
    return { bytes, mimeType: image.mimeType };
  });

export const GenerateRequest = z
  .strictObject({
    prompt: z.string().trim().min(1).max(1024).optional(),
    /** In order: Rodin uses the first image for the material. */
    images: z.array(ImageInput).min(1).max(MAX_IMAGES).optional(),
    tier: z.enum(TIERS).optional(),
    geometryFormat: z.enum(GEOMETRY_FORMATS).optional(),
    material: z.enum(MATERIALS).optional(),
    quality: z.enum(QUALITIES).optional(),
    seed: z.number().int().min(0).max(65535).optional(),
  })
  .refine((body) => body.prompt !== undefined || body.images !== undefined, { path: ["prompt"], message: "give a prompt, images, or both" });
export type GenerateRequest = z.infer<typeof GenerateRequest>;

const EXTENSIONS: Record<ImageType, string> = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp" };

/** The multipart form `POST /rodin` takes: only the fields given, so Rodin's defaults apply to the rest. */
export function rodinForm(request: GenerateRequest): FormData {
  const form = new FormData();
  request.images?.forEach((image, index) => {
    form.append("images", new Blob([new Uint8Array(image.bytes)], { type: image.mimeType }), `image-${index + 1}.${EXTENSIONS[image.mimeType]}`);
  });
  const fields: [string, string | number | undefined][] = [
    ["prompt", request.prompt],
    ["tier", request.tier],
    ["geometry_file_format", request.geometryFormat],
    ["material", request.material],
    ["quality", request.quality],
    ["seed", request.seed],
  ];
  for (const [name, value] of fields) if (value !== undefined) form.append(name, String(value));
  return form;
}
