import type { AlertNotification } from "./alert-state";
import type { DestinationKind } from "./destination-url";
import { pagerDutyEventOf } from "./pagerduty-event";
import { SIGNATURE_HEADER, signatureHeader } from "./signature";
import { slackMessageOf } from "./slack-message";
import { webhookPayloadOf } from "./webhook-payload";

/**
 * Where notifications go: a generic webhook (signed), a Slack incoming webhook, or PagerDuty's
 * Events API v2. Outbound only, to hosts on an allow-list outside local mode. What the outbox keeps
 * is the body without its secrets; the signature and the routing key are added as each try is sent.
 */

export type AlertDestination =
  | { id: string; kind: "webhook"; url: string; secret: string }
  | { id: string; kind: "slack"; url: string }
  | { id: string; kind: "pagerduty"; url: string; routingKey: string };

/** The body a destination of this kind is sent for a notification, as the outbox keeps it. */
export function bodyFor(kind: DestinationKind, notification: AlertNotification, now: number): string {
  if (kind === "slack") return JSON.stringify(slackMessageOf(notification));
  if (kind === "pagerduty") return JSON.stringify(pagerDutyEventOf(notification, now));
  return JSON.stringify(webhookPayloadOf(notification));
}

export interface OutboundRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A webhook notification's id in the outbox, the same on each try of it: delivery is at least once,
 * so a receiver that must act once drops an id it has seen.
 */
export const DELIVERY_HEADER = "X-Fanout-Delivery";

/** One try of a stored body: a webhook's signed at `now` with its delivery id, PagerDuty's with its routing key. */
export function requestFor(
  destination: AlertDestination,
  storedBody: string,
  now: number,
  deliveryId?: number,
): OutboundRequest {
  const headers = { "content-type": "application/json", "user-agent": "Fanout-Alerts" };
  if (destination.kind === "webhook")
    return {
      url: destination.url,
      headers: {
        ...headers,
        [SIGNATURE_HEADER]: signatureHeader(storedBody, destination.secret, now / 1000),
        ...(deliveryId !== undefined ? { [DELIVERY_HEADER]: String(deliveryId) } : {}),
      },
      body: storedBody,
    };
  if (destination.kind === "pagerduty") {
    const event = JSON.parse(storedBody) as Record<string, unknown>;
    return { url: destination.url, headers, body: JSON.stringify({ routing_key: destination.routingKey, ...event }) };
  }
  return { url: destination.url, headers, body: storedBody };
}
