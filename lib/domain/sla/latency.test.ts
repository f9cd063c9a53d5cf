import { describe, expect, it } from "vitest";
import { latencyStatus, percentile } from "./latency";

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
    expect(percentile(Array.from({ length: 1000 }, (_, i) => i + 1), 99)).toBe(990);
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
