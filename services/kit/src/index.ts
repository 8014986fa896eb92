export { LOG_LEVELS, parseEnv, serviceEnvSchema, type EnvDefaults, type EnvResult, type LogLevel, type ServiceEnv } from "./env";
export { HttpProblem, fieldPath, fieldProblems, unprocessable, type FieldProblem } from "./errors";
export { createLogger, type Logger, type LoggerOptions } from "./logger";
export { DURATION_BUCKETS, createHttpMetrics, type HttpMetrics } from "./metrics";
export { runService, type RunServiceOptions } from "./run";
export {
  DEFAULT_BODY_LIMIT_BYTES,
  createService,
  type ReadinessCheck,
  type RouteContext,
  type RouteDefinition,
  type Service,
  type ServiceOptions,
} from "./service";
export { endServerSpan, startTracing, type Tracing, type TracingOptions } from "./tracing";
