import type { AlertNews, AlertNotification, AlertStatus } from "./alert-state";
import type { AlertRuleId } from "./rules";

/**
 * The generic webhook's JSON: the fields, what a receiver of any kind can route on (`rule`,
 * `dedupKey`) and show (`summary`, `link`), and `details` when the notification tells of new dead
 * letters. `since` is when the firing began, also on the resolved notification, so a receiver can
 * tell how long it lasted.
 */
export interface WebhookPayload {
  status: AlertStatus;
  rule: AlertRuleId;
  environment: string;
  region: string;
  resource: string;
  dedupKey: string;
  summary: string;
  link: string;
  /** ISO 8601. */
  since: string;
  details?: AlertDetails;
}

/** What arrived, for a receiver to read without parsing the summary; the optional parts when known. */
export interface AlertDetails {
  /** Dead letters that arrived since the last notification. */
  arrived: number;
  /** The id of the newest letter a peek of the DLQ got (of up to 10: on a fuller DLQ, the newest of those). */
  newestMessageId?: string;
  /** The first error of its failed invocation, from its trace. */
  firstError?: string;
  /** The console's page of its trace. */
  traceLink?: string;
}

export const alertDetailsOf = (news: AlertNews): AlertDetails => ({
  arrived: news.count,
  ...(news.newestId !== undefined ? { newestMessageId: news.newestId } : {}),
  ...(news.firstError !== undefined ? { firstError: news.firstError } : {}),
  ...(news.traceLink !== undefined ? { traceLink: news.traceLink } : {}),
});

export const webhookPayloadOf = (notification: AlertNotification): WebhookPayload => ({
  status: notification.status,
  rule: notification.rule,
  environment: notification.environment,
  region: notification.region,
  resource: notification.resource,
  dedupKey: notification.dedupKey,
  summary: notification.summary,
  link: notification.link,
  since: new Date(notification.since).toISOString(),
  ...(notification.news ? { details: alertDetailsOf(notification.news) } : {}),
});
