import pino, { type DestinationStream, type Logger } from "pino";
import type { LogLevel } from "./env";

export type { Logger };

export interface LoggerOptions {
  service: string;
  level?: LogLevel;
  /** Where the JSON lines go. @default stdout (synchronous, so nothing is lost at exit) */
  destination?: DestinationStream;
}

const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, "0"));
let stampSecond = Number.NaN;
let stampPrefix = "";

/**
 * pino's `isoTime` output (`,"time":"2026-01-02T03:04:05.678Z"`) without building a `Date`
 * and its ISO string for every line: the part up to the second changes once a second.
 */
export function isoTimestamp(now = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (second !== stampSecond) {
    stampSecond = second;
    stampPrefix = `,"time":"${new Date(second * 1000).toISOString().slice(0, 20)}`;
  }
  return `${stampPrefix}${THREE_DIGITS[now - second * 1000]}Z"`;
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
      timestamp: () => isoTimestamp(),
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ fd: 1, sync: true }),
  );
}
