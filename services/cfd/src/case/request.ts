/** Request parts the solver and the mesher share: the geometry and the mesh level. */
import { HttpProblem, unprocessable } from "@abode/service-kit";
import { z } from "zod";
import { boxesMesh } from "../geometry/boxes";
import type { TriangleMesh } from "../geometry/mesh";
import type { GeometryStore } from "../geometry/store";
import { GEOMETRY_LIMITS, geometryProblems } from "../geometry/validate";
import { MESH_LEVELS } from "./domain";
import type { GeometryRecord } from "./record";

const coordinate = z.number().min(-GEOMETRY_LIMITS.maxCoordinate).max(GEOMETRY_LIMITS.maxCoordinate);

export const BoxSchema = z.strictObject({
  x: coordinate,
  y: coordinate,
  width: z.number().positive().max(GEOMETRY_LIMITS.maxSiteExtent),
  depth: z.number().positive().max(GEOMETRY_LIMITS.maxSiteExtent),
  height: z.number().positive().max(GEOMETRY_LIMITS.maxHeight),
  base: z.number().min(0).max(GEOMETRY_LIMITS.maxHeight).optional(),
  rotation: z.number().min(-360).max(360).optional(),
});

/** Parametric boxes, or an uploaded surface (`POST /geometry`) by its id: exactly one. */
export const GeometryInputSchema = z
  .strictObject({
    boxes: z.array(BoxSchema).min(1).max(1000).optional(),
    geometryId: z.uuid().optional(),
  })
  .refine((g) => (g.boxes === undefined) !== (g.geometryId === undefined), { message: "give either boxes or geometryId (from POST /geometry)" });

export type GeometryInput = z.infer<typeof GeometryInputSchema>;

export const MeshLevelSchema = z.enum(Object.keys(MESH_LEVELS) as [keyof typeof MESH_LEVELS, ...(keyof typeof MESH_LEVELS)[]]);

/** A wind direction: where it comes from, whole degrees clockwise from north. */
export const DirectionSchema = z.number().int().min(0).max(359);

export interface ResolvedGeometry {
  mesh: TriangleMesh;
  geometry: Pick<GeometryRecord, "source" | "geometryId" | "format">;
}

/** The buildings surface of a request: 422 naming each geometry problem, or an unknown upload. */
export async function resolveGeometry(input: GeometryInput, uploads: GeometryStore): Promise<ResolvedGeometry> {
  if (input.boxes) {
    const mesh = boxesMesh(input.boxes);
    const problems = geometryProblems(mesh);
    if (problems.length > 0) throw unprocessable(problems.join("; "), { field: "geometry.boxes", problems });
    return { mesh, geometry: { source: "boxes" } };
  }
  const loaded = await uploads.load(input.geometryId!);
  if (!loaded) throw new HttpProblem(422, "unknown_geometry", `geometry.geometryId: no uploaded geometry ${input.geometryId} (upload it with POST /geometry)`, { field: "geometry.geometryId" });
  return { mesh: loaded.mesh, geometry: { source: "upload", geometryId: loaded.stored.geometryId, format: loaded.stored.format } };
}
