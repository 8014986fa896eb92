/** `POST /geometry`: an OBJ or STL upload, validated and stored for later cases. */
import { HttpProblem, unprocessable, type Service } from "@abode/service-kit";
import { formatOfContentType, parseGeometry, type GeometryFormat } from "./parse";
import { GeometryError } from "./problems";
import type { GeometryStore } from "./store";
import { geometryProblems } from "./validate";
import { respondWith } from "../case/http";

export const GEOMETRY_CONTENT_TYPES = ["model/stl", "model/obj", "application/sla", "model/x.stl-binary", "model/x.stl-ascii", "application/octet-stream", "text/plain"] as const;

export function registerGeometryRoutes(service: Service, uploads: GeometryStore, maxBytes: number): void {
  service.route({
    method: "POST",
    url: "/geometry",
    binary: GEOMETRY_CONTENT_TYPES,
    bodyLimitBytes: maxBytes,
    handler: async ({ body, request }) => {
      const data = body as unknown as Buffer;
      if (data.length === 0) throw new HttpProblem(400, "invalid_request", "geometry: empty upload", { fields: [{ field: "(body)", message: "empty" }] });
      const query = request.query as { format?: string };
      if (query.format !== undefined && query.format !== "stl" && query.format !== "obj") {
        throw new HttpProblem(400, "invalid_request", "format: must be stl or obj", { fields: [{ field: "format", message: "must be stl or obj" }] });
      }
      const hint = (query.format as GeometryFormat | undefined) ?? formatOfContentType(request.headers["content-type"]);
      let parsed: ReturnType<typeof parseGeometry>;
      try {
        parsed = parseGeometry(data, hint);
      } catch (error) {
        if (error instanceof GeometryError) throw new HttpProblem(400, "invalid_geometry", error.message);
        throw error;
      }
      const problems = geometryProblems(parsed.mesh);
      if (problems.length > 0) throw unprocessable(problems.join("; "), { problems });
      respondWith(request, 201);
      return uploads.save(parsed.mesh, parsed.format, data.length);
    },
  });
}
