import "server-only";
import type { DestinationSetting } from "./domain/alerts/destination-settings";
import { seal, sealingKey, unseal } from "./sealing";

/**
 * Destinations admins add on the alerts page are kept sealed (lib/sealing.ts), as dead-letter
 * leases keep receipt handles: a webhook's key, a Slack URL (its path is the secret) and a
 * PagerDuty routing key are of no use to whoever reads the database. Sealed for the row's id and
 * environment, so a value moved to another row, or a row to another environment, is refused.
 */

/** In the outbox, the id of a destination kept in the store. */
export const STORED_DESTINATION_PREFIX = "db:";

const PURPOSE = "alert destinations";
type Place = { id: string; environment: string };
const placeOf = ({ id, environment }: Place) => `alert-destination:${environment}:${id}`;

export function sealDestination(serverSecret: string, place: Place, setting: DestinationSetting): string {
  return seal(sealingKey(serverSecret, PURPOSE), JSON.stringify(setting), placeOf(place));
}

/** The settings sealed for a row; throws UnsealError when sealed under another server secret or changed. */
export function openStoredDestination(serverSecret: string, stored: Place & { sealed: string }): DestinationSetting {
  return JSON.parse(unseal(sealingKey(serverSecret, PURPOSE), stored.sealed, placeOf(stored))) as DestinationSetting;
}
