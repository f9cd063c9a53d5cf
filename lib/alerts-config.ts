import "server-only";
import { resolveAlertsWebhookSecret } from "./auth/secret";
import type { DestinationSetting } from "./domain/alerts/destination-settings";
import type { AlertDestination, DestinationKind, DestinationPolicy } from "./domain/alerts/destinations";
import type { AlertRuleOverride } from "./domain/alerts/rules";
import type { Environment } from "./domain/environments";
import type { Config } from "./env";

/**
 * The alerts' destinations as configured: the one webhook of FANOUT_ALERTS_WEBHOOK, for every alert
 * of every environment, and each environment's own (`alerts.destinations` of FANOUT_ENVIRONMENTS).
 * The outbox names a destination by id and keeps bodies without secrets; `destinationOf` adds them
 * as each try is sent, so a changed secret signs what waits too.
 */

/** The id FANOUT_ALERTS_WEBHOOK's destination goes by in the outbox. */
export const WEBHOOK_DESTINATION_ID = "webhook";

const ENVIRONMENT_PREFIX = "env:";

/** The id of an environment's destination in the outbox: its name is unique in the environment. */
export const environmentDestinationId = (environmentId: string, name: string): string =>
  `${ENVIRONMENT_PREFIX}${environmentId}:${name}`;

type DestinationsConfig = Pick<Config, "alertsWebhook"> & {
  environments: readonly Pick<Environment, "id" | "alerts">[];
};

/**
 * Where notifications are put in the outbox for: each configured destination's id and kind. Those
 * of an environment's alerts, or, without one, of any environment's (whether anybody is told at all).
 */
export function configuredDestinations(
  config: DestinationsConfig,
  environment?: Pick<Environment, "id" | "alerts">,
): { id: string; kind: DestinationKind }[] {
  const quickStart = config.alertsWebhook ? [{ id: WEBHOOK_DESTINATION_ID, kind: "webhook" as const }] : [];
  const environments = environment ? [environment] : config.environments;
  return [
    ...quickStart,
    ...environments.flatMap(({ id, alerts }) =>
      (alerts?.destinations ?? []).map((d) => ({ id: environmentDestinationId(id, d.name), kind: d.kind })),
    ),
  ];
}

/** An environment's rule overrides, none when it declares none. */
export function ruleOverridesOf(environment: Pick<Environment, "alerts"> | undefined): readonly AlertRuleOverride[] {
  return environment?.alerts?.rules ?? [];
}

/** A configured destination with its secrets; a webhook without its own signs with the quick start's key. */
export function destinationWithSecrets(
  config: Pick<Config, "alertsWebhookSecret" | "dataDir">,
  id: string,
  setting: DestinationSetting,
): AlertDestination {
  if (setting.kind === "webhook")
    return { id, kind: "webhook", url: setting.url, secret: setting.secret ?? resolveAlertsWebhookSecret(config) };
  if (setting.kind === "pagerduty") return { id, kind: "pagerduty", url: setting.url, routingKey: setting.routingKey };
  return { id, kind: "slack", url: setting.url };
}

/** The destination of an id with its secrets, or undefined when it is not configured (any more). */
export function destinationOf(
  config: Pick<Config, "alertsWebhook" | "alertsWebhookSecret" | "dataDir"> & {
    environments: readonly Pick<Environment, "id" | "alerts">[];
  },
  id: string,
): AlertDestination | undefined {
  if (id === WEBHOOK_DESTINATION_ID) {
    if (!config.alertsWebhook) return undefined;
    return { id, kind: "webhook", url: config.alertsWebhook, secret: resolveAlertsWebhookSecret(config) };
  }
  if (!id.startsWith(ENVIRONMENT_PREFIX)) return undefined;
  // Environment ids have no colon; a destination's name has none either.
  const rest = id.slice(ENVIRONMENT_PREFIX.length);
  const colon = rest.indexOf(":");
  const environment = config.environments.find((e) => e.id === rest.slice(0, colon));
  const setting = environment?.alerts?.destinations.find((d) => d.name === rest.slice(colon + 1));
  return setting ? destinationWithSecrets(config, id, setting) : undefined;
}

export const destinationPolicyOf = (config: Pick<Config, "localMode" | "alertsAllowedHosts">): DestinationPolicy => ({
  localMode: config.localMode,
  allowedHosts: config.alertsAllowedHosts,
});

/** The console's own URL, for links in notifications: NEXTAUTH_URL, else where it listens on this machine. */
export const consoleBaseUrl = (config: Pick<Config, "authUrl" | "port">): string =>
  (config.authUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, "");
