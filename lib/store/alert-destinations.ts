import "server-only";
import type { Selectable } from "kysely";
import type { DestinationKind } from "../domain/alerts/destination-url";
import type { Store } from "./db";
import type { AlertDestinationsTable } from "./schema";

/**
 * The alert destinations admins add on the alerts page, per environment. The store keeps their
 * settings sealed by the caller (lib/operations/alert-destinations.ts): whoever reads the database
 * gets neither a webhook's key, nor a Slack URL, nor a PagerDuty routing key.
 */

export interface StoredAlertDestination {
  id: string;
  environment: string;
  name: string;
  kind: DestinationKind;
  /** Where it goes without its secrets. */
  target: string;
  sealed: string;
  createdBy: string;
  createdAt: number;
}

const fromRow = (r: Selectable<AlertDestinationsTable>): StoredAlertDestination => ({
  id: r.id,
  environment: r.environment,
  name: r.name,
  kind: r.kind as DestinationKind,
  target: r.target,
  sealed: r.sealed,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

/** Adds a destination; false, with nothing written, when its environment has one of that name. */
export async function addAlertDestination(db: Store, destination: StoredAlertDestination): Promise<boolean> {
  const result = await db
    .insertInto("alert_destinations")
    .values({
      id: destination.id,
      environment: destination.environment,
      name: destination.name,
      kind: destination.kind,
      target: destination.target,
      sealed: destination.sealed,
      created_by: destination.createdBy,
      created_at: destination.createdAt,
    })
    .onConflict((oc) => oc.columns(["environment", "name"]).doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) === 1n;
}

/** The destinations of an environment, oldest first. */
export async function listAlertDestinations(db: Store, environment: string): Promise<StoredAlertDestination[]> {
  const rows = await db
    .selectFrom("alert_destinations")
    .selectAll()
    .where("environment", "=", environment)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map(fromRow);
}

export async function getAlertDestination(db: Store, id: string): Promise<StoredAlertDestination | undefined> {
  const row = await db.selectFrom("alert_destinations").selectAll().where("id", "=", id).executeTakeFirst();
  return row && fromRow(row);
}

/** Removes a destination of an environment: the one removed, or undefined when there was none (any more). */
export async function removeAlertDestination(
  db: Store,
  environment: string,
  id: string,
): Promise<StoredAlertDestination | undefined> {
  const row = await db
    .deleteFrom("alert_destinations")
    .where("environment", "=", environment)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
  return row && fromRow(row);
}
