/** What the SLA page says about a figure: its status, and where a resource's charts are. */
import type { BurnAlertTier } from "./budget";

export type SloStatus = "ok" | "at-risk" | "breached" | "no-data";

/**
 * no-data: no events in the window (never read as 100 %); breached: the 30-day error budget is
 * overspent; at-risk: below the objective over the window, or any burn-rate tier firing (page or
 * ticket: each spends the budget before the 30 days are out); ok otherwise.
 */
export function sloStatus(f: {
  sli: number | null;
  target: number;
  errorBudgetRemaining: number | null;
  alerts: Partial<Record<BurnAlertTier, boolean>>;
}): SloStatus {
  if (f.sli === null) return "no-data";
  if (f.errorBudgetRemaining !== null && f.errorBudgetRemaining < 0) return "breached";
  if (f.sli < f.target || f.alerts.fast || f.alerts.slow || f.alerts.ticket) return "at-risk";
  return "ok";
}

const STATUS_RANK: Record<SloStatus, number> = { breached: 3, "at-risk": 2, ok: 1, "no-data": 0 };

/** The more troubled of two statuses: a card showing two figures takes the worse one's colour. */
export function worseStatus(a: SloStatus, b: SloStatus): SloStatus {
  return STATUS_RANK[b] > STATUS_RANK[a] ? b : a;
}

export const SLO_STATUS_LABELS: Record<SloStatus, string> = {
  ok: "meeting objective",
  "at-risk": "at risk",
  breached: "budget exhausted",
  "no-data": "no traffic",
};

/** A resource whose charts the page links to. */
export interface ChartsTarget {
  kind: "topic" | "queue" | "function";
  name: string;
}

/** The page of a resource's charts. */
export function resourceChartsHref(target: ChartsTarget): string {
  return `/dashboards/resource?kind=${target.kind}&name=${encodeURIComponent(target.name)}`;
}

/**
 * Where a service's charts are: its own resource's, except for a subscription path, whose are its
 * queue's (where what it processed and dead-lettered shows).
 */
export function chartsTarget(s: {
  kind: "topic" | "queue" | "function" | "path";
  resource: string;
  queue?: string;
}): ChartsTarget {
  if (s.kind === "path") return { kind: "queue", name: s.queue ?? s.resource };
  return { kind: s.kind, name: s.resource };
}
