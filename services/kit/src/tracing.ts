import { SpanKind, SpanStatusCode, context, defaultTextMapGetter, trace, type Context, type Span, type Tracer } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";

export interface TracingOptions {
  serviceName: string;
  serviceVersion: string;
  /** OTLP/HTTP base URL, e.g. http://otel-collector:4318; spans go to `<endpoint>/v1/traces`. */
  endpoint: string;
  /** How long spans wait before being sent in a batch. @default 1000 */
  exportDelayMs?: number;
}

export interface Tracing {
  tracer: Tracer;
  /** Starts a server span for an incoming request, continuing the caller's W3C trace if any. */
  startServerSpan(name: string, headers: Record<string, unknown>, attributes: Record<string, string | number>): { span: Span; context: Context };
  /** Sends what is buffered and stops; called during graceful shutdown. */
  shutdown(): Promise<void>;
}

let contextManagerInstalled = false;

/** Async-local context so spans started inside a handler become children of the request span. */
function installContextManager(): void {
  if (contextManagerInstalled) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  contextManagerInstalled = true;
}

export function startTracing(options: TracingOptions): Tracing {
  installContextManager();
  const exporter = new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, "")}/v1/traces` });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      "service.name": options.serviceName,
      "service.version": options.serviceVersion,
    }),
    spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: options.exportDelayMs ?? 1000 })],
  });
  // Lets domain code use `trace.getTracer(...)`; only the first provider in a process wins.
  trace.setGlobalTracerProvider(provider);
  const tracer = provider.getTracer(options.serviceName, options.serviceVersion);
  const propagator = new W3CTraceContextPropagator();
  return {
    tracer,
    startServerSpan(name, headers, attributes) {
      const parent = propagator.extract(context.active(), headers, defaultTextMapGetter);
      const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
      return { span, context: trace.setSpan(parent, span) };
    },
    shutdown: () => provider.shutdown(),
  };
}

export function endServerSpan(span: Span, statusCode: number): void {
  span.setAttribute("http.response.status_code", statusCode);
  if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
