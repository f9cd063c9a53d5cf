import "server-only";
import { resolveAlertsWebhookSecret, resolveAuthSecret } from "./auth/secret";
import {
  destinationWhere,
  type DestinationListing,
  type DestinationSetting,
} from "./domain/alerts/destination-settings";
import type { DestinationKind, DestinationPolicy } from "./domain/alerts/destination-url";
import type { AlertDestination } from "./domain/alerts/destinations";
import type { AlertRuleOverride } from "./domain/alerts/rules";
import type { Environment } from "./domain/environments";
import type { Config } from "./env";
import { openStoredDestination, STORED_DESTINATION_PREFIX } from "./sealed-destinations";
import { getAlertDestination, getStore, listAlertDestinations } from "./store";

/**
 * The alerts' destinations: the one webhook of FANOUT_ALERTS_WEBHOOK, for every alert of every
 * environment, each environment's own (`alerts.destinations` of FANOUT_ENVIRONMENTS), and those an
 * admin adds on the alerts page (in the store, `db:<id>`). The outbox names a destination by id and keeps bodies without secrets; `destinationOf` adds them
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

/** Where an environment's notifications go, those admins added on the alerts page included. */
export async function destinationsOfEnvironment(
  config: DestinationsConfig,
  environment: Pick<Environment, "id" | "alerts">,
): Promise<{ id: string; kind: DestinationKind }[]> {
  const stored = await listAlertDestinations(await getStore(), environment.id);
  return [
    ...configuredDestinations(config, environment),
    ...stored.map((d) => ({ id: `${STORED_DESTINATION_PREFIX}${d.id}`, kind: d.kind })),
  ];
}

/** What the configuration sends an environment's alerts to, for the alerts page: no secret, only where. */
export function configuredDestinationListing(
  config: Pick<Config, "alertsWebhook">,
  environment: Pick<Environment, "id" | "alerts">,
): DestinationListing[] {
  const quickStart: DestinationListing[] = config.alertsWebhook
    ? [
        {
          id: WEBHOOK_DESTINATION_ID,
          name: "quick start",
          kind: "webhook",
          where: destinationWhere({ url: config.alertsWebhook }),
          source: "quick-start",
        },
      ]
    : [];
  return [
    ...quickStart,
    ...(environment.alerts?.destinations ?? []).map((d): DestinationListing => ({
      id: environmentDestinationId(environment.id, d.name),
      name: d.name,
      kind: d.kind,
      where: destinationWhere(d),
      source: "environments-file",
    })),
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

type DestinationOfConfig = Pick<Config, "alertsWebhook" | "alertsWebhookSecret" | "dataDir"> & {
  environments: readonly Pick<Environment, "id" | "alerts">[];
};

/**
 * The destination of an id with its secrets, or undefined when it is not configured (any more):
 * one an admin added is read from the store and opened with the server secret as it is sent.
 */
export async function destinationOf(
  config: DestinationOfConfig & Pick<Config, "authSecret">,
  id: string,
): Promise<AlertDestination | undefined> {
  if (!id.startsWith(STORED_DESTINATION_PREFIX)) return configuredDestinationOf(config, id);
  const stored = await getAlertDestination(await getStore(), id.slice(STORED_DESTINATION_PREFIX.length));
  if (!stored) return undefined;
  return destinationWithSecrets(config, id, openStoredDestination(resolveAuthSecret(config), stored));
}

/** The destination of an id the configuration names, with its secrets; undefined when it names none. */
export function configuredDestinationOf(config: DestinationOfConfig, id: string): AlertDestination | undefined {
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
