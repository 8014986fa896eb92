/**
 * The work a web-ifc worker does for each route, and the messages that carry it between
 * threads. Pure given an engine: the worker and the tests call `runJob` the same way.
 */
import { describeModel, type ElementsAnswer } from "./elements";
import { SUPPORTED_SCHEMAS, type IfcEngine } from "./engine";
import { extractMeshes, resolveSelection, type Box, type ElementMesh, type Selector } from "./geometry";
import { writeGlb } from "./glb";
import { IfcProblem, type ProblemData } from "./problem";
import { hasTrailer } from "./step";
import { unsupportedSchemaReport, validateModel, type ValidationReport } from "./validate";

export type Job =
  | { op: "validate"; bytes: Uint8Array }
  | { op: "elements"; bytes: Uint8Array; element?: string }
  | { op: "geometry"; bytes: Uint8Array; selectors?: Selector[]; format: "glb" | "json" };

export interface GeometryElement {
  expressId: number;
  globalId?: string;
  type: string;
  name?: string;
  /** IFC axes (Z up), metres. */
  bbox: Box;
  vertices: number;
  triangles: number;
}

export interface GeometrySummary {
  schema: string;
  elements: GeometryElement[];
  /** Of all elements together; null when nothing was drawn. */
  bbox: Box | null;
  /** Selected products that have no triangles. */
  withoutGeometry: { expressId: number; type: string; globalId?: string }[];
}

export type JobResult =
  | { op: "validate"; report: ValidationReport }
  | { op: "elements"; answer: ElementsAnswer }
  | { op: "geometry"; summary: GeometrySummary; glb?: Uint8Array };

export type JobReply =
  | { ok: true; result: JobResult; ms: number; heapBytes: number }
  | { ok: false; problem: ProblemData; ms: number; heapBytes: number; broken: boolean };

function union(boxes: Box[]): Box | null {
  if (boxes.length === 0) return null;
  const min = [...boxes[0]!.min] as Box["min"];
  const max = [...boxes[0]!.max] as Box["max"];
  for (const b of boxes) {
    for (let k = 0; k < 3; k++) {
      min[k] = Math.min(min[k]!, b.min[k]!);
      max[k] = Math.max(max[k]!, b.max[k]!);
    }
  }
  return { min, max };
}

function summarize(mesh: ElementMesh): GeometryElement {
  let vertices = 0;
  let triangles = 0;
  for (const p of mesh.primitives) {
    vertices += p.positions.length / 3;
    triangles += p.indices.length / 3;
  }
  const { expressId, globalId, type, name, bbox } = mesh;
  return { expressId, ...(globalId ? { globalId } : {}), type, ...(name ? { name } : {}), bbox, vertices, triangles };
}

function run(engine: IfcEngine, job: Job): JobResult {
  switch (job.op) {
    case "validate":
      try {
        return { op: "validate", report: engine.withModel(job.bytes, (model) => validateModel(model, hasTrailer(job.bytes))) };
      } catch (error) {
        // A STEP file in a schema we cannot read is still a readable file with one finding.
        if (error instanceof IfcProblem && error.code === "unsupported_schema") {
          return { op: "validate", report: unsupportedSchemaReport(String(error.details?.schema ?? ""), SUPPORTED_SCHEMAS) };
        }
        throw error;
      }
    case "elements":
      return { op: "elements", answer: engine.withModel(job.bytes, (model) => describeModel(model, { element: job.element })) };
    case "geometry":
      return engine.withModel(job.bytes, (model) => {
        const selection = job.selectors ? resolveSelection(model, job.selectors) : undefined;
        const { meshes, withoutGeometry } = extractMeshes(model, selection);
        const summary: GeometrySummary = {
          schema: model.schema,
          elements: meshes.map(summarize),
          bbox: union(meshes.map((m) => m.bbox)),
          withoutGeometry: withoutGeometry.map((id) => {
            const { expressId, type, globalId } = model.ref(id);
            return { expressId, type, ...(globalId ? { globalId } : {}) };
          }),
        };
        if (job.format === "json") return { op: "geometry", summary };
        const glb = writeGlb(
          meshes.map((m) => ({
            // A node is named by its GlobalId; the express id stands in for products without one.
            name: m.globalId ?? `#${m.expressId}`,
            extras: { expressId: m.expressId, type: m.type, ...(m.name ? { name: m.name } : {}), bboxIfc: m.bbox },
            primitives: m.primitives,
          })),
          { generator: "abode ifc service (web-ifc)", extras: { schema: model.schema, up: "Y (glTF); bboxIfc is in IFC axes, Z up" } },
        );
        return { op: "geometry", summary, glb };
      });
  }
}

/** Runs a job and never throws: failures come back as data. `broken` means the engine must be replaced. */
export function runJob(engine: IfcEngine, job: Job): JobReply {
  const started = performance.now();
  const done = () => ({ ms: performance.now() - started, heapBytes: engine.heapBytes() });
  try {
    return { ok: true, result: run(engine, job), ...done() };
  } catch (error) {
    if (error instanceof IfcProblem) return { ok: false, problem: error.toData(), broken: false, ...done() };
    // A wasm trap or anything unexpected: web-ifc's state can no longer be trusted.
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      problem: { status: 422, code: "ifc_engine_failed", message: `web-ifc failed on this file: ${message}` },
      broken: true,
      ...done(),
    };
  }
}
