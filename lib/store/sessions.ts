import "server-only";
import type Database from "better-sqlite3";

/** A console session as the server knows it; times are epoch milliseconds. */
export interface SessionRecord {
  id: string;
  username: string;
  provider: string;
  /** The role at sign-in; for identity-provider users, the one their provider asserted. */
  role: string;
  /** The roles by environment id at sign-in; for identity-provider users, from their groups. */
  roles: Record<string, string>;
  createdAt: number;
  expiresAt: number;
  endedAt?: number;
  endReason?: string;
}

interface SessionRow {
  id: string;
  username: string;
  provider: string;
  role: string;
  roles_json: string;
  created_at: number;
  expires_at: number;
  ended_at: number | null;
  end_reason: string | null;
}

/** How long an expired or ended session's row is kept, for nothing but a look in the database. */
const KEPT_AFTER_EXPIRY_MS = 24 * 60 * 60 * 1000;

export function insertSession(db: Database.Database, session: Omit<SessionRecord, "endedAt" | "endReason">): void {
  db.prepare(`DELETE FROM sessions WHERE expires_at < ?`).run(session.createdAt - KEPT_AFTER_EXPIRY_MS);
  db.prepare(
    `INSERT INTO sessions (id, username, provider, role, roles_json, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    session.id,
    session.username,
    session.provider,
    session.role,
    JSON.stringify(session.roles),
    session.createdAt,
    session.expiresAt,
  );
}

export function findSession(db: Database.Database, id: string): SessionRecord | undefined {
  const r = db.prepare(`SELECT * FROM sessions WHERE id = ?`).get(id) as SessionRow | undefined;
  if (!r) return undefined;
  return {
    id: r.id,
    username: r.username,
    provider: r.provider,
    role: r.role,
    roles: JSON.parse(r.roles_json) as Record<string, string>,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    ...(r.ended_at !== null ? { endedAt: r.ended_at } : {}),
    ...(r.end_reason !== null ? { endReason: r.end_reason } : {}),
  };
}

/** Ends one session (if still open). */
export function endSessionRow(db: Database.Database, id: string, at: number, reason: string): void {
  db.prepare(`UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL`).run(at, reason, id);
}

/** Ends every open session of a user; the number ended. */
export function endSessionsOfUser(
  db: Database.Database,
  username: string,
  provider: string,
  at: number,
  reason: string,
): number {
  return db
    .prepare(
      `UPDATE sessions SET ended_at = ?, end_reason = ? WHERE username = ? AND provider = ? AND ended_at IS NULL`,
    )
    .run(at, reason, username, provider).changes;
}
