/**
 * Routes of the IFC service: thin handlers that validate the query, hand the upload to a
 * web-ifc worker and turn its reply into HTTP. Admission is bounded before any upload is read.
 */
import { HttpProblem, type Service } from "@abode/service-kit";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Job, JobResult } from "./jobs";
import { JobTimeout, PoolUnavailable, WorkerPool, type PoolEvent } from "./pool";
import { ElementsQuery, GeometryQuery, ValidateQuery } from "./query";
import { DEFAULT_SETTINGS, type IfcSettings } from "./settings";
import { looksLikeStep } from "./step";

/** Content types an IFC upload may come with (STEP physical files have no single registered one). */
export const IFC_CONTENT_TYPES = ["application/octet-stream", "application/x-step", "application/step", "application/p21", "model/ifc", "application/ifc", "application/x-ifc"] as const;

const IFC_ROUTES = new Set(["/validate", "/elements", "/geometry"]);

/** Registers the routes and starts the web-ifc workers; they stop when the service closes. */
export function registerIfcRoutes(service: Service, settings: IfcSettings = DEFAULT_SETTINGS): void {
  const log = service.log;
  const pool = new WorkerPool({
    size: settings.workers,
    jobTimeoutMs: settings.jobTimeoutMs,
    recycleHeapBytes: settings.recycleHeapBytes,
    onEvent: (event: PoolEvent) => {
      if (event.kind === "worker-ready") log.debug(event, "web-ifc worker ready");
      else if (event.kind === "worker-recycled") log.info(event, "web-ifc worker replaced");
      else log.error(event, event.kind === "worker-init-failed" ? "web-ifc failed to initialise" : "web-ifc worker exited");
    },
  });
  service.addReadinessCheck({ name: "web-ifc", check: () => pool.notReadyReason() });
  service.app.addHook("onClose", () => pool.close());

  // Admission: at most workers + queue requests in flight, counted from before the body is
  // read, so waiting uploads cannot pile up in memory.
  const limit = settings.workers + settings.maxQueue;
  const admitted = new WeakSet<FastifyRequest>();
  let inFlight = 0;
  service.app.addHook("onRequest", async (request, reply) => {
    if (!IFC_ROUTES.has(request.routeOptions.url ?? "")) return;
    if (inFlight >= limit) {
      reply.header("retry-after", "5");
      throw new HttpProblem(503, "busy", `All ${settings.workers} IFC workers are busy and ${settings.maxQueue} requests are waiting; retry later.`);
    }
    inFlight++;
    admitted.add(request);
  });
  const release = async (request: FastifyRequest) => {
    if (admitted.delete(request)) inFlight--;
  };
  service.app.addHook("onResponse", release);
  service.app.addHook("onRequestAbort", release);

  async function runOnWorker<R extends JobResult>(request: FastifyRequest, reply: FastifyReply, job: Job): Promise<R> {
    if (!looksLikeStep(job.bytes)) {
      throw new HttpProblem(400, "not_ifc", "The body is not an IFC file: it does not start with ISO-10303-21; (a STEP physical file).", {
        fields: [{ field: "(body)", message: job.bytes.length === 0 ? "empty body" : "not a STEP physical file" }],
      });
    }
    const reason = pool.notReadyReason();
    if (reason) throw new HttpProblem(503, "not_ready", reason);
    let done;
    try {
      done = await pool.run(job);
    } catch (error) {
      if (error instanceof PoolUnavailable) throw new HttpProblem(503, "not_ready", error.message);
      if (error instanceof JobTimeout) throw new HttpProblem(422, "processing_timeout", `The file was abandoned: ${error.message} (IFC_JOB_TIMEOUT_S).`);
      request.log.error({ err: error }, "web-ifc worker failed");
      throw new HttpProblem(422, "ifc_engine_failed", (error as Error).message);
    }
    reply.header("server-timing", `ifc;dur=${done.ms.toFixed(1)}`);
    request.log.debug({ op: job.op, ifc_ms: Math.round(done.ms * 10) / 10, wasm_heap_bytes: done.heapBytes }, "ifc job done");
    if (!done.ok) {
      if (done.broken) request.log.error({ problem: done.problem }, "web-ifc failed; worker replaced");
      throw new HttpProblem(done.problem.status, done.problem.code, done.problem.message, done.problem.details);
    }
    return done.result as R;
  }

  const upload = { method: "POST", binary: IFC_CONTENT_TYPES, bodyLimitBytes: settings.maxUploadBytes } as const;

  service.route({
    ...upload,
    url: "/validate",
    query: ValidateQuery,
    handler: async ({ body, request, reply }) => (await runOnWorker<Extract<JobResult, { op: "validate" }>>(request, reply, { op: "validate", bytes: body as Buffer })).report,
  });

  service.route({
    ...upload,
    url: "/elements",
    query: ElementsQuery,
    handler: async ({ body, query, request, reply }) =>
      (await runOnWorker<Extract<JobResult, { op: "elements" }>>(request, reply, { op: "elements", bytes: body as Buffer, element: query.element })).answer,
  });

  service.route({
    ...upload,
    url: "/geometry",
    query: GeometryQuery,
    handler: async ({ body, query, request, reply }) => {
      const result = await runOnWorker<Extract<JobResult, { op: "geometry" }>>(request, reply, { op: "geometry", bytes: body as Buffer, selectors: query.ids, format: query.format });
      if (query.format === "json" || !result.glb) return result.summary;
      reply.header("content-type", "model/gltf-binary").header("x-ifc-elements", String(result.summary.elements.length));
      return Buffer.from(result.glb.buffer, result.glb.byteOffset, result.glb.byteLength);
    },
  });
}
