/** Routes of the CFD post-processor: thin handlers over the case reader, queries and results. */
import { createService, fieldProblems, HttpProblem, type Service, type ServiceOptions } from "@abode/service-kit";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import { CaseReader } from "./case/reader";
import type { CaseSource } from "./case/source";
import { WorkLimiter } from "./limiter";
import { pedestrianLevel } from "./queries/pedestrian";
import { probe } from "./queries/probes";
import { fieldStats } from "./queries/stats";
import { computeComfort } from "./results/comfort";
import { toCsv, toVtk } from "./results/export";
import { parseResult, resultKey, saveResult, summaryOf } from "./results/store";
import { CaseId, ComfortRequest, FieldName, PedestrianQuery, ProbeRequest, ResultId, ResultQuery, StatsQuery } from "./schemas";

export interface PostprocessorOptions {
  source: CaseSource;
  /**
   * Where comfort results are stored and read back (`<caseId>/results/<resultId>.json`): a
   * separate store when `source` is read-only (S3 in prod). @default source
   */
  results?: CaseSource;
  /** Parsed-field cache budget. @default 512 MiB */
  cacheBytes?: number;
  /** Heavy jobs (anything that reads fields) running at once. @default 2 */
  maxActiveJobs?: number;
  /** Heavy jobs waiting before new ones get 503. @default 16 */
  maxQueuedJobs?: number;
  /** Most pedestrian-level cells in one comfort result (the stored JSON holds ~270 bytes per cell with 16 sectors). @default 500000 */
  maxResultCells?: number;
}

export const DEFAULTS = {
  cacheBytes: 512 * 1024 * 1024,
  maxActiveJobs: 2,
  maxQueuedJobs: 16,
  maxResultCells: 500_000,
} as const;

/** Query strings and path parameters, validated like bodies: 400 naming each bad field. */
function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields = fieldProblems(parsed.error);
  throw new HttpProblem(400, "invalid_request", `Invalid ${what}: ${fields.map((f) => f.field).join(", ")}`, { fields });
}

function caseIdOf(request: FastifyRequest): string {
  return parse(CaseId, (request.params as { id?: string }).id, "case id (path)");
}

export function registerPostprocessorRoutes(service: Service, options: PostprocessorOptions): { reader: CaseReader; limiter: WorkLimiter } {
  const reader = new CaseReader(options.source, options.cacheBytes ?? DEFAULTS.cacheBytes);
  const limiter = new WorkLimiter(options.maxActiveJobs ?? DEFAULTS.maxActiveJobs, options.maxQueuedJobs ?? DEFAULTS.maxQueuedJobs);
  const maxCells = options.maxResultCells ?? DEFAULTS.maxResultCells;

  const results = options.results ?? options.source;

  service.addReadinessCheck({ name: "cases", check: () => options.source.unavailable() });
  if (results !== options.source) service.addReadinessCheck({ name: "results", check: () => results.unavailable() });
  service.app.addHook("onError", (_request, reply, error, done) => {
    if (error instanceof HttpProblem && error.code === "busy") reply.header("retry-after", String(error.details?.retryAfterSeconds ?? 5));
    done();
  });

  service.route({
    method: "GET",
    url: "/cases/:id/fields/:field/stats",
    handler: ({ request }) => {
      const id = caseIdOf(request);
      const field = parse(FieldName, (request.params as { field?: string }).field, "field name (path)");
      const query = parse(StatsQuery, request.query, "query");
      return limiter.run(async () => fieldStats(reader, await reader.open(id), field, query));
    },
  });

  service.route({
    method: "POST",
    url: "/cases/:id/probes",
    body: ProbeRequest,
    bodyLimitBytes: 128 * 1024,
    handler: ({ request, body }) => {
      const id = caseIdOf(request);
      return limiter.run(async () => probe(reader, await reader.open(id), body));
    },
  });

  service.route({
    method: "GET",
    url: "/cases/:id/pedestrian",
    handler: ({ request }) => {
      const id = caseIdOf(request);
      const query = parse(PedestrianQuery, request.query, "query");
      return limiter.run(async () => pedestrianLevel(reader, await reader.open(id), { height: query.height, halfWidth: query.band }));
    },
  });

  service.route({
    method: "POST",
    url: "/cases/:id/comfort",
    body: ComfortRequest,
    bodyLimitBytes: 64 * 1024,
    handler: ({ request, body, log }) => {
      const id = caseIdOf(request);
      return limiter.run(async () => {
        const started = performance.now();
        const result = await computeComfort(reader, await reader.open(id), body, { maxCells });
        await saveResult(results, result);
        log.info({ case_id: id, result_id: result.id, cells: result.pedestrianLevel.cells, sectors: result.sectors.length, duration_ms: Math.round(performance.now() - started) }, "comfort result stored");
        const base = `/cases/${id}/results/${result.id}`;
        return { ...summaryOf(result), links: { json: `${base}?format=json`, csv: `${base}?format=csv`, vtk: `${base}?format=vtk` } };
      });
    },
  });

  // Raw fastify route: exports set their own content type and file name.
  service.app.get("/cases/:id/results/:resultId", async (request: FastifyRequest, reply: FastifyReply) => {
    const id = caseIdOf(request);
    const resultId = parse(ResultId, (request.params as { resultId?: string }).resultId, "result id (path)");
    const { format } = parse(ResultQuery, request.query, "query");
    return limiter.run(async () => {
      const stored = await results.read(resultKey(id, resultId));
      if (!stored) throw new HttpProblem(404, "result_not_found", `Case '${id}' has no result '${resultId}'.`, { caseId: id, resultId });
      // JSON is the stored file as it is; CSV and VTK are rendered from it.
      if (format === "json") return reply.type("application/json; charset=utf-8").send(stored);
      const result = parseResult(stored);
      const body = format === "csv" ? toCsv(result) : toVtk(result);
      const type = format === "csv" ? "text/csv; charset=utf-8" : "application/octet-stream";
      return reply.type(type).header("content-disposition", `attachment; filename="${resultId}.${format}"`).send(body);
    });
  });

  return { reader, limiter };
}

/** The post-processor as a kit service, routes registered (tests, bench). */
export function createPostprocessorApp(service: ServiceOptions, options: PostprocessorOptions): Service {
  const created = createService(service);
  registerPostprocessorRoutes(created, options);
  return created;
}
