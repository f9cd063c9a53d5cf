import type { AlertNotification, AlertStatus } from "./alert-state";
import type { AlertRuleId } from "./rules";

/**
 * The generic webhook's JSON, exactly these fields: what a receiver of any kind can route on
 * (`rule`, `dedupKey`) and show (`summary`, `link`). `since` is when the firing began, also on the
 * resolved notification, so a receiver can tell how long it lasted.
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
}

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
});
