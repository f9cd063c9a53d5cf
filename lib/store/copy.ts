import "server-only";
import { sql } from "kysely";
import type { Store, StoreBackend } from "./db";
import type { StoreTables } from "./schema";

/**
 * Every table of the store that outlives a console, in the order they are copied; the key that orders
 * each table's rows. Leases are not copied: they are live state of running consoles (the copy is made
 * with the console stopped), and a dead-letter lease's letters are sealed with the source's secret;
 * SQS shows the letters again when their visibility timeout runs out.
 */
const COPIED: { table: keyof StoreTables; orderBy: string[]; identity: boolean }[] = [
  { table: "audit", orderBy: ["id"], identity: true },
  { table: "policy_versions", orderBy: ["id"], identity: true },
  { table: "sample_messages", orderBy: ["id"], identity: true },
  { table: "redrive_jobs", orderBy: ["id"], identity: false },
  { table: "redrive_items", orderBy: ["job_id", "message_id"], identity: false },
  { table: "recent_events", orderBy: ["id"], identity: true },
  { table: "sessions", orderBy: ["id"], identity: false },
  { table: "dlq_removals", orderBy: ["id"], identity: true },
  { table: "sign_in_failures", orderBy: ["id"], identity: true },
  { table: "sign_in_refusals", orderBy: ["key"], identity: false },
  { table: "api_tokens", orderBy: ["id"], identity: false },
  { table: "alert_states", orderBy: ["dedup_key"], identity: false },
  { table: "alert_silences", orderBy: ["id"], identity: false },
  { table: "alert_outbox", orderBy: ["id"], identity: true },
  { table: "alert_dlq_depths", orderBy: ["environment", "region", "dlq_arn"], identity: false },
];

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters for the widest table (36 columns). */
const BATCH = 500;

export type CopyReport = Record<keyof StoreTables, number>;

/**
 * Copies every row of `source` into the empty store `target`, ids kept, in one transaction: either
 * all of it arrives or none does. The audit trail arrives as it was (inserting is all its triggers
 * allow). Refuses a target that holds any row, so that nothing is mixed or overwritten. Counts
 * what each table holds afterwards and fails when a count differs from the source's.
 */
export async function copyStore(source: Store, target: Store, targetBackend: StoreBackend): Promise<CopyReport> {
  const counts = async (db: Store) =>
    Object.fromEntries(
      await Promise.all(
        COPIED.map(async ({ table }) => {
          const row = await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow();
          return [table, Number(row.n)] as const;
        }),
      ),
    ) as CopyReport;
  const occupied = Object.entries(await counts(target)).filter(([, n]) => n > 0);
  if (occupied.length)
    throw new Error(
      `the target store is not empty (${occupied.map(([t, n]) => `${t}: ${n}`).join(", ")}): copy into a new database`,
    );
  const before = await counts(source);
  await target.transaction().execute(async (trx) => {
    for (const { table, orderBy, identity } of COPIED) {
      // Keyset pages, so that a large trail is never held in memory at once.
      let last: Record<string, unknown> | undefined;
      for (;;) {
        let page = source.selectFrom(table).selectAll();
        for (const column of orderBy) page = page.orderBy(sql.ref(column));
        if (last)
          page = page.where(
            sql<boolean>`(${sql.join(orderBy.map((c) => sql.ref(c)))}) > (${sql.join(orderBy.map((c) => last![c]))})`,
          );
        const rows = (await page.limit(BATCH).execute()) as Record<string, unknown>[];
        if (!rows.length) break;
        await trx
          .insertInto(table)
          .values(rows as never)
          .execute();
        last = rows[rows.length - 1];
      }
      // Ids copied as they were: the next one PostgreSQL gives follows the highest copied.
      if (identity && targetBackend === "postgresql")
        await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), COALESCE((SELECT max(id) FROM ${sql.table(table)}), 0) + 1, false)`.execute(
          trx,
        );
    }
  });
  const after = await counts(target);
  const differing = COPIED.filter(({ table }) => after[table] !== before[table]);
  if (differing.length)
    throw new Error(
      `copied counts differ from the source: ${differing.map(({ table }) => `${table} ${after[table]} of ${before[table]}`).join(", ")}`,
    );
  return after;
}
