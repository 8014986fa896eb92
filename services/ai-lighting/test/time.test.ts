import { formatLocalHours, parseIsoWithOffset, type ParsedTime } from "../src/time";

/** The former `Date`-based formatter, as the reference (valid for years ≥ 100). */
function formatWithDate(date: { year: number; month: number; day: number }, hours: number, offsetMinutes: number): string {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day) + Math.round(hours * 3600) * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  const abs = Math.abs(offsetMinutes);
  return (
    `${String(d.getUTCFullYear()).padStart(4, "0")}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    `${offsetMinutes < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

describe("time parsing and formatting without Date", () => {
  test("calendar validity follows the Gregorian leap-year rule", () => {
    expect(typeof parseIsoWithOffset("2000-02-29T00:00:00Z")).toBe("object");
    expect(typeof parseIsoWithOffset("2004-02-29T00:00:00+01:00")).toBe("object");
    expect(parseIsoWithOffset("1900-02-29T00:00:00Z")).toBe("not a calendar date");
    expect(parseIsoWithOffset("2003-02-29T00:00:00Z")).toBe("not a calendar date");
    expect(parseIsoWithOffset("2003-04-31T00:00:00Z")).toBe("not a calendar date");
    expect(parseIsoWithOffset("2003-13-01T00:00:00Z")).toBe("not a calendar date");
    expect(parseIsoWithOffset("2003-10-17T12:30:30+19:00")).toBe("offset out of range (±18:00)");
  });

  test("the decimal year equals the Date-based fraction of the year", () => {
    for (const [text, y, mo, d, h, mi] of [
      ["2003-10-17T12:30:30-07:00", 2003, 10, 17, 12, 30],
      ["2000-12-31T23:59:59Z", 2000, 12, 31, 23, 59],
      ["2100-03-01T00:00:00Z", 2100, 3, 1, 0, 0],
      ["1901-01-01T00:01:00+05:30", 1901, 1, 1, 0, 1],
    ] as const) {
      const parsed = parseIsoWithOffset(text) as ParsedTime;
      const start = Date.UTC(y, 0, 1);
      expect(parsed.decimalYear).toBe(y + (Date.UTC(y, mo - 1, d, h, mi) - start) / (Date.UTC(y + 1, 0, 1) - start));
      expect(parsed.local).toEqual({ year: y, month: mo, day: d, hour: h, minute: mi, second: Number(text.slice(17, 19)) });
    }
  });

  test("formatting matches the Date-based formatter, including day, month and year roll-over", () => {
    const midnight = { hour: 0, minute: 0, second: 0 };
    const days = [
      { year: 2003, month: 10, day: 17, ...midnight },
      { year: 2003, month: 12, day: 31, ...midnight },
      { year: 2004, month: 2, day: 28, ...midnight },
      { year: 2100, month: 2, day: 28, ...midnight },
      { year: 1600, month: 1, day: 1, ...midnight },
    ];
    for (const day of days) {
      for (const hours of [0, 6.2119, 11.768, 23.99999, 24, 25.5, -0.5, -30]) {
        for (const offset of [-420, 0, 330, -570]) expect(formatLocalHours(day, hours, offset)).toBe(formatWithDate(day, hours, offset));
      }
    }
  });
});
