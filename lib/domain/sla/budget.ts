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
  "3d": 3 * 24 * 60 * 60,
};

/** 2 % of a 30-day budget in 1 hour: 0.02 × 720 h / 1 h (SRE workbook "Alerting on SLOs"). */
export const FAST_BURN_THRESHOLD = 14.4;
/** 5 % of a 30-day budget in 6 hours: 0.05 × 720 h / 6 h. */
export const SLOW_BURN_THRESHOLD = 6;
/** 10 % of a 30-day budget in 3 days: 0.1 × 720 h / 72 h. */
export const TICKET_BURN_THRESHOLD = 1;

export type BurnAlertTier = "fast" | "slow" | "ticket";

/**
 * The workbook's three multiwindow tiers (SRE workbook "Alerting on SLOs", "Multiwindow,
 * Multi-Burn-Rate Alerts"): page at 14.4 over 1 h and 5 m, page at 6 over 6 h and 30 m, ticket at
 * 1 over 3 d and 6 h. The short window (1/12 of the long one) makes the alert stop soon after the
 * burning stops.
 */
export const BURN_ALERT_TIERS: readonly {
  tier: BurnAlertTier;
  severity: "page" | "ticket";
  threshold: number;
  long: BurnWindow;
  short: BurnWindow;
  budgetSpent: number;
}[] = [
  { tier: "fast", severity: "page", threshold: FAST_BURN_THRESHOLD, long: "1h", short: "5m", budgetSpent: 0.02 },
  { tier: "slow", severity: "page", threshold: SLOW_BURN_THRESHOLD, long: "6h", short: "30m", budgetSpent: 0.05 },
  { tier: "ticket", severity: "ticket", threshold: TICKET_BURN_THRESHOLD, long: "3d", short: "6h", budgetSpent: 0.1 },
];

function above(rate: number | null | undefined, threshold: number): boolean {
  return rate !== null && rate !== undefined && rate > threshold;
}

/**
 * Which of the three tiers fire: a tier fires when the burn rate over both its long and its short
 * window is above its threshold. Strictly greater: burning at exactly the threshold is the
 * budgeted edge, not an incident. A missing or null rate (no data) never fires.
 */
export function burnAlerts(rates: Partial<Record<BurnWindow, number | null>>): Record<BurnAlertTier, boolean> {
  const fires = (t: (typeof BURN_ALERT_TIERS)[number]) =>
    above(rates[t.long], t.threshold) && above(rates[t.short], t.threshold);
  return Object.fromEntries(BURN_ALERT_TIERS.map((t) => [t.tier, fires(t)])) as Record<BurnAlertTier, boolean>;
}

export interface FiringAlert {
  tier: BurnAlertTier;
  severity: "page" | "ticket";
  /** What the page shows, e.g. "page: burning over 14.4× for 1h and 5m (2 % of the budget in 1h)". */
  label: string;
}

/** The firing tiers, most urgent first, each labelled with its severity and its rule. */
export function firingAlerts(alerts: Partial<Record<BurnAlertTier, boolean>>): FiringAlert[] {
  return BURN_ALERT_TIERS.filter((t) => alerts[t.tier]).map((t) => ({
    tier: t.tier,
    severity: t.severity,
    label: `${t.severity}: burning over ${t.threshold}× for ${t.long} and ${t.short} (${Math.round(t.budgetSpent * 100)} % of the budget in ${t.long})`,
  }));
}

/**
 * The threshold a burn-rate badge is judged by: that of the tier whose long window it is (1h: 14.4,
 * 6h: 6, 3d: 1), or whose short window it is for the page tiers (5m: 14.4, 30m: 6).
 */
export function burnWindowThreshold(window: BurnWindow): number {
  const tier = BURN_ALERT_TIERS.find((t) => t.long === window) ?? BURN_ALERT_TIERS.find((t) => t.short === window);
  return tier!.threshold;
}

export type BurnLevel = "none" | "cool" | "warm" | "hot";

/** A burn rate's badge: no data, at most 1 (within budget), above 1, or above its window's alert threshold. */
export function burnLevel(window: BurnWindow, rate: number | null): BurnLevel {
  if (rate === null) return "none";
  if (rate > burnWindowThreshold(window)) return "hot";
  return rate > 1 ? "warm" : "cool";
}
