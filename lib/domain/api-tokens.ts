import type { Access, Binding } from "./bindings";
import { lowerRole, type Role } from "./roles";

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

/**
 * What a token may do: its own bindings, within its creator's at the time it was made (the lower of
 * the two roles counts on every resource, so a token is never wider than whoever made it).
 */
export interface TokenGrant {
  bindings: Binding[];
  within: Binding[];
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

/**
 * A new token's grant: the bindings asked for (the creator's by default), each role lowered to `cap`
 * when one is given, all within the creator's bindings.
 */
export function tokenGrantFor(creator: readonly Binding[], request: { bindings?: Binding[]; cap?: Role }): TokenGrant {
  const own = request.bindings ?? creator.map((binding) => ({ ...binding, from: `creator's ${binding.from}` }));
  const cap = request.cap;
  return {
    bindings: cap ? own.map((binding) => ({ ...binding, role: lowerRole(binding.role, cap) })) : own,
    within: [...creator],
  };
}

/**
 * What a token may do as it is used: its grant, and for a personal token of a password user no more
 * than its owner's bindings now (a demoted owner's tokens are demoted with them).
 */
export function tokenAccess(grant: TokenGrant, owner: readonly Binding[] | undefined): Access {
  return { bindings: grant.bindings, caps: owner ? [grant.within, owner] : [grant.within] };
}

export type TokenState = "active" | "expired" | "revoked";

export function tokenState(token: { expiresAt: number; revokedAt: number | null }, now: number): TokenState {
  if (token.revokedAt !== null) return "revoked";
  return token.expiresAt <= now ? "expired" : "active";
}
