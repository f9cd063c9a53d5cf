import { describe, expect, it } from "vitest";
import {
  BURN_ALERT_TIERS,
  BURN_WINDOWS,
  FAST_BURN_THRESHOLD,
  SLOW_BURN_THRESHOLD,
  TICKET_BURN_THRESHOLD,
  burnAlerts,
  burnLevel,
  burnRate,
  burnWindowSeconds,
  burnWindowThreshold,
  errorBudgetRemaining,
  firingAlerts,
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
    expect(burnAlerts({ "1h": 15, "5m": 20 })).toMatchObject({ fast: true, slow: false });
    expect(burnAlerts({ "1h": 15, "5m": 2 })).toMatchObject({ fast: false, slow: false });
    expect(burnAlerts({ "1h": 2, "5m": 20 })).toMatchObject({ fast: false, slow: false });
  });

  it("fires slow only when both 6h and 30m are above 6", () => {
    expect(burnAlerts({ "6h": 7, "30m": 8 })).toMatchObject({ fast: false, slow: true });
    expect(burnAlerts({ "6h": 7, "30m": 5 })).toMatchObject({ fast: false, slow: false });
    expect(burnAlerts({ "6h": 5, "30m": 8 })).toMatchObject({ fast: false, slow: false });
  });

  it("does not fire at exactly the threshold (strict >)", () => {
    expect(burnAlerts({ "1h": 14.4, "5m": 14.4, "6h": 6, "30m": 6, "3d": 1 })).toEqual({
      fast: false,
      slow: false,
      ticket: false,
    });
    expect(burnAlerts({ "1h": 14.400001, "5m": 14.400001, "6h": 6.000001, "30m": 6.000001, "3d": 1.000001 })).toEqual({
      fast: true,
      slow: true,
      ticket: true,
    });
  });

  it("fires every tier when everything burns", () => {
    expect(burnAlerts({ "5m": 100, "30m": 100, "1h": 100, "6h": 100, "3d": 100 })).toEqual({
      fast: true,
      slow: true,
      ticket: true,
    });
  });

  it("never fires on a null or missing rate", () => {
    expect(burnAlerts({})).toMatchObject({ fast: false, slow: false });
    expect(burnAlerts({ "1h": null, "5m": 100, "6h": 100, "30m": null })).toMatchObject({ fast: false, slow: false });
    expect(burnAlerts({ "1h": 100, "6h": 100 })).toMatchObject({ fast: false, slow: false });
  });

  it("fires the ticket tier only when both 3d and 6h are above 1", () => {
    expect(burnAlerts({ "3d": 1.5, "6h": 1.2 })).toEqual({ fast: false, slow: false, ticket: true });
    expect(burnAlerts({ "3d": 1000 })).toEqual({ fast: false, slow: false, ticket: false });
    expect(burnAlerts({ "3d": 1.5, "6h": 0.9 })).toEqual({ fast: false, slow: false, ticket: false });
    expect(burnAlerts({ "3d": 1, "6h": 5 })).toEqual({ fast: false, slow: false, ticket: false });
  });
});

describe("the three tiers and their labels", () => {
  it("are the workbook's: page 14.4 (1h, 5m), page 6 (6h, 30m), ticket 1 (3d, 6h)", () => {
    expect(BURN_ALERT_TIERS.map((t) => [t.tier, t.severity, t.threshold, t.long, t.short])).toEqual([
      ["fast", "page", 14.4, "1h", "5m"],
      ["slow", "page", 6, "6h", "30m"],
      ["ticket", "ticket", 1, "3d", "6h"],
    ]);
    expect(TICKET_BURN_THRESHOLD).toBeCloseTo((0.1 * 30 * 24) / 72, 12);
  });

  it("labels each firing alert page or ticket, most urgent first", () => {
    expect(firingAlerts({ fast: false, slow: false, ticket: false })).toEqual([]);
    const all = firingAlerts({ fast: true, slow: true, ticket: true });
    expect(all.map((a) => [a.tier, a.severity])).toEqual([
      ["fast", "page"],
      ["slow", "page"],
      ["ticket", "ticket"],
    ]);
    expect(all[0]!.label).toBe("page: burning over 14.4× for 1h and 5m (2 % of the budget in 1h)");
    expect(all[2]!.label).toBe("ticket: burning over 1× for 3d and 6h (10 % of the budget in 3d)");
  });
});

describe("burnLevel", () => {
  it("judges each window by its own tier: 5m and 1h by 14.4, 30m and 6h by 6, 3d by 1", () => {
    expect(burnLevel("5m", 14.5)).toBe("hot");
    expect(burnLevel("1h", 14.4)).toBe("warm");
    expect(burnLevel("30m", 6.1)).toBe("hot");
    expect(burnLevel("6h", 5)).toBe("warm");
    expect(burnLevel("3d", 1.01)).toBe("hot");
    expect(burnLevel("3d", 1)).toBe("cool");
    expect(burnLevel("3d", 5)).toBe("hot");
  });

  it("is cool at or below 1 and none without data", () => {
    expect(burnLevel("1h", 1)).toBe("cool");
    expect(burnLevel("1h", 0)).toBe("cool");
    expect(burnLevel("6h", null)).toBe("none");
  });

  it("gives each window the threshold of its tier", () => {
    expect(BURN_WINDOWS.map((w) => burnWindowThreshold(w))).toEqual([14.4, 6, 14.4, 6, 1]);
  });
});
