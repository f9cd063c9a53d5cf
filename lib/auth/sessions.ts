import "server-only";
import { randomUUID } from "node:crypto";
import { isSessionLive, sessionLifetimeMs, type SessionProvider } from "../domain/session-lifetime";
import { environmentRolesOf, isRole, type EnvironmentRoles, type Role } from "../domain/roles";
import { getConfig, type Config } from "../env";
import { endSessionRow, endSessionsOfUser, findSession, getStore, insertSession } from "../store";
import { findUser } from "./users";

/**
 * Server-side sessions. The signed cookie (a next-auth JWT) carries a session id; a session is
 * usable only while its row says so: signing out ends it (a copy of the cookie stops working),
 * removing a password user ends theirs, and it expires a fixed time after sign-in
 * (lib/domain/session-lifetime.ts) however often next-auth refreshes the cookie.
 */

export interface SessionUser {
  name: string;
  /** The role wherever `roles` names no other (roleIn in lib/domain/roles.ts). */
  role: Role;
  /** The role by environment id: the users entry's `roles`, or a single sign-on user's groups at sign-in. */
  roles: EnvironmentRoles;
  provider: SessionProvider;
  /** The API token the request came with instead of a session (lib/auth/tokens.ts). */
  tokenId?: string;
}

/** What the signed cookie says. */
export interface SessionClaims {
  sid?: string;
  name?: string | null;
  provider?: SessionProvider;
}

/** Records a new session at sign-in; its id goes into the cookie. */
export async function startSession(user: SessionUser, now: number = Date.now()): Promise<string> {
  const id = randomUUID();
  await insertSession(await getStore(), {
    id,
    username: user.name,
    provider: user.provider,
    role: user.role,
    roles: user.roles,
    createdAt: now,
    expiresAt: now + sessionLifetimeMs(user.provider),
  });
  return id;
}

export async function endSession(id: string, reason: string, now: number = Date.now()): Promise<void> {
  await endSessionRow(await getStore(), id, now, reason);
}

/**
 * The user a cookie's claims stand for now, or undefined: no session id (a cookie from before
 * server-side sessions), an unknown, ended or expired session, a session of someone else, or a
 * password user no longer configured (whose sessions then all end, so re-adding the name later
 * does not bring an old cookie back). Password users get their current roles.
 */
export async function resolveSessionUser(
  claims: SessionClaims,
  now: number = Date.now(),
  config: Config = getConfig(),
): Promise<SessionUser | undefined> {
  if (!claims.sid || !claims.name) return undefined;
  const session = await findSession(await getStore(), claims.sid);
  if (
    !isSessionLive(session, now) ||
    session!.username !== claims.name ||
    session!.provider !== (claims.provider ?? "credentials")
  )
    return undefined;
  if (session!.provider === "oidc")
    return isRole(session!.role)
      ? { name: session!.username, role: session!.role, roles: environmentRolesOf(session!.roles), provider: "oidc" }
      : undefined;
  const current = findUser(session!.username, config);
  if (!current) {
    await endSessionsOfUser(await getStore(), session!.username, "credentials", now, "user removed");
    return undefined;
  }
  return { name: current.username, role: current.role, roles: current.roles ?? {}, provider: "credentials" };
}
