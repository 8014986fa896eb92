import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { Socket } from "node:net";
import { context, type Span } from "@opentelemetry/api";
import type { DestinationStream } from "pino";
import type { z } from "zod";
import type { LogLevel } from "./env";
import { HttpProblem, fieldProblems, type FieldProblem } from "./errors";
import { createLogger, type Logger } from "./logger";
import { createHttpMetrics, type HttpMetrics } from "./metrics";
import { endServerSpan, type Tracing } from "./tracing";

/** Default request body limit: generous for JSON geometry, small enough to refuse abuse. */
export const DEFAULT_BODY_LIMIT_BYTES = 256 * 1024;

/** Returns why the service is not ready, or nothing when it is. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<string | undefined> | string | undefined;
}

export interface ServiceOptions {
  name: string;
  version: string;
  /** @default "info" */
  logLevel?: LogLevel;
  /** @default stdout */
  logDestination?: DestinationStream;
  /** @default DEFAULT_BODY_LIMIT_BYTES */
  bodyLimitBytes?: number;
  /** From `startTracing`; without it no spans are made. */
  tracing?: Tracing;
  readinessChecks?: ReadinessCheck[];
}

export interface RouteContext<Body, Query = unknown> {
  body: Body;
  /** The query string, parsed by the route's `query` schema (raw strings without one). */
  query: Query;
  request: FastifyRequest;
  /** For a status other than 200 (`reply.code(201)`) or extra headers; return the body as usual. */
  reply: FastifyReply;
  /** The request's logger: carries `trace_id`/`span_id` when tracing is on. */
  log: FastifyBaseLogger;
}

export interface RouteDefinition<S extends z.ZodType, R, Q extends z.ZodType = z.ZodType> {
  method: "GET" | "POST" | "PUT" | "DELETE";
  url: string;
  /** Validates the JSON body; a failure is a 400 naming each bad field. */
  body?: S;
  /**
   * Validates the query string (values arrive as strings: use `z.coerce` for numbers); a
   * failure is a 400 naming each bad parameter as `query.<name>`.
   */
  query?: Q;
  /** Overrides the service's body limit for this route. */
  bodyLimitBytes?: number;
  /**
   * Accept a raw body of these content types (e.g. `["image/png", "application/octet-stream"]`)
   * instead of JSON: the handler gets it as a `Buffer` in `ctx.body` (`body` schema is not
   * allowed then). Other content types are 415; over the limit is 413 while still streaming.
   */
  binary?: readonly string[];
  handler(ctx: RouteContext<z.infer<S>, z.infer<Q>>): R | Promise<R>;
}

export interface Service {
  app: FastifyInstance;
  log: Logger;
  metrics: HttpMetrics;
  route<S extends z.ZodType, R, Q extends z.ZodType = z.ZodType>(definition: RouteDefinition<S, R, Q>): void;
  addReadinessCheck(check: ReadinessCheck): void;
  /** Resolves with the bound address once listening. */
  listen(options: { host: string; port: number }): Promise<{ host: string; port: number; url: string }>;
  /** Graceful: refuse new work, finish in-flight requests, flush traces. Idempotent. */
  close(): Promise<void>;
  readonly closing: boolean;
}

const UNMATCHED_ROUTE = "unmatched";

export function createService(options: ServiceOptions): Service {
  const log = createLogger({ service: options.name, level: options.logLevel, destination: options.logDestination });
  const metrics = createHttpMetrics(options.name);
  const readinessChecks: ReadinessCheck[] = [...(options.readinessChecks ?? [])];
  const spans = new WeakMap<FastifyRequest, { span: Span; ctx: ReturnType<typeof context.active> }>();
  let closing = false;
  let closed: Promise<void> | undefined;

  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // One line per request, written by our onResponse hook with the route pattern and timing.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    // Slow-loris guard: a client has this long to send its whole request.
    requestTimeout: 30_000,
    return503OnClosing: true,
    forceCloseConnections: "idle",
  });

  // Connections that have not sent a request yet: fastify's "idle" close leaves them open, so
  // one silent client would hold a shutdown until its request timeout. They are dropped at close.
  const silent = new Set<Socket>();
  app.server.on("connection", (socket: Socket) => {
    silent.add(socket);
    socket.once("close", () => silent.delete(socket));
  });
  app.server.on("request", (request: { socket: Socket }) => silent.delete(request.socket));

  const routeOf = (request: FastifyRequest) => request.routeOptions.url ?? UNMATCHED_ROUTE;

  app.addHook("onRequest", (request, _reply, done) => {
    if (options.tracing) {
      const route = routeOf(request);
      const started = options.tracing.startServerSpan(`${request.method} ${route}`, request.headers, {
        "http.request.method": request.method,
        "http.route": route,
        "url.path": request.url.split("?")[0] ?? request.url,
      });
      spans.set(request, { span: started.span, ctx: started.context });
      const { traceId, spanId } = started.span.spanContext();
      request.log = request.log.child({ trace_id: traceId, span_id: spanId });
    }
    request.log.debug({ method: request.method, url: request.url }, "request received");
    done();
  });

  app.addHook("onResponse", (request, reply, done) => {
    const route = routeOf(request);
    const seconds = reply.elapsedTime / 1000;
    metrics.observe(route, request.method, reply.statusCode, seconds);
    const traced = options.tracing ? spans.get(request) : undefined;
    if (traced) endServerSpan(traced.span, reply.statusCode);
    const level = reply.statusCode >= 500 ? "error" : "info";
    request.log[level](
      { method: request.method, route, status_code: reply.statusCode, duration_ms: Math.round(reply.elapsedTime * 100) / 100 },
      "request completed",
    );
    done();
  });

  // While closing, answer in-flight requests with `Connection: close` so their keep-alive
  // sockets end with the response instead of holding the shutdown open.
  app.addHook("onSend", (_request, reply, payload, done) => {
    if (closing) reply.header("connection", "close");
    done(null, payload);
  });

  app.addHook("onRequestAbort", (request, done) => {
    const traced = options.tracing ? spans.get(request) : undefined;
    if (traced) endServerSpan(traced.span, 499);
    done();
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof HttpProblem) {
      return reply.code(error.statusCode).send({ error: error.code, message: error.message, ...error.details });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (typeof status === "number" && status >= 400 && status < 500) {
      // fastify's own client errors: bad JSON, body too large, unsupported media type...
      const code = (error as { code?: string }).code ?? "bad_request";
      return reply.code(status).send({ error: code, message: (error as Error).message });
    }
    request.log.error({ err: error }, "unhandled error");
    return reply.code(500).send({ error: "internal", message: "Internal error; see the service logs." });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: "not_found", message: `No route ${request.method} ${request.url.split("?")[0]}` });
  });

  app.get("/healthz", async () => ({ status: "ok" }));

  app.get("/readyz", async (_request, reply) => {
    const reasons: string[] = [];
    if (closing) reasons.push("shutting down");
    for (const readiness of readinessChecks) {
      try {
        const reason = await readiness.check();
        if (reason) reasons.push(`${readiness.name}: ${reason}`);
      } catch (error) {
        reasons.push(`${readiness.name}: check failed: ${(error as Error).message}`);
      }
    }
    if (reasons.length > 0) return reply.code(503).send({ status: "not_ready", reasons });
    return { status: "ready" };
  });

  app.get("/metrics", async (_request, reply) => {
    const body = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(body);
  });

  function route<S extends z.ZodType, R, Q extends z.ZodType>(definition: RouteDefinition<S, R, Q>): void {
    if (definition.binary) {
      if (definition.body) throw new Error(`${definition.method} ${definition.url}: a binary route takes no body schema`);
      const contentTypes = [...definition.binary];
      // An encapsulated scope, so the raw-body parser applies to this route only; root hooks,
      // error and not-found handlers are inherited.
      app.register(async (scope) => {
        scope.removeAllContentTypeParsers();
        scope.addContentTypeParser(contentTypes, { parseAs: "buffer" }, (_request, body, done) => done(null, body));
        addRoute(scope, definition);
      });
      return;
    }
    addRoute(app, definition);
  }

  function addRoute<S extends z.ZodType, R, Q extends z.ZodType>(target: FastifyInstance, definition: RouteDefinition<S, R, Q>): void {
    target.route({
      method: definition.method,
      url: definition.url,
      bodyLimit: definition.bodyLimitBytes,
      // Not `async`: a synchronous result is sent without a promise round trip; a promise
      // (async handlers) is awaited by fastify; a throw becomes the error handler's reply.
      handler: (request, reply) => {
        let body: unknown = definition.binary ? (Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)) : undefined;
        let query: unknown = request.query;
        const fields: FieldProblem[] = [];
        if (definition.query) {
          const parsed = definition.query.safeParse(request.query);
          if (parsed.success) query = parsed.data;
          else fields.push(...fieldProblems(parsed.error).map((f) => ({ ...f, field: `query.${f.field}` })));
        }
        if (definition.body) {
          const parsed = definition.body.safeParse(request.body);
          if (parsed.success) body = parsed.data;
          else fields.push(...fieldProblems(parsed.error));
        }
        if (fields.length > 0) {
          const inQuery = fields.filter((f) => f.field.startsWith("query.")).length;
          const what = inQuery === 0 ? "request body" : inQuery === fields.length ? "query" : "request";
          reply.code(400).send({ error: "invalid_request", message: `Invalid ${what}: ${fields.map((f) => f.field).join(", ")}`, fields });
          return undefined;
        }
        const run = () => definition.handler({ body: body as z.infer<S>, query: query as z.infer<Q>, request, reply, log: request.log });
        const traced = options.tracing ? spans.get(request) : undefined;
        // Run inside the request span so any span the handler starts becomes its child.
        const result = traced ? context.with(traced.ctx, run) : run();
        // fastify sends nothing for a synchronous `undefined`; an async handler sent an empty body.
        return result === undefined ? Promise.resolve(result) : result;
      },
    });
  }

  return {
    app,
    log,
    metrics,
    route,
    addReadinessCheck: (check) => void readinessChecks.push(check),
    async listen({ host, port }) {
      await app.listen({ host, port });
      const address = app.server.address();
      const bound = typeof address === "object" && address ? address.port : port;
      const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
      return { host, port: bound, url: `http://${urlHost}:${bound}` };
    },
    close() {
      closing = true;
      closed ??= (async () => {
        for (const socket of silent) socket.destroy();
        await app.close();
        await options.tracing?.shutdown();
      })();
      return closed;
    },
    get closing() {
      return closing;
    },
  };
}
