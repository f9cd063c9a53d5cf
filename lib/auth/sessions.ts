import "server-only";
import { randomUUID } from "node:crypto";
import { isSessionLive, sessionLifetimeMs, type SessionProvider } from "../domain/session-lifetime";
import { environmentRolesOf, isRole } from "../domain/roles";
import { shorthandBindings, userBindings, type Access, type Binding } from "../domain/bindings";
import { singleSignOnBindings } from "../domain/group-roles";
import { getConfig, type Config } from "../env";
import {
  endSessionRow,
  endSessionsOfUser,
  findSession,
  getStore,
  insertSession,
  latestSessionOf,
  type SessionRecord,
} from "../store";
import { OIDC_PREFIX } from "../domain/identity";
import { findUser } from "./users";

/**
 * Server-side sessions. The signed cookie (a next-auth JWT) carries a session id; a session is
 * usable only while its row says so: signing out ends it (a copy of the cookie stops working),
 * removing a password user ends theirs, and it expires a fixed time after sign-in
 * (lib/domain/session-lifetime.ts) however often next-auth refreshes the cookie.
 */

export interface SessionUser {
  name: string;
  /**
   * What the user may do where (lib/domain/bindings.ts): a password user's bindings from the users
   * entry, a single sign-on user's from their groups and role claim, a token's within its creator's.
   */
  access: Access;
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

/** Who signs in: a single sign-on user with their role claim ("none" without one) and groups. */
export interface SignedInUser {
  name: string;
  provider: SessionProvider;
  role: string;
  groups?: string[];
}

/** Records a new session at sign-in; its id goes into the cookie. */
export async function startSession(user: SignedInUser, now: number = Date.now()): Promise<string> {
  const id = randomUUID();
  await insertSession(await getStore(), {
    id,
    username: user.name,
    provider: user.provider,
    role: user.role,
    roles: {},
    ...(user.groups ? { groups: user.groups } : {}),
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
 * does not bring an old cookie back). Password users get their current bindings; a single sign-on
 * user's groups are mapped with the current configuration, and without any binding there is no user.
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
  if (session!.provider === "oidc") {
    const bindings = singleSignOnSessionBindings(session!, config);
    return bindings.length > 0 ? { name: session!.username, access: { bindings }, provider: "oidc" } : undefined;
  }
  const current = findUser(session!.username, config);
  if (!current) {
    await endSessionsOfUser(await getStore(), session!.username, "credentials", now, "user removed");
    return undefined;
  }
  return { name: current.username, access: { bindings: configuredBindings(current, config) }, provider: "credentials" };
}

const environmentIds = (config: Config) => config.environments.map((environment) => environment.id);

/** A password user's bindings under the current configuration. */
export const configuredBindings = (user: Parameters<typeof userBindings>[0], config: Config): Binding[] =>
  userBindings(user, environmentIds(config));

/**
 * Whose bindings an admin asks about ("what can this user do here?"): a password user's from the
 * users entry; a single sign-on user's from their groups at their latest sign-in, mapped now (the
 * console knows their groups only from sign-ins). Undefined for a user the console does not know.
 */
export async function bindingsOfUser(
  username: string,
  config: Config = getConfig(),
): Promise<{ bindings: Binding[]; source: string } | undefined> {
  if (username.startsWith(OIDC_PREFIX)) {
    const session = await latestSessionOf(await getStore(), username, "oidc");
    if (!session) return undefined;
    const at = new Date(session.createdAt).toISOString();
    return { bindings: singleSignOnSessionBindings(session, config), source: `single sign-on, groups as of ${at}` };
  }
  const user = findUser(username, config);
  return user && { bindings: configuredBindings(user, config), source: "users file" };
}

/**
 * A single sign-on session's bindings: its groups mapped now; a session from before bindings kept
 * the roles its groups mapped to at sign-in, which stand as shorthand.
 */
function singleSignOnSessionBindings(session: SessionRecord, config: Config): Binding[] {
  const claim = isRole(session.role) ? session.role : undefined;
  if (session.groups) return singleSignOnBindings(claim, session.groups, config.environments);
  return shorthandBindings(
    { role: claim, roles: environmentRolesOf(session.roles) },
    environmentIds(config),
    "session",
  );
}
