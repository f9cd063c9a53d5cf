import { dedupKeyOf, type AlertState } from "./alert-state";
import type { AlertRuleId } from "./rules";
import { silenceActive, silenceOf, type Silence } from "./silences";

/**
 * The alerts page's answer, from what the store keeps: what fires, what resolved lately, the
 * silences that hold, and for each alert whether its last notification is failing to arrive. Pure:
 * the operation reads the store and filters by the caller's bindings.
 */

/** Resolved alerts stay on the page for a day: long enough for the next on-call to see the night's. */
export const RECENT_ALERTS_MS = 24 * 60 * 60_000;

/** What the outbox says of one notification (lib/store/alert-outbox.ts), as far as the page needs it. */
export interface DeliveryRecord {
  dedupKey: string;
  destination: string;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  lastError?: string;
  deliveredAt?: number;
  givenUpAt?: number;
}

/** A notification that has not arrived: still tried after an error, or given up. */
export interface DeliveryFailure {
  destination: string;
  attempts: number;
  error: string;
  /** Absent once given up. */
  nextAttemptAt?: number;
  givenUpAt?: number;
}

export interface AlertView {
  /** The dedup key: one per rule and resource. */
  id: string;
  rule: AlertRuleId;
  resource: string;
  since: number;
  summary: string;
  link: string;
  resolvedAt?: number;
  /** The silence that holds its notifications now, if any. */
  silencedBy?: { id: string; until: number };
  /** Its latest notification to each destination that is failing to arrive. */
  deliveryFailures?: DeliveryFailure[];
}

export interface AlertsView {
  firing: AlertView[];
  recent: AlertView[];
  silences: Silence[];
}

/**
 * Of each destination's notifications of one alert, the latest: a failure shows until a later
 * notification to that destination arrives (a delivered resolve clears a failed fire).
 */
function failuresOf(deliveries: readonly DeliveryRecord[]): DeliveryFailure[] {
  const latest = new Map<string, DeliveryRecord>();
  for (const d of deliveries) {
    const known = latest.get(d.destination);
    if (!known || d.createdAt > known.createdAt) latest.set(d.destination, d);
  }
  return [...latest.values()].flatMap((d) =>
    d.deliveredAt !== undefined || d.lastError === undefined
      ? []
      : [
          {
            destination: d.destination,
            attempts: d.attempts,
            error: d.lastError,
            ...(d.givenUpAt !== undefined ? { givenUpAt: d.givenUpAt } : { nextAttemptAt: d.nextAttemptAt }),
          },
        ],
  );
}

/** The page's answer at `now`: firing alerts and those resolved within RECENT_ALERTS_MS, newest first. */
export function alertsViewOf(
  states: readonly AlertState[],
  silences: readonly Silence[],
  deliveries: readonly DeliveryRecord[],
  now: number,
): AlertsView {
  const byAlert = new Map<string, DeliveryRecord[]>();
  for (const d of deliveries) byAlert.set(d.dedupKey, [...(byAlert.get(d.dedupKey) ?? []), d]);
  const active = silences.filter((s) => silenceActive(s, now));
  const viewOf = (state: AlertState): AlertView => {
    const id = dedupKeyOf(state);
    const silence = state.status === "firing" ? silenceOf(active, state, now) : undefined;
    const failures = failuresOf(byAlert.get(id) ?? []);
    return {
      id,
      rule: state.rule,
      resource: state.resource,
      since: state.since,
      summary: state.summary,
      link: state.link,
      ...(state.resolvedAt !== undefined ? { resolvedAt: state.resolvedAt } : {}),
      ...(silence ? { silencedBy: { id: silence.id, until: silence.expiresAt } } : {}),
      ...(failures.length ? { deliveryFailures: failures } : {}),
    };
  };
  const newestFirst = (a: AlertView, b: AlertView) => b.since - a.since || a.id.localeCompare(b.id);
  return {
    firing: states
      .filter((s) => s.status === "firing")
      .map(viewOf)
      .sort(newestFirst),
    recent: states
      .filter((s) => s.status === "resolved" && (s.resolvedAt ?? s.evaluatedAt) >= now - RECENT_ALERTS_MS)
      .map(viewOf)
      .sort((a, b) => (b.resolvedAt ?? 0) - (a.resolvedAt ?? 0) || newestFirst(a, b)),
    silences: active,
  };
}

/**
 * Where an alert's link leads on the page: a console path (scoped to the page's environment unless
 * it names one), or an absolute http(s) address (the console's own, as notifications carry it).
 * Anything else is shown as text, never as a link.
 */
export function alertLinkOf(link: string): { kind: "console" | "scoped" | "absolute"; href: string } | undefined {
  if (link.startsWith("/") && !link.startsWith("//"))
    return { kind: link.startsWith("/e/") ? "scoped" : "console", href: link };
  try {
    const url = new URL(link);
    return url.protocol === "https:" || url.protocol === "http:" ? { kind: "absolute", href: url.href } : undefined;
  } catch {
    return undefined;
  }
}

/** The rules as the page names them. */
export const RULE_LABELS: Record<AlertRuleId, string> = {
  "dead-letters-arrived": "Dead letters arrived",
  "dead-letters-expiring": "Dead letters expiring",
  "burn-rate-page": "Error budget burning (page)",
  "burn-rate-ticket": "Error budget burning (ticket)",
  "consumer-paused": "Consumer paused",
  "redrive-job-failed": "Redrive job failed",
  "redrive-job-stuck": "Redrive job stuck",
  "alarm-state-changed": "Alarm changed state",
};
