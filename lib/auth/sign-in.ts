import "server-only";
import { randomUUID } from "node:crypto";
import { usernamePattern, type Config, type UserEntry } from "../env";
import { clientAddressFrom } from "../domain/client-address";
import { DEFAULT_SIGN_IN_LIMITS } from "../domain/sign-in-limit";
import { recordAudit } from "../operations/audited";
import { attemptSignIn, getStore, signInSucceeded } from "../store";
import { verifyCredentials } from "./users";

/** The error next-auth passes to the login form when attempts are refused. */
export const TOO_MANY_ATTEMPTS = "TooManyAttempts";

const limiterWindowMinutes = DEFAULT_SIGN_IN_LIMITS.windowMs / 60_000;

/** Every sign-in, granted or not, is in the audit trail with the address it came from. */
export async function auditSignIn(
  username: string,
  role: string | undefined,
  outcome: "success" | "failure",
  address: string | undefined,
  provider: string,
  detail?: string,
  extra?: Record<string, unknown>,
): Promise<void> {
  const actor = { name: username.slice(0, 128), role: role ?? "none" };
  await recordAudit(
    { actor, requestId: randomUUID() },
    {
      action: "auth.sign-in",
      target: "console",
      after: { address: address ?? "unknown", provider, ...extra },
      outcome,
      detail,
    },
  );
}

/**
 * The client address of a sign-in request, from X-Forwarded-For as far as `FANOUT_TRUSTED_PROXIES`
 * lets it be trusted (lib/domain/client-address.ts). Undefined when unknown.
 */
export function clientAddress(headers: Record<string, unknown> | undefined, config: Config): string | undefined {
  const forwarded = headers?.["x-forwarded-for"];
  const list =
    typeof forwarded === "string" || (Array.isArray(forwarded) && forwarded.every((f) => typeof f === "string"))
      ? forwarded
      : undefined;
  return clientAddressFrom(list, config.trustedProxies);
}

/** Bcrypt reads 72 bytes; anything far longer is not a password anyone typed. */
const MAX_PASSWORD_LENGTH = 1024;

/**
 * Checks a user name and password, refusing past the failure limits of lib/domain/sign-in-limit.ts,
 * counted in the store for every replica (throws TOO_MANY_ATTEMPTS). Input no user could have (a name
 * outside the user-name rule, an oversized password) is refused before the limits, and not counted.
 * A refusal is audited once per name or address and window, with the number refused.
 */
export async function signInWithPassword(
  username: string,
  password: string,
  address: string | undefined,
  config: Config,
  now: () => number = Date.now,
): Promise<UserEntry | undefined> {
  if (!usernamePattern.test(username) || password.length > MAX_PASSWORD_LENGTH) return undefined;
  const store = await getStore();
  const verdict = await attemptSignIn(store, username, address, now());
  if (!verdict.allowed) {
    if (verdict.audit) {
      const since = new Date(verdict.audit.since).toISOString();
      await auditSignIn(
        username,
        undefined,
        "failure",
        address,
        "credentials",
        `refused: too many failed sign-ins for this ${verdict.by}; allowed again in ` +
          `${Math.ceil(verdict.retryAfterMs / 1000)} s; ${verdict.audit.refused} refused since ${since}, further ` +
          `refusals in the next ${limiterWindowMinutes} min are counted in the next such entry`,
        { refused: verdict.audit.refused, refusedSince: since },
      );
    }
    throw new Error(TOO_MANY_ATTEMPTS);
  }
  // The attempt is already counted as a failure: a password check that throws stays one.
  const user = await verifyCredentials(username, password, config);
  if (!user) {
    await auditSignIn(username, undefined, "failure", address, "credentials", "wrong username or password");
    return undefined;
  }
  await signInSucceeded(store, verdict.attempt);
  await auditSignIn(user.username, user.role, "success", address, "credentials");
  return user;
}
