import "server-only";
import type { DestinationSetting } from "./domain/alerts/destination-settings";
import { seal, sealingKey, unseal } from "./sealing";

/**
 * Destinations admins add on the alerts page are kept sealed (lib/sealing.ts), as dead-letter
 * leases keep receipt handles: a webhook's key, a Slack URL (its path is the secret) and a
 * PagerDuty routing key are of no use to whoever reads the database. Sealed for the row's id, so a
 * value moved to another row is refused.
 */

/** In the outbox, the id of a destination kept in the store. */
export const STORED_DESTINATION_PREFIX = "db:";

const PURPOSE = "alert destinations";
const placeOf = (id: string) => `alert-destination:${id}`;

export function sealDestination(serverSecret: string, id: string, setting: DestinationSetting): string {
  return seal(sealingKey(serverSecret, PURPOSE), JSON.stringify(setting), placeOf(id));
}

/** The settings sealed for a row; throws UnsealError when sealed under another server secret or changed. */
export function openStoredDestination(
  serverSecret: string,
  stored: { id: string; sealed: string },
): DestinationSetting {
  return JSON.parse(unseal(sealingKey(serverSecret, PURPOSE), stored.sealed, placeOf(stored.id))) as DestinationSetting;
}
