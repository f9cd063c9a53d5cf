import { createHash } from "node:crypto";
import type { AlertNotification } from "./alert-state";
import type { AlertRuleId } from "./rules";
import { alertDetailsOf } from "./webhook-payload";

/**
 * A PagerDuty Events API v2 alert event (PagerDuty Developer Docs, Events API v2, "Send an Alert
 * Event": Parameters and Alert De-Duplication): `trigger` while firing and `resolve` when resolved,
 * with the alert's dedup key, so every notification of one alert lands on one PagerDuty alert and a
 * resolve closes it. The routing key is added when the event is sent (lib/domain/alerts/destinations.ts),
 * so it is never stored with the event.
 */

export interface PagerDutyEvent {
  event_action: "trigger" | "resolve";
  dedup_key: string;
  payload?: {
    summary: string;
    source: string;
    severity: "critical" | "error" | "warning" | "info";
    timestamp: string;
    component: string;
    group: string;
    class: AlertRuleId;
    custom_details: Record<string, unknown>;
  };
  links?: { href: string; text: string }[];
  client?: string;
  client_url?: string;
}

/** Each rule's severity: a fast burn pages, what only needs looking at today is a warning. */
const SEVERITY: Record<AlertRuleId, NonNullable<PagerDutyEvent["payload"]>["severity"]> = {
  "dead-letters-arrived": "error",
  "dead-letters-expiring": "critical",
  "burn-rate-page": "critical",
  "burn-rate-ticket": "warning",
  "consumer-paused": "warning",
  "redrive-job-failed": "error",
  "redrive-job-stuck": "warning",
  "alarm-state-changed": "warning",
};

// "dedup_key: The maximum permitted length of this property is 255 characters"; summary 1024.
const MAX_DEDUP_KEY = 255;
const MAX_SUMMARY = 1024;

/** The dedup key as PagerDuty takes it: as it is, or when too long its start and a digest of the whole. */
export function pagerDutyDedupKey(dedupKey: string): string {
  if (dedupKey.length <= MAX_DEDUP_KEY) return dedupKey;
  const digest = createHash("sha256").update(dedupKey).digest("hex").slice(0, 32);
  return `${dedupKey.slice(0, MAX_DEDUP_KEY - digest.length - 1)}~${digest}`;
}

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

export function pagerDutyEventOf(notification: AlertNotification, now: number): PagerDutyEvent {
  const dedupKey = pagerDutyDedupKey(notification.dedupKey);
  if (notification.status === "resolved") return { event_action: "resolve", dedup_key: dedupKey };
  return {
    event_action: "trigger",
    dedup_key: dedupKey,
    payload: {
      summary: clip(notification.summary, MAX_SUMMARY),
      source: notification.resource,
      severity: SEVERITY[notification.rule],
      timestamp: new Date(now).toISOString(),
      component: notification.resource,
      group: `${notification.environment}/${notification.region}`,
      class: notification.rule,
      custom_details: {
        environment: notification.environment,
        region: notification.region,
        since: new Date(notification.since).toISOString(),
        reason: notification.reason,
        // The webhook's details, flat, as PagerDuty shows custom details as a list of fields.
        ...(notification.news ? alertDetailsOf(notification.news) : {}),
      },
    },
    links: [
      { href: notification.link, text: "Open in Fanout" },
      ...(notification.news?.traceLink
        ? [{ href: notification.news.traceLink, text: "The newest letter's trace" }]
        : []),
    ],
    client: "Fanout",
    client_url: notification.link,
  };
}
