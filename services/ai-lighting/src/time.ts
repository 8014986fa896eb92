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

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const daysInMonth = (year: number, month: number) => (month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!);

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil); plain
 * integer arithmetic instead of `Date`, which also maps years 0–99 to 1900–1999.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/** Parses and checks calendar validity (no 31 February); returns a reason when invalid. */
export function parseIsoWithOffset(text: string): ParsedTime | string {
  const m = ISO_WITH_OFFSET.exec(text);
  if (!m) return "expected ISO 8601 date-time with an offset, e.g. 2003-10-17T12:30:30-07:00";
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6] ?? 0) + Number(m[7] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return "not a calendar date";
  if (hour > 23 || minute > 59 || second >= 60) return "not a valid time of day";
  let offsetMinutes = 0;
  const zone = m[8]!;
  if (zone !== "Z") {
    const sign = zone.charCodeAt(0) === 45 /* - */ ? -1 : 1;
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 18 || om > 59) return "offset out of range (±18:00)";
    offsetMinutes = sign * (oh * 60 + om);
  }
  // Fraction of the year elapsed at the minute (the seconds do not matter for ΔT).
  const dayOfYear = DAYS_BEFORE_MONTH[month - 1]! + (month > 2 && isLeapYear(year) ? 1 : 0) + day - 1;
  const decimalYear = year + ((dayOfYear * 24 + hour) * 60 + minute) / ((isLeapYear(year) ? 366 : 365) * 1440);
  return { local: { year, month, day, hour, minute, second }, timezoneHours: offsetMinutes / 60, offsetMinutes, decimalYear };
}

/** "00".."99". */
const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, "0"));

/** Local fractional hours of the given date as ISO 8601 with the same offset, to the second. */
export function formatLocalHours(date: LocalDateTime, hours: number, offsetMinutes: number): string {
  const totalSeconds = Math.round(hours * 3600);
  const dayShift = Math.floor(totalSeconds / 86400);
  const secondsOfDay = totalSeconds - dayShift * 86400;
  // Civil date of the shifted day (H. Hinnant's civil_from_days).
  const z = daysFromCivil(date.year, date.month, date.day) + dayShift + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const abs = Math.abs(offsetMinutes);
  return (
    `${String(year).padStart(4, "0")}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}` +
    `T${TWO_DIGITS[Math.floor(secondsOfDay / 3600)]}:${TWO_DIGITS[Math.floor(secondsOfDay / 60) % 60]}:${TWO_DIGITS[secondsOfDay % 60]}` +
    `${offsetMinutes < 0 ? "-" : "+"}${TWO_DIGITS[Math.floor(abs / 60)]}:${TWO_DIGITS[abs % 60]}`
  );
}
