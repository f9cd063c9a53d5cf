import "server-only";
import type { Store } from "./db";

/** A lease held: its fencing token rises each time another holder takes it. */
export interface HeldLease {
  token: number;
  expiresAt: number;
}

/**
 * Takes the named lease for `owner`, or renews it when `owner` already holds it, for `ttlMs` from
 * `now`: one statement, so that of replicas asking at once exactly one holds it. Undefined while
 * another holder's lease runs. Times are the replicas' clocks, which are taken to agree within
 * seconds; a lease is many seconds long.
 */
export async function acquireLease(
  db: Store,
  name: string,
  owner: string,
  ttlMs: number,
  now = Date.now(),
): Promise<HeldLease | undefined> {
  const expiresAt = now + ttlMs;
  const row = await db
    .insertInto("leases")
    .values({ name, owner, token: 1, expires_at: expiresAt })
    .onConflict((oc) =>
      oc
        .column("name")
        .doUpdateSet((eb) => ({
          owner: eb.ref("excluded.owner"),
          expires_at: eb.ref("excluded.expires_at"),
          token: eb
            .case()
            .when("leases.owner", "=", eb.ref("excluded.owner"))
            .then(eb.ref("leases.token"))
            .else(eb("leases.token", "+", 1))
            .end(),
        }))
        .where((eb) => eb.or([eb("leases.owner", "=", eb.ref("excluded.owner")), eb("leases.expires_at", "<=", now)])),
    )
    .returning(["token", "expires_at"])
    .executeTakeFirst();
  return row ? { token: row.token, expiresAt: row.expires_at } : undefined;
}

/** Gives the lease back (when `owner` holds it), so another replica can take it at once. */
export async function releaseLease(db: Store, name: string, owner: string): Promise<void> {
  await db.deleteFrom("leases").where("name", "=", name).where("owner", "=", owner).execute();
}

/** Who holds the lease now, if anyone. */
export async function leaseHolder(db: Store, name: string, now = Date.now()): Promise<string | undefined> {
  const row = await db
    .selectFrom("leases")
    .select("owner")
    .where("name", "=", name)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return row?.owner;
}
