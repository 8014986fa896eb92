import type { z } from "zod";
import { parseEnv, serviceEnvSchema, type ServiceEnv } from "./env";
import { createService, type Service, type ServiceOptions } from "./service";
import { startTracing } from "./tracing";

export interface RunServiceOptions {
  /** Default `OTEL_SERVICE_NAME` and the `service` field of every log line. */
  name: string;
  version: string;
  defaultPort: number;
  bodyLimitBytes?: number;
  /** Extra variables this service reads, validated together with the common ones. */
  extraEnv?: z.ZodObject;
  /** Registers the routes and readiness checks. */
  register(service: Service, env: ServiceEnv & Record<string, unknown>): void | Promise<void>;
  /** Longest a graceful shutdown may take before the process gives up. @default 25000 (< k8s' 30 s grace) */
  shutdownTimeoutMs?: number;
  /** For tests: where to read the environment from. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/**
 * The whole life of a service process: validate the environment (exit 1 listing every
 * problem), start tracing if an endpoint is set, listen (a start failure: one `fatal` line,
 * exit 1), and shut down gracefully on SIGTERM/SIGINT (refuse new work, finish in-flight
 * requests, flush spans, exit 0).
 */
export async function runService(options: RunServiceOptions): Promise<Service | undefined> {
  const base = serviceEnvSchema({ port: options.defaultPort, serviceName: options.name });
  const schema = options.extraEnv ? base.extend(options.extraEnv.shape) : base;
  const parsed = parseEnv(schema, options.env ?? process.env);
  if (!parsed.ok) {
    // Logger config itself may be what is broken, so write the JSON line by hand.
    fatal(options.name, `invalid environment: ${parsed.problems.join("; ")}`, { problems: parsed.problems });
    process.exitCode = 1;
    return undefined;
  }
  const env = parsed.env as ServiceEnv & Record<string, unknown>;
  let service: Service;
  try {
    service = await start(options, env);
  } catch (error) {
    // A service that cannot start (unusable data directory, port taken, ...) says why and exits;
    // open handles (worker threads, timers) must not keep a half-started process alive.
    fatal(options.name, `failed to start: ${(error as Error).message}`);
    process.exit(1);
  }

  const shutdown = (signal: string) => {
    if (service.closing) return;
    service.log.info({ signal }, "shutting down: refusing new requests, finishing in-flight ones");
    const timer = setTimeout(() => {
      service.log.error({ timeout_ms: options.shutdownTimeoutMs ?? 25_000 }, "shutdown timed out; exiting");
      process.exit(1);
    }, options.shutdownTimeoutMs ?? 25_000);
    timer.unref();
    service.close().then(
      () => {
        service.log.info("shut down cleanly");
        process.exit(0);
      },
      (error: unknown) => {
        service.log.error({ err: error }, "error during shutdown");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
  return service;
}

/** One JSON `fatal` line on stderr, written by hand: the logger may be what could not start. */
function fatal(service: string, msg: string, extra: Record<string, unknown> = {}): void {
  process.stderr.write(`${JSON.stringify({ level: "fatal", time: new Date().toISOString(), service, msg, ...extra })}\n`);
}

/** Tracing, the service, its routes, listening: everything that can fail after the env is valid. */
async function start(options: RunServiceOptions, env: ServiceEnv & Record<string, unknown>): Promise<Service> {
  const tracing = env.OTEL_EXPORTER_OTLP_ENDPOINT
    ? startTracing({ serviceName: env.OTEL_SERVICE_NAME, serviceVersion: options.version, endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT })
    : undefined;
  const serviceOptions: ServiceOptions = {
    name: env.OTEL_SERVICE_NAME,
    version: options.version,
    logLevel: env.LOG_LEVEL,
    bodyLimitBytes: options.bodyLimitBytes,
    tracing,
  };
  const service = createService(serviceOptions);
  await options.register(service, env);
  const address = await service.listen({ host: env.HOST, port: env.PORT });
  service.log.info(
    {
      host: env.HOST,
      port: address.port,
      version: options.version,
      tracing: tracing ? `on, OTLP/HTTP to ${env.OTEL_EXPORTER_OTLP_ENDPOINT}` : "off (OTEL_EXPORTER_OTLP_ENDPOINT is not set)",
    },
    "listening",
  );
  return service;
}
