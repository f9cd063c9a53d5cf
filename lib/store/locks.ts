import "server-only";
import { createHash } from "node:crypto";
import { sql, type Transaction } from "kysely";
import type { StoreBackend } from "./db";
import type { StoreTables } from "./schema";

/**
 * Takes the transaction's turn on each key: in PostgreSQL a transaction-scoped advisory lock per key
 * (Explicit Locking, 13.3.5 Advisory Locks), held until it commits, so the next transaction on a key,
 * from any replica, reads what this one wrote. A key's lock id is 64 bits of its digest; the locks are
 * taken in ascending order, so two transactions never wait for each other in a circle. SQLite needs
 * none: its one connection runs one transaction at a time.
 */
export async function lockKeys(
  trx: Transaction<StoreTables>,
  backend: StoreBackend,
  keys: readonly string[],
): Promise<void> {
  if (backend !== "postgresql") return;
  const ids = keys.map((key) => createHash("sha256").update(key).digest().readBigInt64BE(0));
  ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const id of ids) await sql`SELECT pg_advisory_xact_lock(${id.toString()}::bigint)`.execute(trx);
}
