import "server-only";
import type { Transaction } from "kysely";
import { storeBackendOf, type Store } from "./db";
import { lockKeys } from "./locks";
import type { StoreTables } from "./schema";
import { noteRefusal, type RefusalAudit } from "../domain/refusal-tally";
import {
  DEFAULT_SIGN_IN_LIMITS,
  retryAfterMs,
  signInAttempt,
  signInCounts,
  windowStart,
  type SignInAttempt,
  type SignInLimits,
  type SignInVerdict,
} from "../domain/sign-in-limit";

/**
 * The sign-in limits of lib/domain/sign-in-limit.ts, counted in the store: every replica on one
 * PostgreSQL counts against the same limits, so two replicas give an attacker no more attempts than one.
 */

/**
 * Lets a sign-in attempt through, counting it as a failure under the user's and the address's keys,
 * or refuses it (counting the refusal, lib/domain/refusal-tally.ts). The check and the count are one
 * transaction, taken one at a time per key: attempts racing on any replicas cannot all pass the
 * last free place. Failures that left the window, and tallies with nothing left to report, are deleted first.
 */
export async function attemptSignIn(
  db: Store,
  user: string,
  address: string | undefined,
  now: number,
  limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS,
): Promise<SignInVerdict> {
  await forgetPastSignIns(db, now, limits.windowMs);
  const counts = signInCounts(user, address, limits);
  const backend = storeBackendOf(db);
  return db.transaction().execute(async (trx) => {
    // Locked per key: the next attempt on a key, from any replica, reads the failures this one counted.
    await lockKeys(
      trx,
      backend,
      counts.map(({ key }) => key),
    );
    for (const { by, key, limit } of counts) {
      const newest = await trx
        .selectFrom("sign_in_failures")
        .select("at")
        .where("key", "=", key)
        .where("at", ">", windowStart(now, limits.windowMs))
        .orderBy("at", "desc")
        .limit(limit)
        .execute();
      const times = newest.map((f) => f.at);
      const retryAfter = retryAfterMs(times, limit, limits.windowMs, now);
      if (retryAfter === undefined) continue;
      const audit = await countRefusal(trx, key, now, limits.windowMs);
      return { allowed: false, by, retryAfterMs: retryAfter, ...(audit ? { audit } : {}) };
    }
    await trx
      .insertInto("sign_in_failures")
      .values(counts.map(({ key }) => ({ key, at: now })))
      .execute();
    return { allowed: true, attempt: signInAttempt(counts, now) };
  });
}

/** The attempt's password was right: the user's failures are cleared, and the address loses this attempt only. */
export async function signInSucceeded(db: Store, attempt: SignInAttempt): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("sign_in_failures").where("key", "=", attempt.userKey).execute();
    if (attempt.addressKey === undefined) return;
    const thisAttempt = trx
      .selectFrom("sign_in_failures")
      .select("id")
      .where("key", "=", attempt.addressKey)
      .where("at", "=", attempt.at)
      .limit(1);
    await trx.deleteFrom("sign_in_failures").where("id", "=", thisAttempt).execute();
  });
}

/** Counts a refusal into the key's tally in the store; what to audit, when this refusal opens a window. */
async function countRefusal(
  trx: Transaction<StoreTables>,
  key: string,
  now: number,
  windowMs: number,
): Promise<RefusalAudit | undefined> {
  const open = await trx
    .selectFrom("sign_in_refusals")
    .select(["since", "count"])
    .where("key", "=", key)
    .executeTakeFirst();
  const next = noteRefusal(open, now, windowMs);
  await trx
    .insertInto("sign_in_refusals")
    .values({ key, ...next.open })
    .onConflict((oc) => oc.column("key").doUpdateSet(next.open))
    .execute();
  return next.audit;
}

/**
 * Deletes the failures that left the window, and the tallies whose window ended with no refusal
 * beyond the audited one: those have nothing to report, so the key's next refusal opens a window of
 * its own. A tally holding unreported refusals is kept for the key's next refusal to report.
 */
async function forgetPastSignIns(db: Store, now: number, windowMs: number): Promise<void> {
  const start = windowStart(now, windowMs);
  await db.deleteFrom("sign_in_failures").where("at", "<=", start).execute();
  await db.deleteFrom("sign_in_refusals").where("count", "=", 1).where("since", "<=", start).execute();
}
