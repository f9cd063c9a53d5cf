import { describe, expect, it } from "vitest";
import { FINE_READ_HOURS, mergeReads, sloReads } from "./history";
import { SLO_WINDOW_DAYS } from "./objectives";

const HOUR = 3600_000;

describe("sloReads", () => {
  it("covers the 30 days before now without a gap: hourly, then by the minute from an hour boundary", () => {
    const now = Date.UTC(2026, 11, 1, 12, 34, 56, 789);
    const { coarse, fine } = sloReads(now);
    expect(coarse.period).toBe(3600);
    expect(fine.period).toBe(60);
    expect(coarse.start.getTime() % HOUR).toBe(0);
    expect(coarse.start.getTime()).toBeLessThanOrEqual(now - SLO_WINDOW_DAYS * 86_400_000);
    expect(coarse.end).toEqual(fine.start);
    expect(fine.start.getTime() % HOUR).toBe(0);
    expect(fine.end.getTime()).toBe(now);
    // The fine read covers at least the last FINE_READ_HOURS hours and less than one hour more.
    expect(now - fine.start.getTime()).toBeGreaterThanOrEqual(FINE_READ_HOURS * HOUR - HOUR);
    expect(now - fine.start.getTime()).toBeLessThanOrEqual(FINE_READ_HOURS * HOUR);
  });

  it("starts the fine read exactly FINE_READ_HOURS back when now is on an hour", () => {
    const now = Date.UTC(2026, 11, 1, 12);
    expect(sloReads(now).fine.start.getTime()).toBe(now - FINE_READ_HOURS * HOUR);
  });
});

describe("mergeReads", () => {
  it("keeps the coarse buckets before the fine read and all of the fine read, so no bucket counts twice", () => {
    const fineStart = new Date(10 * HOUR);
    const coarse = new Map([
      ["a", [8, 9, 10].map((h) => ({ at: h * HOUR, value: 60 }))],
      ["b", [{ at: 9 * HOUR, value: 1 }]],
    ]);
    const fine = new Map([["a", [0, 1].map((m) => ({ at: 10 * HOUR + m * 60_000, value: 1 }))]]);
    const merged = mergeReads(["a", "b", "c"], coarse, fine, fineStart);
    expect(merged.get("a")!.map((p) => p.at)).toEqual([8 * HOUR, 9 * HOUR, 10 * HOUR, 10 * HOUR + 60_000]);
    expect(merged.get("a")!.map((p) => p.value)).toEqual([60, 60, 1, 1]);
    expect(merged.get("b")).toEqual([{ at: 9 * HOUR, value: 1 }]);
    expect(merged.get("c")).toEqual([]);
  });
});
