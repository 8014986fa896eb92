import { z } from "zod";

/** pino's level names; `silent` turns logging off. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface EnvDefaults {
  /** The port the service listens on when `PORT` is unset. */
  port: number;
  /** The service name reported in logs and traces when `OTEL_SERVICE_NAME` is unset. */
  serviceName: string;
}

/** The environment every service reads (the contract with `components/workload/app-service.ts`). */
export function serviceEnvSchema(defaults: EnvDefaults) {
  return z.object({
    HOST: z.string().min(1).default("0.0.0.0"),
    // 0 asks the OS for a free port (tests); the start log then says which one it got.
    PORT: z.coerce.number().int().min(0).max(65535).default(defaults.port),
    LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
    OTEL_SERVICE_NAME: z.string().min(1).default(defaults.serviceName),
    // OTLP/HTTP base URL (e.g. http://otel-collector:4318); unset turns tracing off.
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  });
}

export type ServiceEnv = z.infer<ReturnType<typeof serviceEnvSchema>>;

export type EnvResult<T> = { ok: true; env: T } | { ok: false; problems: string[] };

/**
 * Validates the environment against `schema` and returns every problem at once, one line per
 * variable, so an operator fixes a bad deployment in one go. Empty strings count as unset:
 * orchestrators often render an absent optional value as "".
 */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): EnvResult<z.infer<S>> {
  const present: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== "") present[key] = value;
  }
  const result = schema.safeParse(present);
  if (result.success) return { ok: true, env: result.data };
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.map(String).join(".") || "(environment)";
    const got = typeof issue.path[0] === "string" ? present[issue.path[0]] : undefined;
    return `${name}: ${issue.message}${got === undefined ? "" : ` (got ${JSON.stringify(got)})`}`;
  });
  return { ok: false, problems };
}
