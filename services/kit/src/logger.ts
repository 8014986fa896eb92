import pino, { type DestinationStream, type Logger } from "pino";
import type { LogLevel } from "./env";

export type { Logger };

export interface LoggerOptions {
  service: string;
  level?: LogLevel;
  /** Where the JSON lines go. @default stdout (synchronous, so nothing is lost at exit) */
  destination?: DestinationStream;
}

/**
 * JSON lines with the field names Logstash parses: `level` (a label, not pino's number),
 * `time` (ISO 8601), `msg`, `service`; request loggers add `trace_id`/`span_id`.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { service: options.service },
      messageKey: "msg",
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ fd: 1, sync: true }),
  );
}
