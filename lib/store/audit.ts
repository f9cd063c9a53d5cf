import "server-only";
import type Database from "better-sqlite3";
import type { AuditEntry, AuditFilter, AuditOutcomeValue } from "../domain/audit";

export type { AuditEntry, AuditFilter, AuditOutcomeValue };

export type NewAuditEntry = Omit<AuditEntry, "id" | "at">;

/** A row of the audit table: the entry's own fields, and the others under their column names. */
type AuditRow = Pick<
  AuditEntry,
  "id" | "at" | "actor" | "role" | "action" | "target" | "outcome" | "environment" | "region" | "account"
> & {
  before_json: string | null;
  after_json: string | null;
  request_id: string;
  detail: string | null;
};

const fromRow = (r: AuditRow): AuditEntry => ({
  id: r.id,
  at: r.at,
  actor: r.actor,
  role: r.role,
  action: r.action,
  target: r.target,
  before: r.before_json === null ? null : JSON.parse(r.before_json),
  after: r.after_json === null ? null : JSON.parse(r.after_json),
  requestId: r.request_id,
  outcome: r.outcome,
  ...(r.detail ? { detail: r.detail } : {}),
  environment: r.environment,
  region: r.region,
  account: r.account,
});

/** Append-only: there is no update or delete. */
export function appendAudit(db: Database.Database, entry: NewAuditEntry): AuditEntry {
  const at = new Date().toISOString();
  const result = db
    .prepare(
      `INSERT INTO audit (at, actor, role, action, target, before_json, after_json, request_id, outcome, detail,
         environment, region, account)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      at,
      entry.actor,
      entry.role,
      entry.action,
      entry.target,
      JSON.stringify(entry.before ?? null),
      JSON.stringify(entry.after ?? null),
      entry.requestId,
      entry.outcome,
      entry.detail ?? null,
      entry.environment,
      entry.region,
      entry.account,
    );
  return { ...entry, id: Number(result.lastInsertRowid), at };
}

/** A LIKE pattern matching values that contain `text`: its `%`, `_` and the escape character match only themselves. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** `at` is stored as `toISOString()` text, so bounds in the same form compare as times. */
const asStoredTime = (iso: string) => new Date(iso).toISOString();

/**
 * Newest first, at most `limit` (200 by default). Actor and target match by part, in any case
 * (SQLite's LIKE folds ASCII letters only); outcome, environment, region and account exactly.
 * `excludeFailedSignIns` leaves out failed sign-ins (their actor is whatever was typed as a user name).
 */
export function listAudit(
  db: Database.Database,
  filter: AuditFilter & { excludeFailedSignIns?: boolean } = {},
): AuditEntry[] {
  const where: string[] = [];
  const params: unknown[] = [];
  const actions = filter.action === undefined ? undefined : ([] as string[]).concat(filter.action);
  if (actions) {
    where.push(actions.length ? `action IN (${actions.map(() => "?").join(", ")})` : "0");
    params.push(...actions);
  }
  for (const column of ["actor", "target"] as const) {
    const part = filter[column];
    if (part !== undefined) {
      where.push(`${column} LIKE ? ESCAPE '\\'`);
      params.push(containing(part));
    }
  }
  for (const column of ["outcome", "environment", "region", "account"] as const) {
    if (filter[column] !== undefined) {
      where.push(`${column} = ?`);
      params.push(filter[column]);
    }
  }
  if (filter.from !== undefined) {
    where.push("at >= ?");
    params.push(asStoredTime(filter.from));
  }
  if (filter.to !== undefined) {
    where.push("at <= ?");
    params.push(asStoredTime(filter.to));
  }
  if (filter.excludeFailedSignIns) where.push(`NOT (action = 'auth.sign-in' AND outcome = 'failure')`);
  const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ?`;
  return (db.prepare(sql).all(...params, filter.limit ?? 200) as AuditRow[]).map(fromRow);
}
