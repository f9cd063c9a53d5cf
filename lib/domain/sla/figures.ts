/** One service's figures over a window: SLI, trend, 30-day budget, burn rates and what they set off. */
import {
  BURN_WINDOWS,
  burnAlerts,
  burnLevel,
  burnRate,
  burnWindowSeconds,
  errorBudgetRemaining,
  firingAlerts,
  type BurnAlertTier,
  type BurnLevel,
  type BurnWindow,
  type FiringAlert,
} from "./budget";
import { sli, type Counts } from "./counts";
import { SLO_WINDOW_DAYS } from "./objectives";
import { sloStatus, type SloStatus } from "./status";

export interface SlaFigures {
  sli: number | null;
  target: number;
  /** Over the 30-day SLO window, whatever the window asked for. */
  errorBudgetRemaining: number | null;
  burnRates: Record<BurnWindow, number | null>;
  /** Which burn-rate tiers fire: fast and slow page, ticket files a ticket (lib/domain/sla/budget.ts). */
  alerts: Record<BurnAlertTier, boolean>;
  /** Good and bad events over the window. */
  counts: Counts;
  /** The SLI over each twelfth of the window, oldest first (null: no traffic then). */
  trend: Array<{ at: string; sli: number | null }>;
  /** The figure's status as lib/domain/sla decides it (sloStatus). */
  status: SloStatus;
  /** The firing tiers, most urgent first, each labelled "page" or "ticket". */
  firing: FiringAlert[];
  /** Each burn rate's badge, judged by its own tier's threshold. */
  burnLevels: Record<BurnWindow, BurnLevel>;
}

/** Slices of the window the trend shows. */
export const TREND_SLICES = 12;

/**
 * The figures of a service with objective `target` over the `windowMs` before `now`. `countsFrom`
 * gives the good and bad events from an instant to now; every figure is a difference of those
 * (a trend slice is the counts from its start minus the counts from the next slice's start).
 */
export function slaFigures(
  target: number,
  span: { now: number; windowMs: number },
  countsFrom: (fromMs: number) => Counts,
): SlaFigures {
  const { now, windowMs } = span;
  const counts = countsFrom(now - windowMs);
  const edges = Array.from({ length: TREND_SLICES + 1 }, (_, i) => now - windowMs + (i * windowMs) / TREND_SLICES);
  const fromEdge = edges.map((edge) => countsFrom(edge));
  const trend = edges.slice(0, TREND_SLICES).map((edge, i) => {
    const a = fromEdge[i]!;
    const b = fromEdge[i + 1]!;
    return {
      at: new Date(edge).toISOString(),
      sli: sli({ good: Math.max(0, a.good - b.good), bad: Math.max(0, a.bad - b.bad) }),
    };
  });
  const burnRates = Object.fromEntries(
    BURN_WINDOWS.map((w) => [w, burnRate(sli(countsFrom(now - burnWindowSeconds[w] * 1000)), target)]),
  ) as Record<BurnWindow, number | null>;
  const decided = {
    sli: sli(counts),
    target,
    errorBudgetRemaining: errorBudgetRemaining(sli(countsFrom(now - SLO_WINDOW_DAYS * 86_400_000)), target),
    burnRates,
    alerts: burnAlerts(burnRates),
  };
  return {
    ...decided,
    counts,
    trend,
    status: sloStatus(decided),
    firing: firingAlerts(decided.alerts),
    burnLevels: Object.fromEntries(BURN_WINDOWS.map((w) => [w, burnLevel(w, burnRates[w])])) as Record<
      BurnWindow,
      BurnLevel
    >,
  };
}
