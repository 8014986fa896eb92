import { z } from "zod";
import { DirectionSchema, GeometryInputSchema, MeshLevelSchema } from "../case/request";

/** `POST /meshes`: the mesh a wind case of this direction would run on, with its quality report. */
export const MeshRequestSchema = z.strictObject({
  geometry: GeometryInputSchema,
  /** The background mesh is aligned with this wind direction (degrees, from). @default 270 (westerly, flow along +x) */
  direction: DirectionSchema.default(270),
  meshLevel: MeshLevelSchema.default("medium"),
});

export type MeshRequest = z.infer<typeof MeshRequestSchema>;
