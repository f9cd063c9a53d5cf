import { describe, expect, it } from "vitest";
import { TREND_SLICES, slaFigures } from "./figures";
import type { Counts } from "./counts";

const HOUR = 3600_000;
const now = Date.UTC(2026, 11, 1, 12);

/** Events at a steady rate per hour, from 30 days back to now: counts from an instant to now. */
function steady(goodPerHour: number, badPerHour: number) {
  return (fromMs: number): Counts => {
    const hours = Math.max(0, (now - fromMs) / HOUR);
    return { good: goodPerHour * hours, bad: badPerHour * hours };
  };
}

describe("slaFigures", () => {
  it("has the window's SLI, an even trend of twelve slices and a budget spent at the rate of the burn", () => {
    const figures = slaFigures(0.999, { now, windowMs: 24 * HOUR }, steady(999, 1));
    expect(figures.counts).toEqual({ good: 999 * 24, bad: 24 });
    expect(figures.sli).toBeCloseTo(0.999, 12);
    expect(figures.trend).toHaveLength(TREND_SLICES);
    expect(figures.trend[0]!.at).toBe(new Date(now - 24 * HOUR).toISOString());
    expect(figures.trend[11]!.at).toBe(new Date(now - 2 * HOUR).toISOString());
    for (const slice of figures.trend) expect(slice.sli).toBeCloseTo(0.999, 12);
    expect(figures.errorBudgetRemaining).toBeCloseTo(0, 12);
    for (const rate of Object.values(figures.burnRates)) expect(rate).toBeCloseTo(1, 9);
    expect(figures.alerts).toEqual({ fast: false, slow: false, ticket: false });
    expect(figures.status).toBe("ok");
    expect(figures.firing).toEqual([]);
  });

  it("reads each slice as the difference of the counts at its two edges: a burst shows in its slice only", () => {
    const burstAt = now - 3 * HOUR; // inside the eleventh slice of a 24 h window (4 h to 2 h ago)
    const countsFrom = (fromMs: number): Counts => ({ good: 100, bad: fromMs <= burstAt ? 100 : 0 });
    const figures = slaFigures(0.99, { now, windowMs: 24 * HOUR }, countsFrom);
    expect(figures.trend.map((t) => t.sli)).toEqual([...Array(10).fill(null), 0, null]);
    expect(figures.sli).toBe(0.5);
    expect(figures.status).toBe("breached");
  });

  it("has no SLI and no trend without traffic, and says no-data rather than 100 %", () => {
    const figures = slaFigures(0.999, { now, windowMs: 6 * HOUR }, () => ({ good: 0, bad: 0 }));
    expect(figures.sli).toBeNull();
    expect(figures.trend.every((t) => t.sli === null)).toBe(true);
    expect(figures.errorBudgetRemaining).toBeNull();
    expect(figures.status).toBe("no-data");
  });

  it("fires the fast page on a recent outage that the window's SLI barely shows", () => {
    // 1,000 good events an hour for 30 days; every event of the last 5 minutes failed.
    const countsFrom = (fromMs: number): Counts => {
      const base = steady(1000, 0)(fromMs);
      const outage = Math.min(5 * 60_000, now - fromMs);
      return { good: base.good - (1000 * outage) / HOUR, bad: (1000 * outage) / HOUR };
    };
    const figures = slaFigures(0.999, { now, windowMs: 7 * 24 * HOUR }, countsFrom);
    expect(figures.sli!).toBeGreaterThan(0.999);
    expect(figures.burnRates["5m"]).toBeCloseTo(1000, 6);
    expect(figures.alerts.fast).toBe(true);
    expect(figures.status).toBe("at-risk");
    expect(figures.firing[0]).toMatchObject({ tier: "fast" });
  });
});
