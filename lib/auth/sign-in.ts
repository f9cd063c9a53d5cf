import "server-only";
import { randomUUID } from "node:crypto";
import type { Config, UserEntry } from "../env";
import { SignInLimiter } from "../domain/sign-in-limit";
import { appendAudit, getStore } from "../store";
import { verifyCredentials } from "./users";

/** The error next-auth passes to the login form when attempts are refused. */
export const TOO_MANY_ATTEMPTS = "TooManyAttempts";

const limiter: SignInLimiter = ((globalThis as { __fanoutSignInLimiter?: SignInLimiter }).__fanoutSignInLimiter ??= new SignInLimiter());

/** Every sign-in, granted or not, is in the audit trail with the address it came from. */
export function auditSignIn(username: string, role: string | undefined, outcome: "success" | "failure", address: string | undefined, provider: string, detail?: string): void {
  appendAudit(getStore(), {
    actor: username.slice(0, 128),
    role: role ?? "none",
    action: "auth.sign-in",
    target: "console",
    before: null,
    after: { address: address ?? "unknown", provider },
    requestId: randomUUID(),
    outcome,
    ...(detail ? { detail } : {}),
  });
}

/**
 * The client address of a sign-in request: the last X-Forwarded-For entry, the one the nearest
 * proxy (the Next server itself, at least) appended; earlier entries are whatever the client sent.
 * Undefined when there is none.
 */
export function clientAddress(headers: Record<string, unknown> | undefined): string | undefined {
  const forwarded = headers?.["x-forwarded-for"];
  const last = typeof forwarded === "string" ? forwarded.split(",").pop()?.trim() : undefined;
  return last || undefined;
}

/**
 * Checks a user name and password, refusing (and auditing) past the failure limits of
 * lib/domain/sign-in-limit.ts; throws TOO_MANY_ATTEMPTS when refused.
 */
export async function signInWithPassword(username: string, password: string, address: string | undefined, config: Config): Promise<UserEntry | undefined> {
  const verdict = limiter.check(username, address, Date.now());
  if (!verdict.allowed) {
    auditSignIn(username, undefined, "failure", address, "credentials", `refused: too many failed sign-ins for this ${verdict.by}; allowed again in ${Math.ceil(verdict.retryAfterMs / 1000)} s`);
    throw new Error(TOO_MANY_ATTEMPTS);
  }
  const user = await verifyCredentials(username, password, config);
  if (!user) {
    limiter.recordFailure(username, address, Date.now());
    auditSignIn(username, undefined, "failure", address, "credentials", "wrong username or password");
    return undefined;
  }
  limiter.recordSuccess(username);
  auditSignIn(user.username, user.role, "success", address, "credentials");
  return user;
}
