/**
 * How long a console session lasts, from sign-in, however often it is used (absolute, not sliding).
 * A password user's role and existence are re-read on every request; an identity-provider user's
 * role is the one the provider asserted at sign-in, so their sessions are shorter: after an hour
 * they sign in again and the provider asserts the role afresh.
 */

export const PASSWORD_SESSION_MS = 8 * 60 * 60 * 1000;
export const OIDC_SESSION_MS = 60 * 60 * 1000;

export type SessionProvider = "credentials" | "oidc";

export const sessionLifetimeMs = (provider: SessionProvider) =>
  provider === "oidc" ? OIDC_SESSION_MS : PASSWORD_SESSION_MS;

export interface SessionState {
  expiresAt: number;
  endedAt?: number;
}

/** Whether a session is usable now: not ended, and `now` before its absolute expiry. */
export const isSessionLive = (session: SessionState | undefined, now: number): boolean =>
  session !== undefined && session.endedAt === undefined && now < session.expiresAt;
