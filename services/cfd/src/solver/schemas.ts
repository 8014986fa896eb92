import { z } from "zod";
import { DirectionSchema, GeometryInputSchema, MeshLevelSchema } from "../case/request";
import { TERRAIN_ROUGHNESS } from "../case/wind";

const TERRAINS = Object.keys(TERRAIN_ROUGHNESS) as [keyof typeof TERRAIN_ROUGHNESS, ...(keyof typeof TERRAIN_ROUGHNESS)[]];

/** `POST /cases`: a wind case, one OpenFOAM run per direction. */
export const SolveRequestSchema = z
  .strictObject({
    geometry: GeometryInputSchema,
    /** Mean wind speed at `referenceHeight` in the approaching flow, m/s. */
    referenceSpeed: z.number().positive().max(100),
    /** Height of `referenceSpeed` above the ground, metres (e.g. 10 m for a met-station speed). */
    referenceHeight: z.number().positive().max(1000),
    /** Where the wind comes from, whole degrees clockwise from north (north = +y); one sector each. */
    directions: z
      .array(DirectionSchema)
      .min(1)
      .max(36)
      .refine((d) => new Set(d).size === d.length, { message: "directions must not repeat" }),
    /** Aerodynamic roughness length of the upstream terrain, metres; or `terrain`. */
    z0: z.number().positive().max(5).optional(),
    /** A Davenport terrain class (sets z0); or `z0`. */
    terrain: z.enum(TERRAINS).optional(),
    meshLevel: MeshLevelSchema.default("medium"),
    /** simpleFoam iterations at most per sector. */
    iterations: z.number().int().min(1).max(20_000).default(1000),
    /** Every initial residual below this ends a sector as converged. */
    residualTarget: z.number().positive().max(0.1).default(1e-4),
  })
  .refine((r) => (r.z0 === undefined) !== (r.terrain === undefined), { message: "give the terrain roughness as either z0 (metres) or terrain (a class name)", path: ["z0"] });

export type SolveRequest = z.infer<typeof SolveRequestSchema>;
