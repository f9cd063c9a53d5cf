import "server-only";
import type Database from "better-sqlite3";
import type { AuditEntry, AuditFilter, AuditOutcomeValue } from "../domain/audit";

export type { AuditEntry, AuditFilter, AuditOutcomeValue };

export type NewAuditEntry = Omit<AuditEntry, "id" | "at">;

/** A row of the audit table: the entry's own fields, and the others under their column names. */
type AuditRow = Pick<AuditEntry, "id" | "at" | "actor" | "role" | "action" | "target" | "outcome"> & {
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
});

/** Append-only: there is no update or delete. */
export function appendAudit(db: Database.Database, entry: NewAuditEntry): AuditEntry {
  const at = new Date().toISOString();
  const result = db
    .prepare(
      `INSERT INTO audit (at, actor, role, action, target, before_json, after_json, request_id, outcome, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
    );
  return { ...entry, id: Number(result.lastInsertRowid), at };
}

/** Newest first. */
/** `excludeFailedSignIns` leaves out failed sign-ins (their actor is whatever was typed as a user name). */
export function listAudit(
  db: Database.Database,
  filter: AuditFilter & { excludeFailedSignIns?: boolean } = {},
): AuditEntry[] {
  const where: string[] = [];
  const params: unknown[] = [];
  for (const [column, value] of [
    ["target", filter.target],
    ["action", filter.action],
    ["actor", filter.actor],
    ["outcome", filter.outcome],
  ] as const) {
    if (value !== undefined) {
      where.push(`${column} = ?`);
      params.push(value);
    }
  }
  if (filter.excludeFailedSignIns) where.push(`NOT (action = 'auth.sign-in' AND outcome = 'failure')`);
  const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ?`;
  return (db.prepare(sql).all(...params, filter.limit ?? 200) as AuditRow[]).map(fromRow);
}
