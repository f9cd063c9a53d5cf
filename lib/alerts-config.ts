import "server-only";
import { resolveAlertsWebhookSecret } from "./auth/secret";
import type { AlertDestination, DestinationKind, DestinationPolicy } from "./domain/alerts/destinations";
import type { Config } from "./env";

/**
 * The alerts' destinations as configured: today the one webhook of FANOUT_ALERTS_WEBHOOK, for every
 * alert of every environment. The outbox names a destination by id and keeps bodies without
 * secrets; `destinationOf` adds them as each try is sent, so a changed secret signs what waits too.
 */

/** The id FANOUT_ALERTS_WEBHOOK's destination goes by in the outbox. */
export const WEBHOOK_DESTINATION_ID = "webhook";

/** Where notifications are put in the outbox for: each configured destination's id and kind. */
export function configuredDestinations(config: Pick<Config, "alertsWebhook">): { id: string; kind: DestinationKind }[] {
  return config.alertsWebhook ? [{ id: WEBHOOK_DESTINATION_ID, kind: "webhook" }] : [];
}

/** The destination of an id with its secrets, or undefined when it is not configured (any more). */
export function destinationOf(
  config: Pick<Config, "alertsWebhook" | "alertsWebhookSecret" | "dataDir">,
  id: string,
): AlertDestination | undefined {
  if (id !== WEBHOOK_DESTINATION_ID || !config.alertsWebhook) return undefined;
  return { id, kind: "webhook", url: config.alertsWebhook, secret: resolveAlertsWebhookSecret(config) };
}

export const destinationPolicyOf = (config: Pick<Config, "localMode" | "alertsAllowedHosts">): DestinationPolicy => ({
  localMode: config.localMode,
  allowedHosts: config.alertsAllowedHosts,
});

/** The console's own URL, for links in notifications: NEXTAUTH_URL, else where it listens on this machine. */
export const consoleBaseUrl = (config: Pick<Config, "authUrl" | "port">): string =>
  (config.authUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, "");
