import { cachedProbe } from "../src/probe-cache";

test("successes are reused for okForMs, failures for failedForMs, concurrent callers share one call", async () => {
  let clock = 0;
  let calls = 0;
  let fail = false;
  const probe = cachedProbe(
    async () => {
      calls++;
      if (fail) throw new Error("down");
      return calls;
    },
    { okForMs: 1000, failedForMs: 100, now: () => clock },
  );
  expect(await Promise.all([probe(), probe(), probe()])).toEqual([1, 1, 1]);
  expect(calls).toBe(1);
  clock = 999;
  expect(await probe()).toBe(1);
  clock = 1000;
  fail = true;
  await expect(probe()).rejects.toThrow("down");
  clock = 1099;
  await expect(probe()).rejects.toThrow("down");
  expect(calls).toBe(2);
  fail = false;
  clock = 1100;
  expect(await probe()).toBe(3);
});
