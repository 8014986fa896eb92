/** Detection parameters: the bounds shared by the environment defaults and per-request query overrides. */
import { HttpProblem, fieldProblems } from "@abode/service-kit";
import { z } from "zod";
import type { DetectionParameters } from "./detect";

export const confidenceSchema = z.coerce.number().min(0.001).max(1);
export const iouSchema = z.coerce.number().gt(0).max(1);
/** The configured maximum is also the ceiling of a request's `maxDetections`. */
export const MAX_DETECTIONS_CEILING = 10_000;
export const maxDetectionsSchema = (max: number) => z.coerce.number().int().min(1).max(max);

/** `?confidence=&iou=&maxDetections=` over the defaults; a bad or unknown one is a 400 naming it. */
export function parametersFromQuery(query: unknown, defaults: DetectionParameters): DetectionParameters {
  const schema = z.strictObject({
    confidence: confidenceSchema.optional(),
    iou: iouSchema.optional(),
    maxDetections: maxDetectionsSchema(defaults.maxDetections).optional(),
  });
  const parsed = schema.safeParse(query ?? {});
  if (!parsed.success) {
    const fields = fieldProblems(parsed.error).map((f) => ({ ...f, field: `query.${f.field}` }));
    throw new HttpProblem(400, "invalid_request", `Invalid query: ${fields.map((f) => f.field).join(", ")}`, { fields });
  }
  return {
    confidence: parsed.data.confidence ?? defaults.confidence,
    iou: parsed.data.iou ?? defaults.iou,
    maxDetections: parsed.data.maxDetections ?? defaults.maxDetections,
  };
}
