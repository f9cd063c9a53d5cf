import "server-only";
import { sql, type Expression, type Selectable, type SqlBool } from "kysely";
import type { Store } from "./db";
import type { AuditTable } from "./schema";
import type { AuditEntry, AuditFilter, AuditOutcomeValue } from "../domain/audit";

export type { AuditEntry, AuditFilter, AuditOutcomeValue };

export type NewAuditEntry = Omit<AuditEntry, "id" | "at">;

const fromRow = (r: Selectable<AuditTable>): AuditEntry => ({
  id: r.id,
  at: r.at,
  actor: r.actor,
  role: r.role,
  action: r.action as AuditEntry["action"],
  target: r.target,
  before: r.before_json === null ? null : JSON.parse(r.before_json),
  after: r.after_json === null ? null : JSON.parse(r.after_json),
  requestId: r.request_id,
  outcome: r.outcome as AuditOutcomeValue,
  ...(r.detail ? { detail: r.detail } : {}),
  environment: r.environment,
  region: r.region,
  account: r.account,
  ...(r.token_id ? { tokenId: r.token_id } : {}),
});

/** Append-only: there is no update or delete (and the database refuses both, see lib/store/migrations.ts). */
export async function appendAudit(db: Store, entry: NewAuditEntry): Promise<AuditEntry> {
  const at = new Date().toISOString();
  const { id } = await db
    .insertInto("audit")
    .values({
      at,
      actor: entry.actor,
      role: entry.role,
      action: entry.action,
      target: entry.target,
      before_json: JSON.stringify(entry.before ?? null),
      after_json: JSON.stringify(entry.after ?? null),
      request_id: entry.requestId,
      outcome: entry.outcome,
      detail: entry.detail ?? null,
      environment: entry.environment,
      region: entry.region,
      account: entry.account,
      token_id: entry.tokenId ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { ...entry, id, at };
}

/** A LIKE pattern matching values that contain `text`: its `%`, `_` and the escape character match only themselves. */
const containing = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** `at` is stored as `toISOString()` text, so bounds in the same form compare as times. */
const asStoredTime = (iso: string) => new Date(iso).toISOString();

/**
 * Newest first, at most `limit` (200 by default). Actor and target match by part, in any case (both
 * sides lower-cased: SQLite's LIKE folds ASCII only, PostgreSQL's folds nothing); outcome, environment,
 * region and account exactly. `excludeFailedSignIns` leaves out failed sign-ins (their actor is
 * whatever was typed as a user name).
 */
export async function listAudit(
  db: Store,
  filter: AuditFilter & { excludeFailedSignIns?: boolean } = {},
): Promise<AuditEntry[]> {
  const actions = filter.action === undefined ? undefined : ([] as string[]).concat(filter.action);
  const rows = await db
    .selectFrom("audit")
    .selectAll()
    .where((eb) => {
      const conditions: Expression<SqlBool>[] = [];
      if (actions) conditions.push(actions.length ? eb("action", "in", actions) : eb.lit(false));
      for (const column of ["actor", "target"] as const) {
        const part = filter[column];
        if (part !== undefined)
          conditions.push(sql<boolean>`lower(${eb.ref(column)}) LIKE ${containing(part)} ESCAPE '\\'`);
      }
      for (const column of ["outcome", "environment", "region", "account"] as const) {
        const value = filter[column];
        if (value !== undefined) conditions.push(eb(column, "=", value));
      }
      if (filter.from !== undefined) conditions.push(eb("at", ">=", asStoredTime(filter.from)));
      if (filter.to !== undefined) conditions.push(eb("at", "<=", asStoredTime(filter.to)));
      if (filter.excludeFailedSignIns)
        conditions.push(eb.not(eb.and([eb("action", "=", "auth.sign-in"), eb("outcome", "=", "failure")])));
      return eb.and(conditions);
    })
    .orderBy("id", "desc")
    .limit(filter.limit ?? 200)
    .execute();
  return rows.map(fromRow);
}
