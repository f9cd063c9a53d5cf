import { describe, expect, it } from "vitest";
import {
  BURN_WINDOWS,
  FAST_BURN_THRESHOLD,
  SLOW_BURN_THRESHOLD,
  burnAlerts,
  burnRate,
  burnWindowSeconds,
  errorBudgetRemaining,
} from "./budget";
import { sli, snsDeliveryCounts } from "./counts";

describe("errorBudgetRemaining", () => {
  it("is 0 when the SLI sits exactly at the target (9,990 / 10 at 99.9 %)", () => {
    expect(errorBudgetRemaining(sli(snsDeliveryCounts(9990, 10)), 0.999)).toBeCloseTo(0, 12);
  });

  it("goes below zero when overspent: 0.998 against 0.999 → −1", () => {
    expect(errorBudgetRemaining(0.998, 0.999)).toBeCloseTo(-1, 12);
  });

  it("is 1 with no failures and 0.5 with half the budget used", () => {
    expect(errorBudgetRemaining(1, 0.999)).toBe(1);
    // 1 − 0.0005 / 0.001 = 0.5.
    expect(errorBudgetRemaining(0.9995, 0.999)).toBeCloseTo(0.5, 12);
  });

  it("is null without data", () => {
    expect(errorBudgetRemaining(null, 0.999)).toBeNull();
  });

  it("refuses a target outside (0, 1)", () => {
    expect(() => errorBudgetRemaining(0.9, 1)).toThrow(RangeError);
    expect(() => errorBudgetRemaining(0.9, 0)).toThrow(RangeError);
    expect(() => errorBudgetRemaining(0.9, 99.9)).toThrow(RangeError);
  });
});

describe("burnRate", () => {
  it("is 1 at the target (the budget lasts exactly the window)", () => {
    expect(burnRate(sli(snsDeliveryCounts(9990, 10)), 0.999)).toBeCloseTo(1, 12);
  });

  it("is 2 at 0.998 against 0.999, 0 with no failures, 1000 when everything fails", () => {
    expect(burnRate(0.998, 0.999)).toBeCloseTo(2, 12);
    expect(burnRate(1, 0.999)).toBe(0);
    expect(burnRate(0, 0.999)).toBeCloseTo(1000, 9);
  });

  it("is null without data", () => {
    expect(burnRate(null, 0.999)).toBeNull();
  });

  it("refuses a target of 1", () => {
    expect(() => burnRate(1, 1)).toThrow(RangeError);
  });
});

describe("burn windows", () => {
  it("lists the windows with their lengths in seconds", () => {
    expect(BURN_WINDOWS).toEqual(["5m", "30m", "1h", "6h", "3d"]);
    expect(burnWindowSeconds).toEqual({ "5m": 300, "30m": 1800, "1h": 3600, "6h": 21600, "3d": 259200 });
  });

  it("uses the workbook thresholds: 2 % of a 30-day budget in 1 h, 5 % in 6 h", () => {
    expect(FAST_BURN_THRESHOLD).toBeCloseTo((0.02 * 30 * 24) / 1, 12);
    expect(SLOW_BURN_THRESHOLD).toBeCloseTo((0.05 * 30 * 24) / 6, 12);
  });
});

describe("burnAlerts", () => {
  it("fires fast only when both 1h and 5m are above 14.4", () => {
    expect(burnAlerts({ "1h": 15, "5m": 20 })).toEqual({ fast: true, slow: false });
    expect(burnAlerts({ "1h": 15, "5m": 2 })).toEqual({ fast: false, slow: false });
    expect(burnAlerts({ "1h": 2, "5m": 20 })).toEqual({ fast: false, slow: false });
  });

  it("fires slow only when both 6h and 30m are above 6", () => {
    expect(burnAlerts({ "6h": 7, "30m": 8 })).toEqual({ fast: false, slow: true });
    expect(burnAlerts({ "6h": 7, "30m": 5 })).toEqual({ fast: false, slow: false });
    expect(burnAlerts({ "6h": 5, "30m": 8 })).toEqual({ fast: false, slow: false });
  });

  it("does not fire at exactly the threshold (strict >)", () => {
    expect(burnAlerts({ "1h": 14.4, "5m": 14.4, "6h": 6, "30m": 6 })).toEqual({ fast: false, slow: false });
    expect(burnAlerts({ "1h": 14.400001, "5m": 14.400001, "6h": 6.000001, "30m": 6.000001 })).toEqual({
      fast: true,
      slow: true,
    });
  });

  it("fires both when everything burns", () => {
    expect(burnAlerts({ "5m": 100, "30m": 100, "1h": 100, "6h": 100, "3d": 100 })).toEqual({ fast: true, slow: true });
  });

  it("never fires on a null or missing rate", () => {
    expect(burnAlerts({})).toEqual({ fast: false, slow: false });
    expect(burnAlerts({ "1h": null, "5m": 100, "6h": 100, "30m": null })).toEqual({ fast: false, slow: false });
    expect(burnAlerts({ "1h": 100, "6h": 100 })).toEqual({ fast: false, slow: false });
  });

  it("does not alert on the 3-day window", () => {
    expect(burnAlerts({ "3d": 1000 })).toEqual({ fast: false, slow: false });
  });
});
