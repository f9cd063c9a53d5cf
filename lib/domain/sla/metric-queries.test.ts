import { describe, expect, it } from "vitest";
import { getMetricDataCallsNeeded, NAMESPACE_OF, periodFor, RESOURCE_DIMENSION } from "./metric-queries";

const S = 1000;
const H = 3600 * S;
const D = 24 * H;
const NOW = Date.UTC(2025, 5, 30, 12, 0, 0);

describe("periodFor", () => {
  it("uses 60 s for the last hour and the last day (≤ 1440 points)", () => {
    expect(periodFor(NOW - H, NOW, NOW)).toBe(60);
    // 86,400 s / 1440 = 60.
    expect(periodFor(NOW - D, NOW, NOW)).toBe(60);
  });

  it("rounds up to a nice period as the range grows", () => {
    // 25 h: 90,000 / 1440 = 62.5 → 120 → 300.
    expect(periodFor(NOW - 25 * H, NOW, NOW)).toBe(300);
    // 3 d: 259,200 / 1440 = 180 → 300.
    expect(periodFor(NOW - 3 * D, NOW, NOW)).toBe(300);
    // 7 d: 604,800 / 1440 = 420 → 900.
    expect(periodFor(NOW - 7 * D, NOW, NOW)).toBe(900);
    // 30 d: 2,592,000 / 1440 = 1800 → 3600.
    expect(periodFor(NOW - 30 * D, NOW, NOW)).toBe(3600);
    // 365 d: 31,536,000 / 1440 = 21,900 → 86,400.
    expect(periodFor(NOW - 365 * D, NOW, NOW)).toBe(86400);
  });

  it("goes to whole days beyond the nice list", () => {
    // 2000 d: 172,800,000 / 1440 = 120,000 → 2 days.
    expect(periodFor(NOW - 2000 * D, NOW, NOW)).toBe(172800);
  });

  it("needs ≥ 300 for a start older than 15 days, even for a short range", () => {
    expect(periodFor(NOW - 20 * D, NOW - 20 * D + H, NOW)).toBe(300);
    expect(periodFor(NOW - 15 * D, NOW - 15 * D + H, NOW)).toBe(60);
    expect(periodFor(NOW - 15 * D - S, NOW - 15 * D + H, NOW)).toBe(300);
  });

  it("needs ≥ 3600 for a start older than 63 days", () => {
    expect(periodFor(NOW - 100 * D, NOW - 100 * D + H, NOW)).toBe(3600);
    expect(periodFor(NOW - 63 * D, NOW - 63 * D + H, NOW)).toBe(300);
    expect(periodFor(NOW - 63 * D - S, NOW - 63 * D + H, NOW)).toBe(3600);
  });

  it("takes the larger of the retention minimum and the points limit", () => {
    // 20 days ago to now: retention 300, points 1,728,000 / 1440 = 1200 → 3600.
    expect(periodFor(NOW - 20 * D, NOW, NOW)).toBe(3600);
  });

  it("honours maxPointsPerQuery", () => {
    // 1 h / 10 points = 360 → 900; / 60 points = 60.
    expect(periodFor(NOW - H, NOW, NOW, 10)).toBe(900);
    expect(periodFor(NOW - H, NOW, NOW, 60)).toBe(60);
    // 1 h / 7 points = 514.3 → 540 → 900.
    expect(periodFor(NOW - H, NOW, NOW, 7)).toBe(900);
    expect(() => periodFor(NOW - H, NOW, NOW, 0)).toThrow(RangeError);
  });

  it("treats an empty or inverted range as needing only the retention minimum", () => {
    expect(periodFor(NOW, NOW, NOW)).toBe(60);
    expect(periodFor(NOW - 30 * D, NOW - 31 * D, NOW)).toBe(300);
  });
});

describe("getMetricDataCallsNeeded", () => {
  it("is bounded by 500 queries per call: 1000 queries over 1 h at 60 s → 2", () => {
    expect(getMetricDataCallsNeeded(1000, 3600, 60)).toBe(2);
    expect(getMetricDataCallsNeeded(500, 3600, 60)).toBe(1);
    expect(getMetricDataCallsNeeded(501, 60, 60)).toBe(2);
  });

  it("is bounded by 100,800 datapoints per call: 100 queries over 30 d at 60 s → 43", () => {
    // 100 × 43,200 = 4,320,000; / 100,800 = 42.86 → 43.
    expect(getMetricDataCallsNeeded(100, 30 * 86400, 60)).toBe(43);
    // 70 × 1440 = 100,800 exactly → 1; 71 → 2.
    expect(getMetricDataCallsNeeded(70, 86400, 60)).toBe(1);
    expect(getMetricDataCallsNeeded(71, 86400, 60)).toBe(2);
  });

  it("counts a partial period as a datapoint", () => {
    // 90 s at 60 s = 2 points.
    expect(getMetricDataCallsNeeded(50_400, 90, 60)).toBe(Math.ceil(50_400 / 500));
    expect(getMetricDataCallsNeeded(1, 90, 60)).toBe(1);
  });

  it("is 0 for no queries", () => {
    expect(getMetricDataCallsNeeded(0, 86400, 60)).toBe(0);
  });
});

describe("RESOURCE_DIMENSION", () => {
  it("names each kind of resource by the dimension of its namespace", () => {
    expect(RESOURCE_DIMENSION[NAMESPACE_OF.topic]).toBe("TopicName");
    expect(RESOURCE_DIMENSION[NAMESPACE_OF.queue]).toBe("QueueName");
    expect(RESOURCE_DIMENSION[NAMESPACE_OF.function]).toBe("FunctionName");
  });
});
