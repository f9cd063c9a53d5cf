import "server-only";
import type { Selectable } from "kysely";
import type { Store } from "./db";
import type { SessionsTable } from "./schema";

/** A console session as the server knows it; times are epoch milliseconds. */
export interface SessionRecord {
  id: string;
  username: string;
  provider: string;
  /** The role at sign-in; for identity-provider users, the one their provider asserted. */
  role: string;
  /** The roles by environment id at sign-in; for identity-provider users, from their groups. */
  roles: Record<string, string>;
  /** A single sign-on user's groups, mapped to bindings on each request (lib/domain/group-roles.ts). */
  groups?: string[];
  createdAt: number;
  expiresAt: number;
  endedAt?: number;
  endReason?: string;
}

/** How long an expired or ended session's row is kept, for nothing but a look in the database. */
const KEPT_AFTER_EXPIRY_MS = 24 * 60 * 60 * 1000;

export async function insertSession(db: Store, session: Omit<SessionRecord, "endedAt" | "endReason">): Promise<void> {
  await db
    .deleteFrom("sessions")
    .where("expires_at", "<", session.createdAt - KEPT_AFTER_EXPIRY_MS)
    .execute();
  await db
    .insertInto("sessions")
    .values({
      id: session.id,
      username: session.username,
      provider: session.provider,
      role: session.role,
      roles_json: JSON.stringify(session.roles),
      groups_json: session.groups ? JSON.stringify(session.groups) : null,
      created_at: session.createdAt,
      expires_at: session.expiresAt,
    })
    .execute();
}

const fromRow = (r: Selectable<SessionsTable>): SessionRecord => ({
  id: r.id,
  username: r.username,
  provider: r.provider,
  role: r.role,
  roles: JSON.parse(r.roles_json) as Record<string, string>,
  ...(r.groups_json !== null ? { groups: JSON.parse(r.groups_json) as string[] } : {}),
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  ...(r.ended_at !== null ? { endedAt: r.ended_at } : {}),
  ...(r.end_reason !== null ? { endReason: r.end_reason } : {}),
});

export async function findSession(db: Store, id: string): Promise<SessionRecord | undefined> {
  const row = await db.selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** Ends one session (if still open). */
export async function endSessionRow(db: Store, id: string, at: number, reason: string): Promise<void> {
  await db
    .updateTable("sessions")
    .set({ ended_at: at, end_reason: reason })
    .where("id", "=", id)
    .where("ended_at", "is", null)
    .execute();
}

/** Ends every open session of a user; the number ended. */
export async function endSessionsOfUser(
  db: Store,
  username: string,
  provider: string,
  at: number,
  reason: string,
): Promise<number> {
  const result = await db
    .updateTable("sessions")
    .set({ ended_at: at, end_reason: reason })
    .where("username", "=", username)
    .where("provider", "=", provider)
    .where("ended_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A user's most recent session of a provider, live or not: what a single sign-on user's groups were when last seen. */
export async function latestSessionOf(
  db: Store,
  username: string,
  provider: string,
): Promise<SessionRecord | undefined> {
  const row = await db
    .selectFrom("sessions")
    .selectAll()
    .where("username", "=", username)
    .where("provider", "=", provider)
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? fromRow(row) : undefined;
}
