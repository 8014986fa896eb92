/**
 * The service's own environment (validated with the kit's common variables by `runService`;
 * a bad value stops the process listing every problem) and the typed config built from it.
 */
import { parseEnv, serviceEnvSchema } from "@abode/service-kit";
import { z } from "zod";
import { parseClassNamesJson } from "./class-names";
import type { DetectionParameters } from "./detect";
import { DEFAULT_FLOORPLAN_CLASSES, type FloorplanClasses } from "./floorplan";
import { MAX_DETECTIONS_CEILING, confidenceSchema, iouSchema, maxDetectionsSchema } from "./parameters";
import { DEFAULT_PORT, SERVICE_NAME } from "./version";

/** sharp's own ceiling (0x3FFF²); ours defaults far lower. */
const SHARP_MAX_PIXELS = 0x3fff * 0x3fff;

const classNamesJson = z.string().transform((text, ctx) => {
  const parsed = parseClassNamesJson(text);
  if (!parsed.ok) {
    ctx.addIssue({ code: "custom", message: parsed.error });
    return z.NEVER;
  }
  return parsed.names;
});

const classList = z.array(z.string().trim().min(1)).min(1);
const FloorplanClassesSchema = z.strictObject({ door: classList.optional(), window: classList.optional(), room: classList.optional(), wall: classList.optional() });

const floorplanClassesJson = z.string().transform((text, ctx) => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `not JSON: ${(error as Error).message}` });
    return z.NEVER;
  }
  const parsed = FloorplanClassesSchema.safeParse(value);
  if (!parsed.success) {
    ctx.addIssue({ code: "custom", message: parsed.error.issues.map((i) => `${i.path.join(".") || "(value)"}: ${i.message}`).join("; ") });
    return z.NEVER;
  }
  return parsed.data;
});

export const aiParsingEnvSchema = z.object({
  /** A path to the .onnx file (on the models volume); `s3://` is recognised but not supported yet. */
  AI_PARSING_MODEL_PATH: z.string().optional(),
  /** Class names as JSON, overriding the model's `names` metadata. */
  AI_PARSING_CLASS_NAMES: classNamesJson.optional(),
  /** A file holding the same JSON (read when the model loads). */
  AI_PARSING_CLASS_NAMES_FILE: z.string().optional(),
  AI_PARSING_EXECUTION_PROVIDER: z.enum(["cpu", "cuda"]).default("cpu"),
  /** ONNX Runtime's intra-op threads; set it to the container's CPU limit (ORT counts the node's cores). */
  AI_PARSING_INTRA_OP_THREADS: z.coerce.number().int().min(1).max(256).optional(),
  AI_PARSING_CONFIDENCE: confidenceSchema.default(0.25),
  AI_PARSING_IOU: iouSchema.default(0.7),
  /** Also the most a request may ask for. */
  AI_PARSING_MAX_DETECTIONS: maxDetectionsSchema(MAX_DETECTIONS_CEILING).default(300),
  AI_PARSING_MAX_UPLOAD_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(20 * 1024 * 1024),
  /** Images with more pixels are refused from their header, before any decoding. */
  AI_PARSING_MAX_INPUT_PIXELS: z.coerce.number().int().min(1).max(SHARP_MAX_PIXELS).default(40_000_000),
  /** Images being decoded or inferred at once; more get a 503 (each may hold a large raster). */
  AI_PARSING_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(1024).default(4),
  /** Which model classes count as doors, windows, rooms, walls for /parse-floorplan (JSON). */
  AI_PARSING_FLOORPLAN_CLASSES: floorplanClassesJson.optional(),
});

export type AiParsingEnv = z.infer<typeof aiParsingEnvSchema>;

export interface AiParsingConfig {
  model: {
    location?: string;
    classNames?: string[];
    classNamesFile?: string;
    executionProvider: "cpu" | "cuda";
    intraOpThreads?: number;
  };
  detection: DetectionParameters;
  limits: { maxUploadBytes: number; maxInputPixels: number; maxInFlight: number };
  floorplanClasses: FloorplanClasses;
}

export function configFromEnv(env: AiParsingEnv): AiParsingConfig {
  return {
    model: {
      location: env.AI_PARSING_MODEL_PATH,
      classNames: env.AI_PARSING_CLASS_NAMES,
      classNamesFile: env.AI_PARSING_CLASS_NAMES_FILE,
      executionProvider: env.AI_PARSING_EXECUTION_PROVIDER,
      intraOpThreads: env.AI_PARSING_INTRA_OP_THREADS,
    },
    detection: { confidence: env.AI_PARSING_CONFIDENCE, iou: env.AI_PARSING_IOU, maxDetections: env.AI_PARSING_MAX_DETECTIONS },
    limits: { maxUploadBytes: env.AI_PARSING_MAX_UPLOAD_BYTES, maxInputPixels: env.AI_PARSING_MAX_INPUT_PIXELS, maxInFlight: env.AI_PARSING_MAX_IN_FLIGHT },
    floorplanClasses: { ...DEFAULT_FLOORPLAN_CLASSES, ...env.AI_PARSING_FLOORPLAN_CLASSES },
  };
}

/** The config from an environment as `runService` validates it (for tests and tools); throws listing every problem. */
export function parseConfig(env: NodeJS.ProcessEnv): AiParsingConfig {
  const schema = serviceEnvSchema({ port: DEFAULT_PORT, serviceName: SERVICE_NAME }).extend(aiParsingEnvSchema.shape);
  const parsed = parseEnv(schema, env);
  if (!parsed.ok) throw new Error(`invalid environment: ${parsed.problems.join("; ")}`);
  return configFromEnv(parsed.env);
}
