import "server-only";
import type { Selectable } from "kysely";
import type { Scope } from "../domain/scope";
import { storeBackendOf, type Store } from "./db";
import type { AlertOutboxTable } from "./schema";

/**
 * The outbox of alert notifications, one row per notification and destination (written with the
 * alert's state, lib/store/alerts.ts). A deliverer claims due rows for a while under a fencing
 * token, so that no two replicas send a row at the same time, and settles each row with the token
 * it claimed it under: a deliverer whose claim ran out and was taken over changes nothing.
 */

export interface Delivery {
  id: number;
  environment: string;
  region: string;
  dedupKey: string;
  destination: string;
  payload: string;
  createdAt: number;
  /** Tries made so far. */
  attempts: number;
  nextAttemptAt: number;
  lastAttemptAt?: number;
  lastError?: string;
  deliveredAt?: number;
  givenUpAt?: number;
}

/** A row claimed: the token it was claimed under, which settling it must still hold. */
export interface ClaimedDelivery extends Delivery {
  claim: { owner: string; token: number };
}

const fromRow = (r: Selectable<AlertOutboxTable>): Delivery => ({
  id: r.id,
  environment: r.environment,
  region: r.region,
  dedupKey: r.dedup_key,
  destination: r.destination,
  payload: r.payload,
  createdAt: r.created_at,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  ...(r.last_attempt_at !== null ? { lastAttemptAt: r.last_attempt_at } : {}),
  ...(r.last_error !== null ? { lastError: r.last_error } : {}),
  ...(r.delivered_at !== null ? { deliveredAt: r.delivered_at } : {}),
  ...(r.given_up_at !== null ? { givenUpAt: r.given_up_at } : {}),
});

/**
 * Claims up to `limit` due rows for `owner` until `now + claimMs`, raising each one's token. A row
 * is due when it is neither delivered nor given up, its next try has come, nobody's claim on it
 * runs, and it is the earliest unsettled notification of its alert to its destination: a
 * destination never hears an alert resolve before it heard it fire. One statement whose conditions
 * are checked again on each row it updates (in PostgreSQL, on the row as another claim left it),
 * so of deliverers claiming at once each row goes to one. `db` is a store, not a transaction.
 */
export async function claimDueDeliveries(
  db: Store,
  owner: string,
  now: number,
  options: { limit: number; claimMs: number },
): Promise<ClaimedDelivery[]> {
  const due = db
    .selectFrom("alert_outbox as o")
    .select("o.id")
    .where("o.delivered_at", "is", null)
    .where("o.given_up_at", "is", null)
    .where("o.next_attempt_at", "<=", now)
    .where((eb) => eb.or([eb("o.claimed_until", "is", null), eb("o.claimed_until", "<=", now)]))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("alert_outbox as earlier")
            .select("earlier.id")
            .whereRef("earlier.destination", "=", "o.destination")
            .whereRef("earlier.dedup_key", "=", "o.dedup_key")
            .whereRef("earlier.id", "<", "o.id")
            .where("earlier.delivered_at", "is", null)
            .where("earlier.given_up_at", "is", null),
        ),
      ),
    )
    .orderBy("o.next_attempt_at")
    .orderBy("o.id")
    .limit(options.limit);
  // In PostgreSQL, rows another deliverer is claiming right now are passed over rather than waited
  // for (SELECT, The Locking Clause: SKIP LOCKED), so replicas claiming at once share the due rows.
  // SQLite's one connection claims for one deliverer at a time.
  const candidates = storeBackendOf(db) === "postgresql" ? due.forUpdate().skipLocked() : due;
  const rows = await db
    .updateTable("alert_outbox")
    .set((eb) => ({ claimed_by: owner, claimed_until: now + options.claimMs, claim_token: eb("claim_token", "+", 1) }))
    .where("id", "in", candidates)
    .where("delivered_at", "is", null)
    .where("given_up_at", "is", null)
    .where((eb) => eb.or([eb("claimed_until", "is", null), eb("claimed_until", "<=", now)]))
    .returningAll()
    .execute();
  return rows
    .map((r) => ({ ...fromRow(r), claim: { owner, token: r.claim_token } }))
    .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id - b.id);
}

/** How one try ended: delivered, to be tried again at a time, or given up. */
export type TryOutcome =
  { kind: "delivered" } | { kind: "retry"; error: string; nextAttemptAt: number } | { kind: "give-up"; error: string };

/**
 * Settles a claimed row's try and lets go of the claim; false (nothing changed) when the claim no
 * longer holds the row.
 */
export async function settleDelivery(
  db: Store,
  row: ClaimedDelivery,
  outcome: TryOutcome,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable("alert_outbox")
    .set((eb) => ({
      attempts: eb("attempts", "+", 1),
      last_attempt_at: now,
      claimed_by: null,
      claimed_until: null,
      ...(outcome.kind === "delivered" ? { delivered_at: now } : { last_error: outcome.error }),
      ...(outcome.kind === "retry" ? { next_attempt_at: outcome.nextAttemptAt } : {}),
      ...(outcome.kind === "give-up" ? { given_up_at: now } : {}),
    }))
    .where("id", "=", row.id)
    .where("claimed_by", "=", row.claim.owner)
    .where("claim_token", "=", row.claim.token)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/**
 * The outbox of an environment and region, newest first: what was sent, what waits for its next
 * try and why the last one failed, what was given up.
 */
export async function listDeliveries(
  db: Store,
  scope: Scope,
  filter: { undelivered?: boolean; limit?: number } = {},
): Promise<Delivery[]> {
  let query = db
    .selectFrom("alert_outbox")
    .selectAll()
    .where("environment", "=", scope.environment)
    .where("region", "=", scope.region);
  if (filter.undelivered) query = query.where("delivered_at", "is", null);
  const rows = await query
    .orderBy("id", "desc")
    .limit(filter.limit ?? 100)
    .execute();
  return rows.map(fromRow);
}

/** Deletes settled rows (delivered or given up) settled before `before`: the page shows recent ones only. */
export async function pruneDeliveries(db: Store, before: number): Promise<number> {
  const result = await db
    .deleteFrom("alert_outbox")
    .where((eb) =>
      eb.or([
        eb.and([eb("delivered_at", "is not", null), eb("delivered_at", "<", before)]),
        eb.and([eb("given_up_at", "is not", null), eb("given_up_at", "<", before)]),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
