import "server-only";
import type { Transaction } from "kysely";
import type { LeaseSpan } from "../domain/dead-letter-lease";
import type { QueueDescription } from "../domain/dead-letters";
import type { TakenOver } from "../domain/lease-holds";
import type { Scope } from "../domain/scope";
import { storeBackendOf, type Store } from "./db";
import { lockKeys } from "./locks";
import type { DeadLetterLeasesTable, StoreTables } from "./schema";

/**
 * Leases on dead letters, kept in the store so that every replica sees the same ones: a lease opened
 * through one replica is renewed, used and released through any other. What a lease holds is the
 * letters as received, receipt handles included, sealed by the caller (lib/sealing.ts): the store
 * only keeps them. Each letter leaves a lease once, whoever asks: taking letters for a job and
 * ending the lease both delete the rows they return, so a letter goes to the job or is released,
 * never both and never neither.
 */

/** Whose lease on which queue: a user has at most one live lease per queue of an environment. */
export interface LeaseOwner {
  scope: Scope;
  user: string;
  queueName: string;
}

export interface DeadLetterLease {
  id: string;
  user: string;
  queue: QueueDescription;
  deadLetter: boolean;
  capped: boolean;
  /** When it began and until when it hides its letters. */
  span: LeaseSpan;
  ended: boolean;
  takenOver?: TakenOver;
}

export interface SealedLetter {
  messageId: string;
  sealed: string;
}

/** What a viewer has leased lately: their spans on this queue in the last hour, and the other queues they hold now. */
export interface LeasedLately {
  spans: LeaseSpan[];
  otherLeases: number;
}

const HOUR_MS = 3_600_000;

/**
 * Opens a lease for `owner`, ending their earlier one on the queue, whose letters are returned to be
 * released. `lengthMs` decides how long it may hide letters from what the user has leased lately (and
 * may refuse, throwing): that check and the new row are one transaction, one at a time per user, so
 * leases opened at once through several replicas cannot all pass a viewer's cap. The letters come
 * later (addLeaseLetters), once SQS has handed them out.
 */
export async function openDeadLetterLease(
  db: Store,
  owner: LeaseOwner,
  lease: { id: string; queue: QueueDescription; deadLetter: boolean; capped: boolean },
  lengthMs: (lately: LeasedLately) => number,
  now: number,
): Promise<{ lease: DeadLetterLease; earlier: { id: string; queue: QueueDescription; letters: SealedLetter[] }[] }> {
  await forgetPastLeases(db, now);
  const backend = storeBackendOf(db);
  return db.transaction().execute(async (trx) => {
    await lockKeys(trx, backend, [`dead-letter-leases\u0000${owner.user}`]);
    const live = await ownersLiveLeases(trx, owner, now);
    const earlier = await endLeases(
      trx,
      live.map((l) => l.id),
      now,
    );
    const spans = await recentLeaseSpans(trx, owner, now);
    const others = await trx
      .selectFrom("dead_letter_leases")
      .select(["environment", "region", "queue_name"])
      .distinct()
      .where("username", "=", owner.user)
      .where("ended_at", "is", null)
      .where("ends_at", ">", now)
      .execute();
    const ms = lengthMs({ spans, otherLeases: others.length });
    const row: DeadLetterLeasesTable = {
      id: lease.id,
      environment: owner.scope.environment,
      region: owner.scope.region,
      username: owner.user,
      queue_name: owner.queueName,
      queue_json: JSON.stringify(lease.queue),
      dead_letter: lease.deadLetter ? 1 : 0,
      capped: lease.capped ? 1 : 0,
      started_at: now,
      ends_at: now + ms,
      ended_at: null,
      taken_over_by: null,
      taken_over_at: null,
    };
    await trx.insertInto("dead_letter_leases").values(row).execute();
    return {
      lease: leaseOf(row),
      earlier: earlier.map((e) => ({ ...e, queue: live.find((l) => l.id === e.id)!.queue })),
    };
  });
}

/**
 * Puts the letters SQS handed out into the lease; false, with nothing stored, when the lease ended
 * while they were received (the caller then releases them).
 */
export async function addLeaseLetters(db: Store, leaseId: string, letters: SealedLetter[]): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    // A no-op update that locks the lease's row: an end racing with this waits, then takes these letters too.
    const live = await trx
      .updateTable("dead_letter_leases")
      .set({ id: leaseId })
      .where("id", "=", leaseId)
      .where("ended_at", "is", null)
      .executeTakeFirst();
    if (live.numUpdatedRows === 0n) return false;
    // A few rows per statement: each holds a whole message (up to 1 MiB), and a statement must stay small.
    for (let i = 0; i < letters.length; i += 25) {
      const values = letters
        .slice(i, i + 25)
        .map((l, j) => ({ lease_id: leaseId, message_id: l.messageId, position: i + j, sealed: l.sealed }));
      await trx.insertInto("dead_letter_lease_letters").values(values).execute();
    }
    return true;
  });
}

/** The owner's live lease on the queue, if any. */
export async function currentDeadLetterLease(
  db: Store,
  owner: LeaseOwner,
  now: number,
): Promise<DeadLetterLease | undefined> {
  return (await ownersLiveLeases(db, owner, now))[0];
}

/** The owner's newest lease on the queue, live or not: to say why there is none (taken over, or ended). */
export async function latestDeadLetterLease(db: Store, owner: LeaseOwner): Promise<DeadLetterLease | undefined> {
  const row = await ownedBy(db, owner).selectAll().orderBy("started_at", "desc").limit(1).executeTakeFirst();
  return row ? leaseOf(row) : undefined;
}

/** Live leases on a queue, everyone's, with the ids of the letters each holds. */
export async function liveLeasesOnQueue(
  db: Store,
  scope: Scope,
  queueName: string,
  now: number,
): Promise<(DeadLetterLease & { messageIds: string[] })[]> {
  const rows = await db
    .selectFrom("dead_letter_leases")
    .selectAll()
    .where("environment", "=", scope.environment)
    .where("region", "=", scope.region)
    .where("queue_name", "=", queueName)
    .where("ended_at", "is", null)
    .where("ends_at", ">", now)
    .orderBy("started_at")
    .execute();
  if (rows.length === 0) return [];
  const letters = await db
    .selectFrom("dead_letter_lease_letters")
    .select(["lease_id", "message_id"])
    .where(
      "lease_id",
      "in",
      rows.map((r) => r.id),
    )
    .orderBy("position")
    .execute();
  return rows.map((r) => ({
    ...leaseOf(r),
    messageIds: letters.filter((l) => l.lease_id === r.id).map((l) => l.message_id),
  }));
}

/** The lease's letters, in the order SQS handed them out: the given ids among them, or all. */
export async function leaseLetters(
  db: Store,
  leaseId: string,
  messageIds?: readonly string[],
): Promise<SealedLetter[]> {
  if (messageIds?.length === 0) return [];
  let query = db
    .selectFrom("dead_letter_lease_letters")
    .select(["message_id", "sealed"])
    .where("lease_id", "=", leaseId)
    .orderBy("position");
  if (messageIds) query = query.where("message_id", "in", [...messageIds]);
  return (await query.execute()).map((r) => ({ messageId: r.message_id, sealed: r.sealed }));
}

/**
 * Takes letters out of a live lease (for a job, or once deleted): each letter is taken once, by
 * whoever asks first on any replica; ids not in the lease, or a lease that ended, give nothing.
 */
export async function takeLeaseLetters(
  db: Store,
  leaseId: string,
  messageIds: readonly string[],
  now: number,
): Promise<SealedLetter[]> {
  if (messageIds.length === 0) return [];
  const rows = await db
    .deleteFrom("dead_letter_lease_letters")
    .where("lease_id", "=", leaseId)
    .where("message_id", "in", [...messageIds])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("dead_letter_leases")
          .select("id")
          .where("id", "=", leaseId)
          .where("ended_at", "is", null)
          .where("ends_at", ">", now),
      ),
    )
    .returning(["message_id", "sealed", "position"])
    .execute();
  return rows.sort((a, b) => a.position - b.position).map((r) => ({ messageId: r.message_id, sealed: r.sealed }));
}

/**
 * Ends the leases that are still live (released, taken over, purged), and returns the letters each
 * held, to be released; a lease ended already, by anyone, gives nothing. Their spans stop at `now`.
 */
export async function endDeadLetterLeases(
  db: Store,
  leaseIds: readonly string[],
  now: number,
  takenOver?: { by: string; at: string },
): Promise<{ id: string; letters: SealedLetter[] }[]> {
  return db.transaction().execute((trx) => endLeases(trx, leaseIds, now, takenOver));
}

/** Ends every live lease on a queue (it was purged: there is nothing left to release). */
export async function endLeasesOnQueue(db: Store, scope: Scope, queueName: string, now: number): Promise<void> {
  const live = await liveLeasesOnQueue(db, scope, queueName, now);
  await endDeadLetterLeases(
    db,
    live.map((l) => l.id),
    now,
  );
}

/** Moves a live lease's end to `end` (a renewal at `now`); false when it ended or ran out meanwhile. */
export async function extendDeadLetterLease(db: Store, leaseId: string, end: number, now: number): Promise<boolean> {
  const result = await db
    .updateTable("dead_letter_leases")
    .set({ ends_at: end })
    .where("id", "=", leaseId)
    .where("ended_at", "is", null)
    .where("ends_at", ">", now)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The owner's spans on the queue that count toward the last hour (a viewer's renewal is capped by them). */
export async function recentLeaseSpans(db: Reader, owner: LeaseOwner, now: number): Promise<LeaseSpan[]> {
  const rows = await ownedBy(db, owner)
    .select(["started_at", "ends_at"])
    .where("ends_at", ">", now - HOUR_MS)
    .execute();
  return rows.map((r) => ({ start: r.started_at, end: r.ends_at }));
}

type Reader = Store | Transaction<StoreTables>;

const ownedBy = (db: Reader, owner: LeaseOwner) =>
  db
    .selectFrom("dead_letter_leases")
    .where("environment", "=", owner.scope.environment)
    .where("region", "=", owner.scope.region)
    .where("username", "=", owner.user)
    .where("queue_name", "=", owner.queueName);

async function ownersLiveLeases(db: Reader, owner: LeaseOwner, now: number): Promise<DeadLetterLease[]> {
  const rows = await ownedBy(db, owner)
    .selectAll()
    .where("ended_at", "is", null)
    .where("ends_at", ">", now)
    .orderBy("started_at", "desc")
    .execute();
  return rows.map(leaseOf);
}

async function endLeases(
  trx: Transaction<StoreTables>,
  leaseIds: readonly string[],
  now: number,
  takenOver?: { by: string; at: string },
): Promise<{ id: string; letters: SealedLetter[] }[]> {
  if (leaseIds.length === 0) return [];
  // Only the first to end a lease gets its row back: the letters are released once.
  const ended = await trx
    .updateTable("dead_letter_leases")
    .set((eb) => ({
      ended_at: now,
      // Its time counts until now, what is left of it does not (a viewer's hour).
      ends_at: eb
        .case()
        .when("ends_at", ">", now)
        .then(eb.case().when("started_at", ">", now).then(eb.ref("started_at")).else(now).end())
        .else(eb.ref("ends_at"))
        .end(),
      ...(takenOver ? { taken_over_by: takenOver.by, taken_over_at: takenOver.at } : {}),
    }))
    .where("id", "in", [...leaseIds])
    .where("ended_at", "is", null)
    .returning("id")
    .execute();
  if (ended.length === 0) return [];
  const ids = ended.map((e) => e.id);
  const letters = await trx
    .deleteFrom("dead_letter_lease_letters")
    .where("lease_id", "in", ids)
    .returning(["lease_id", "message_id", "sealed", "position"])
    .execute();
  letters.sort((a, b) => a.position - b.position);
  return ids.map((id) => ({
    id,
    letters: letters.filter((l) => l.lease_id === id).map((l) => ({ messageId: l.message_id, sealed: l.sealed })),
  }));
}

/**
 * Letters of leases that ran out are worthless (SQS let them go) and are not kept; a lease row is
 * kept for an hour past its end, while its span counts toward a viewer's hour.
 */
async function forgetPastLeases(db: Store, now: number): Promise<void> {
  await db
    .deleteFrom("dead_letter_lease_letters")
    .where((eb) =>
      eb(
        "lease_id",
        "in",
        eb.selectFrom("dead_letter_leases").select("id").where("ends_at", "<=", now).where("ended_at", "is", null),
      ),
    )
    .execute();
  await db
    .deleteFrom("dead_letter_leases")
    .where("ends_at", "<=", now - HOUR_MS)
    .execute();
}

function leaseOf(row: DeadLetterLeasesTable): DeadLetterLease {
  return {
    id: row.id,
    user: row.username,
    queue: JSON.parse(row.queue_json) as QueueDescription,
    deadLetter: row.dead_letter === 1,
    capped: row.capped === 1,
    span: { start: row.started_at, end: row.ends_at },
    ended: row.ended_at !== null,
    ...(row.taken_over_by && row.taken_over_at
      ? { takenOver: { leaseId: row.id, by: row.taken_over_by, at: row.taken_over_at } }
      : {}),
  };
}
