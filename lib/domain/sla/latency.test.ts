import { describe, expect, it } from "vitest";
import { fullBucketValue, latencyStatus, percentile, wholePeriodRange } from "./latency";

describe("percentile (nearest rank)", () => {
  const values = [35, 20, 15, 50, 40];

  it("picks sorted[ceil(p/100 × n) − 1]", () => {
    // Sorted: 15 20 35 40 50.
    expect(percentile(values, 5)).toBe(15); // rank ceil(0.25) = 1
    expect(percentile(values, 30)).toBe(20); // rank ceil(1.5) = 2
    expect(percentile(values, 40)).toBe(20); // rank 2 exactly
    expect(percentile(values, 50)).toBe(35); // rank ceil(2.5) = 3
    expect(percentile(values, 100)).toBe(50);
    expect(percentile(values, 0)).toBe(15);
  });

  it("p99 of 1..100 is 99 and of 1..1000 is 990", () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(hundred, 99)).toBe(99);
    expect(
      percentile(
        Array.from({ length: 1000 }, (_, i) => i + 1),
        99,
      ),
    ).toBe(990);
  });

  it("p99 of fewer than 100 values is the maximum", () => {
    expect(percentile([120, 4000, 80, 950], 99)).toBe(4000);
  });

  it("is null for no values and ignores non-finite ones", () => {
    expect(percentile([], 99)).toBeNull();
    expect(percentile([Number.NaN], 99)).toBeNull();
    expect(percentile([Number.NaN, 7, Number.POSITIVE_INFINITY], 99)).toBe(7);
  });

  it("does not mutate its input and refuses p outside [0, 100]", () => {
    const input = [3, 1, 2];
    percentile(input, 50);
    expect(input).toEqual([3, 1, 2]);
    expect(() => percentile(input, 101)).toThrow(RangeError);
    expect(() => percentile(input, -1)).toThrow(RangeError);
  });
});

describe("latencyStatus", () => {
  it("is met at or under the threshold, breached above it", () => {
    expect(latencyStatus(4999, 5000)).toBe("met");
    expect(latencyStatus(5000, 5000)).toBe("met");
    expect(latencyStatus(5000.1, 5000)).toBe("breached");
  });

  it("is null without a value", () => {
    expect(latencyStatus(null, 5000)).toBeNull();
  });
});

describe("wholePeriodRange", () => {
  const MIN = 60_000;
  const DAY = 86_400_000;

  it("aligns a window that does not start on a minute to one whole bucket ending at the last full minute", () => {
    const now = 1_000 * MIN + 37_000; // 37 s into a minute
    const range = wholePeriodRange(now - 60 * MIN, now);
    expect(range).toEqual({ start: 940 * MIN, end: 1_000 * MIN, period: 3600 });
    expect(range.end - range.start).toBe(range.period * 1000);
  });

  it("keeps an already aligned window as it is", () => {
    expect(wholePeriodRange(940 * MIN, 1_000 * MIN)).toEqual({ start: 940 * MIN, end: 1_000 * MIN, period: 3600 });
  });

  it("aligns to 5 minutes when the start is more than 15 days ago, as GetMetricData rounds it", () => {
    const now = 100 * DAY + 7 * MIN + 12_000;
    const range = wholePeriodRange(now - 20 * DAY, now);
    expect(range.end).toBe(100 * DAY + 5 * MIN);
    expect(range.period).toBe(20 * 86_400);
    expect(range.start % (5 * MIN)).toBe(0);
  });

  it("moves to 5 minutes when aligning pushes a 15-day window's start past 15 days", () => {
    const now = 100 * DAY + 7 * MIN + 12_000;
    const range = wholePeriodRange(now - 15 * DAY, now);
    expect(range.start % (5 * MIN)).toBe(0);
    expect(range.period % 300).toBe(0);
    expect(range.end - range.start).toBe(range.period * 1000);
  });
});

describe("fullBucketValue", () => {
  const range = { start: 0, end: 3_600_000, period: 3600 };

  it("takes the whole bucket, never the p99 of a sliver after it", () => {
    // What an unaligned request returned: the full hour (p99 120 ms) and the last 37 s (p99 4,000 ms).
    expect(
      fullBucketValue(
        [
          { at: 0, value: 120 },
          { at: 3_600_000, value: 4_000 },
        ],
        range,
      ),
    ).toBe(120);
  });

  it("is null when only a partial bucket came back, or nothing", () => {
    expect(fullBucketValue([{ at: 3_600_000, value: 4_000 }], range)).toBeNull();
    expect(fullBucketValue([{ at: -60_000, value: 4_000 }], range)).toBeNull();
    expect(fullBucketValue([], range)).toBeNull();
  });
});
