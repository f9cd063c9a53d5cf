import { roleAtLeast, roleIn, type EnvironmentRoles, type Role } from "./roles";

/**
 * API tokens: what a script, a CI job or the command line signs requests with instead of a session
 * cookie (`Authorization: Bearer <token>`). A token is `fanout_<id>_<secret>`: the id finds its row,
 * the secret is shown once and kept only as a SHA-256 digest (a 256-bit random secret needs no slow
 * hash: nobody can guess it to test against the digest). The prefix lets secret scanners spot one.
 */

export const TOKEN_PREFIX = "fanout_";
/** Days a token may live: a token always expires. */
export const TOKEN_EXPIRY_DAYS = { min: 1, max: 365, default: 30 } as const;

export type TokenKind = "personal" | "service";

/** The roles a token acts with: never more than its creator's, anywhere. */
export interface TokenRoles {
  role: Role;
  roles: EnvironmentRoles;
}

const ID = /^[a-z0-9]{16}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export function formatToken(id: string, secret: string): string {
  return `${TOKEN_PREFIX}${id}_${secret}`;
}

/** The id and secret of a token as sent, or undefined when it is not one. */
export function parseToken(text: string): { id: string; secret: string } | undefined {
  if (!text.startsWith(TOKEN_PREFIX)) return undefined;
  const rest = text.slice(TOKEN_PREFIX.length);
  const id = rest.slice(0, 16);
  const secret = rest.slice(17);
  if (rest[16] !== "_" || !ID.test(id) || !SECRET.test(secret)) return undefined;
  return { id, secret };
}

/** The token an `Authorization` header carries: undefined without one, "malformed" for another scheme or a bad token. */
export function bearerToken(header: string | null): { id: string; secret: string } | "malformed" | undefined {
  if (header === null) return undefined;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  if (!match) return "malformed";
  return parseToken(match[1]!) ?? "malformed";
}

export const lowerRole = (a: Role, b: Role): Role => (roleAtLeast(a, b) ? b : a);

/**
 * A new token's roles: the creator's (the default), or `cap` in every environment where the creator
 * has more, so a token is never wider than whoever made it.
 */
export function tokenRolesFor(creator: TokenRoles, cap?: Role): TokenRoles {
  if (!cap) return { role: creator.role, roles: { ...creator.roles } };
  return {
    role: lowerRole(creator.role, cap),
    roles: Object.fromEntries(Object.entries(creator.roles).map(([env, role]) => [env, lowerRole(role, cap)])),
  };
}

/**
 * What a token may do in an environment as it is used: its own role there, and for a personal token
 * no more than its owner's role there now (a demoted owner's tokens are demoted with them).
 */
export function tokenRoleIn(token: TokenRoles, owner: TokenRoles | undefined, environmentId: string): Role {
  const own = roleIn(token, environmentId);
  return owner ? lowerRole(own, roleIn(owner, environmentId)) : own;
}

/** A token's roles as used now: tokenRoleIn in every environment either names. */
export function effectiveTokenRoles(token: TokenRoles, owner: TokenRoles | undefined): TokenRoles {
  if (!owner) return token;
  const environments = new Set([...Object.keys(token.roles), ...Object.keys(owner.roles)]);
  return {
    role: lowerRole(token.role, owner.role),
    roles: Object.fromEntries([...environments].map((env) => [env, tokenRoleIn(token, owner, env)])),
  };
}

export type TokenState = "active" | "expired" | "revoked";

export function tokenState(token: { expiresAt: number; revokedAt: number | null }, now: number): TokenState {
  if (token.revokedAt !== null) return "revoked";
  return token.expiresAt <= now ? "expired" : "active";
}
