import { isoTimestamp } from "../src/logger";

describe("isoTimestamp", () => {
  test("matches pino's isoTime (Date#toISOString) to the millisecond, across second boundaries", () => {
    const base = Date.UTC(2026, 11, 31, 23, 59, 58, 990);
    for (let ms = 0; ms < 2_100; ms += 7) {
      const t = base + ms;
      expect(isoTimestamp(t)).toBe(`,"time":"${new Date(t).toISOString()}"`);
    }
    // Going back in time (clock adjustments) rebuilds the cached second too.
    for (const t of [Date.UTC(2001, 0, 1), Date.UTC(1999, 11, 31, 23, 59, 59, 999), 0, Date.now()]) {
      expect(isoTimestamp(t)).toBe(`,"time":"${new Date(t).toISOString()}"`);
    }
  });
});
