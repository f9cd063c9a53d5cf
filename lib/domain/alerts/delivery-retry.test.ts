import { describe, expect, it } from "vitest";
import { MAX_RETRY_DELAY_MS, refusedForGood, retryAfterMs, retryDelayMs } from "./delivery-retry";

describe("the delay before the next try", () => {
  it("doubles from 10 s, drawn from the upper half of each step", () => {
    const low = () => 0;
    const high = () => 1;
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, undefined, high))).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, undefined, low))).toEqual([5_000, 10_000, 20_000, 40_000]);
  });

  it("never exceeds 5 minutes, however many tries failed or whatever a destination asks", () => {
    for (let attempts = 1; attempts <= 200; attempts++)
      for (const random of [() => 0, () => 0.5, () => 0.999999, () => 1])
        expect(retryDelayMs(attempts, undefined, random)).toBeLessThanOrEqual(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(6, undefined, () => 1)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(1, 3_600_000, () => 0)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(1, 60_000, () => 0)).toBe(60_000);
  });
});

describe("an answer", () => {
  it.each([
    [200, false],
    [202, false],
    [301, true],
    [400, true],
    [403, true],
    [404, true],
    [410, true],
    [408, false],
    [429, false],
    [500, false],
    [503, false],
  ])("HTTP %i refuses for good: %s", (status, refused) => {
    expect(refusedForGood(status)).toBe(refused);
  });

  it("may say when to come back, in seconds or as a date", () => {
    expect(retryAfterMs("120", 0)).toBe(120_000);
    expect(retryAfterMs(new Date(90_000).toUTCString(), 30_000)).toBe(60_000);
    expect(retryAfterMs("soon", 0)).toBeUndefined();
    expect(retryAfterMs(null, 0)).toBeUndefined();
  });
});
