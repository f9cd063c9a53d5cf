/**
 * Error budgets and burn rates (SRE workbook, "Implementing SLOs" and "Alerting on SLOs").
 * The budget is the fraction of events allowed to fail over the SLO window: 1 − target.
 */

function assertTarget(target: number): void {
  // A target of 1 leaves no budget (division by zero); outside (0, 1) it is not an objective.
  // parseObjectives never produces one, so reaching this is a programming error.
  if (!(target > 0 && target < 1)) throw new RangeError(`SLO target must be in (0, 1), got ${target}`);
}

/**
 * Share of the error budget left: 1 − (1 − sli) / (1 − target). 1 = untouched, 0 = spent,
 * below zero = overspent (kept, so the page can say by how much). null sli (no data) → null.
 */
export function errorBudgetRemaining(sli: number | null, target: number): number | null {
  assertTarget(target);
  if (sli === null) return null;
  return 1 - (1 - sli) / (1 - target);
}

/**
 * How fast the budget burns over a window: (1 − sli over the window) / (1 − target).
 * 1 spends exactly the budget over the SLO window; N spends it N times faster. null → null.
 */
export function burnRate(sli: number | null, target: number): number | null {
  assertTarget(target);
  if (sli === null) return null;
  return (1 - sli) / (1 - target);
}

export const BURN_WINDOWS = ["5m", "30m", "1h", "6h", "3d"] as const;
export type BurnWindow = (typeof BURN_WINDOWS)[number];

export const burnWindowSeconds: Record<BurnWindow, number> = {
  "5m": 5 * 60,
  "30m": 30 * 60,
  "1h": 60 * 60,
  "6h": 6 * 60 * 60,
  // The workbook's ticket tier (burn rate 1 over 3 days): shown, not alerted on here.
  "3d": 3 * 24 * 60 * 60,
};

/** 2 % of a 30-day budget in 1 hour: 0.02 × 720 h / 1 h (SRE workbook "Alerting on SLOs"). */
export const FAST_BURN_THRESHOLD = 14.4;
/** 5 % of a 30-day budget in 6 hours: 0.05 × 720 h / 6 h. */
export const SLOW_BURN_THRESHOLD = 6;

function above(rate: number | null | undefined, threshold: number): boolean {
  return rate !== null && rate !== undefined && rate > threshold;
}

/**
 * Multiwindow, multi-burn-rate alerts (SRE workbook "Alerting on SLOs",
 * "Multiwindow, Multi-Burn-Rate Alerts"):
 * fast = burn over 1h > 14.4 AND over 5m > 14.4; slow = over 6h > 6 AND over 30m > 6.
 * The short window (1/12 of the long one) makes the alert stop soon after the burning stops.
 * Strictly greater: burning at exactly the threshold is the budgeted edge, not an incident.
 * A missing or null rate (no data) never fires.
 */
export function burnAlerts(rates: Partial<Record<BurnWindow, number | null>>): { fast: boolean; slow: boolean } {
  return {
    fast: above(rates["1h"], FAST_BURN_THRESHOLD) && above(rates["5m"], FAST_BURN_THRESHOLD),
    slow: above(rates["6h"], SLOW_BURN_THRESHOLD) && above(rates["30m"], SLOW_BURN_THRESHOLD),
  };
}
