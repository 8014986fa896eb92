import type { LocalDateTime } from "./spa";

/** ISO 8601 date-time with an explicit offset; the offset fixes the observer's local time. */
export const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export interface ParsedTime {
  local: LocalDateTime;
  timezoneHours: number;
  /** Minutes east of UTC, for formatting results back in the same offset. */
  offsetMinutes: number;
  decimalYear: number;
}

/** Parses and checks calendar validity (no 31 February); returns a reason when invalid. */
export function parseIsoWithOffset(text: string): ParsedTime | string {
  const m = ISO_WITH_OFFSET.exec(text);
  if (!m) return "expected ISO 8601 date-time with an offset, e.g. 2003-10-17T12:30:30-07:00";
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = Number(m[6] ?? 0) + Number(m[7] ?? 0);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return "not a calendar date";
  if (hour > 23 || minute > 59 || second >= 60) return "not a valid time of day";
  let offsetMinutes = 0;
  const zone = m[8]!;
  if (zone !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 18 || om > 59) return "offset out of range (±18:00)";
    offsetMinutes = sign * (oh * 60 + om);
  }
  const startOfYear = Date.UTC(year, 0, 1);
  const decimalYear = year + (Date.UTC(year, month - 1, day, hour, minute) - startOfYear) / (Date.UTC(year + 1, 0, 1) - startOfYear);
  return { local: { year, month, day, hour, minute, second }, timezoneHours: offsetMinutes / 60, offsetMinutes, decimalYear };
}

/** Local fractional hours of the given date as ISO 8601 with the same offset, to the second. */
export function formatLocalHours(date: LocalDateTime, hours: number, offsetMinutes: number): string {
  const totalSeconds = Math.round(hours * 3600);
  const utcMs = Date.UTC(date.year, date.month - 1, date.day) + totalSeconds * 1000;
  const d = new Date(utcMs);
  const pad = (n: number) => String(n).padStart(2, "0");
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return (
    `${String(d.getUTCFullYear()).padStart(4, "0")}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}
