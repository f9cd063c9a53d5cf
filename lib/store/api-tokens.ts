import "server-only";
import type { Selectable } from "kysely";
import type { TokenGrant, TokenKind } from "../domain/api-tokens";
import { environmentRolesOf, isRole, type EnvironmentRoles, type Role } from "../domain/roles";
import type { Store } from "./db";
import type { ApiTokensTable } from "./schema";

/** API tokens as the store keeps them (lib/domain/api-tokens.ts): the secret only as its SHA-256 digest. */

export interface ApiTokenRecord {
  id: string;
  /** The highest role the token's bindings give, for lists; a token from before bindings: its role and roles. */
  role: Role;
  roles: EnvironmentRoles;
  /** Undefined for a token from before bindings, which role and roles stand for (lib/auth/tokens.ts). */
  grant?: TokenGrant;
  name: string;
  kind: TokenKind;
  owner: string;
  createdBy: string;
  secretHash: string;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  revokedBy: string | null;
  lastUsedAt: number | null;
  lastUsedAddress: string | null;
}

export type NewApiToken = Omit<ApiTokenRecord, "revokedAt" | "revokedBy" | "lastUsedAt" | "lastUsedAddress">;

/** A use is written down at most once a minute per token: requests should not each write a row. */
const USE_NOTED_EVERY_MS = 60_000;

const fromRow = (r: Selectable<ApiTokensTable>): ApiTokenRecord => ({
  id: r.id,
  name: r.name,
  kind: r.kind === "service" ? "service" : "personal",
  owner: r.owner,
  createdBy: r.created_by,
  // A role the console no longer knows grants the least.
  role: isRole(r.role) ? r.role : "viewer",
  roles: environmentRolesOf(JSON.parse(r.roles_json)),
  ...(r.bindings_json !== null ? { grant: JSON.parse(r.bindings_json) as TokenGrant } : {}),
  secretHash: r.secret_hash,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  revokedBy: r.revoked_by,
  lastUsedAt: r.last_used_at,
  lastUsedAddress: r.last_used_address,
});

export async function insertApiToken(db: Store, token: NewApiToken): Promise<void> {
  await db
    .insertInto("api_tokens")
    .values({
      id: token.id,
      name: token.name,
      kind: token.kind,
      owner: token.owner,
      created_by: token.createdBy,
      role: token.role,
      roles_json: JSON.stringify(token.roles),
      bindings_json: token.grant ? JSON.stringify(token.grant) : null,
      secret_hash: token.secretHash,
      created_at: token.createdAt,
      expires_at: token.expiresAt,
    })
    .execute();
}

export async function findApiToken(db: Store, id: string): Promise<ApiTokenRecord | undefined> {
  const row = await db.selectFrom("api_tokens").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** Tokens, newest first: one owner's, or every token (for an admin). */
export async function listApiTokens(db: Store, filter: { owner?: string } = {}): Promise<ApiTokenRecord[]> {
  let query = db.selectFrom("api_tokens").selectAll().orderBy("created_at", "desc").orderBy("id");
  if (filter.owner !== undefined) query = query.where("owner", "=", filter.owner);
  return (await query.execute()).map(fromRow);
}

/** Revokes a token not revoked yet; false when it was (a retry changes nothing). */
export async function revokeApiToken(db: Store, id: string, by: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable("api_tokens")
    .set({ revoked_at: now, revoked_by: by })
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Notes a use (when and from where), unless one was noted within the last minute. */
export async function noteApiTokenUse(db: Store, id: string, now: number, address: string | undefined): Promise<void> {
  await db
    .updateTable("api_tokens")
    .set({ last_used_at: now, last_used_address: address ?? null })
    .where("id", "=", id)
    .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<=", now - USE_NOTED_EVERY_MS)]))
    .execute();
}
