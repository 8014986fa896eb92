/** The AI lighting service's /analyze and /natural-lighting as tools (shapes: services/ai-lighting/src/schemas.ts). */
import { z } from "zod";
import type { ToolConfig } from "../config";
import { jsonTool } from "./json-tool";
import type { Tool } from "./tool";

const metres = () => z.number().finite();
const point2 = z.strictObject({ x: metres(), y: metres() });

/**
 * A subset of ai-lighting's AnalyzeRequest, small enough for a small model's prompt.
 * ai-lighting validates everything again and names each bad field, so a mistake comes back
 * as an observation the model can fix.
 */
export const LightingAnalysisInput = z.strictObject({
  room: z.strictObject({
    floor: z.array(point2).min(3).max(64).describe("floor outline in metres, corners in order, not closed"),
    height: metres().positive().describe("floor to ceiling, metres"),
    type: z.string().min(1).describe("EN 12464-1 room type, e.g. office, classroom, corridor, conference"),
    workPlaneHeight: metres().min(0).optional().describe("metres above the floor (default 0.75)"),
  }),
  luminaires: z
    .array(
      z.strictObject({
        x: metres(),
        y: metres(),
        z: metres().describe("light centre height above the floor, metres"),
        flux: z.number().positive().describe("lumens"),
        distribution: z.enum(["isotropic", "lambertian"]),
      }),
    )
    .max(500),
  windows: z
    .array(
      z.strictObject({
        polygon: z.array(z.strictObject({ x: metres(), y: metres(), z: metres() })).min(3).max(32).describe("outline in one wall's plane, metres"),
        transmittance: z.number().gt(0).max(1),
      }),
    )
    .max(20)
    .optional(),
});

export const NaturalLightingInput = z.strictObject({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  time: z.string().min(1).max(40).describe("ISO 8601 local time with its UTC offset, e.g. 2024-06-21T12:00:00+02:00"),
  elevation: z.number().min(-500).max(9000).optional().describe("metres above sea level"),
});

/** /analyze returns every grid point; the summaries, verdict and advice are what reasoning needs. */
export function withoutGrid(body: unknown): unknown {
  if (body === null || typeof body !== "object" || !("grid" in body)) return body;
  const { grid: _grid, ...rest } = body as Record<string, unknown>;
  return { ...rest, grid: "(per-point values omitted)" };
}

export function lightingAnalysisTool(baseUrl: string, config: ToolConfig): Tool {
  return jsonTool(
    {
      name: "lighting_analysis",
      description:
        "Electric lighting and daylight of a room: mean/min illuminance, uniformity, EN 12464-1 verdict and recommendations for given luminaires and windows.",
      input: LightingAnalysisInput,
      service: "ai-lighting",
      request: (input) => ({ method: "POST", path: "/analyze", body: input }),
      project: withoutGrid,
    },
    baseUrl,
    config,
  );
}

export function naturalLightingTool(baseUrl: string, config: ToolConfig): Tool {
  return jsonTool(
    {
      name: "natural_lighting",
      description: "Sun position, sunrise/sunset and clear/overcast sky illuminance at a place and local time.",
      input: NaturalLightingInput,
      service: "ai-lighting",
      request: (input) => ({ method: "POST", path: "/natural-lighting", body: input }),
    },
    baseUrl,
    config,
  );
}
