import { createHash } from "node:crypto";
import type { RefusalAudit } from "./refusal-tally";

export type { RefusalAudit };

/**
 * Failed sign-ins, counted per user name and per address over a sliding window: past the limit,
 * further attempts are refused until the oldest failure leaves the window. Per user stops a
 * password being guessed from many addresses; per address stops one client trying many users.
 * A success clears the user's count, not the address's. An unknown address (undefined) is not
 * counted: all such attempts would share one count, and a stranger could lock everyone out.
 *
 * An attempt is counted when it is let through, before its password is checked, so attempts sent
 * together cannot all pass the check before the first failure is recorded; a success takes its own
 * count back. The counts are kept in the store (lib/store/sign-in-limits.ts), shared by replicas.
 *
 * Refusals are not meant to be audited one by one (anyone can send them at full speed): a refusal
 * says `audit` only for the first refusal of a key in a window (lib/domain/refusal-tally.ts).
 * Pure: every time is passed in.
 */

export interface SignInLimits {
  perUser: number;
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { perUser: 5, perAddress: 20, windowMs: 15 * 60_000 };

export type SignInVerdict =
  | { allowed: true; attempt: SignInAttempt }
  | { allowed: false; by: "user" | "address"; retryAfterMs: number; audit?: RefusalAudit };

/** An attempt let through and already counted as a failure until it is known to have succeeded. */
export interface SignInAttempt {
  readonly userKey: string;
  readonly addressKey?: string;
  readonly at: number;
}

/** A count an attempt is checked against and counted under. */
export interface SignInCount {
  by: "user" | "address";
  key: string;
  limit: number;
}

/** The counts of an attempt, in the order they are checked: the user's, then the address's when it is known. */
export function signInCounts(user: string, address: string | undefined, limits: SignInLimits): SignInCount[] {
  const counts: SignInCount[] = [{ by: "user", key: userKey(user), limit: limits.perUser }];
  if (address !== undefined) counts.push({ by: "address", key: addressKey(address), limit: limits.perAddress });
  return counts;
}

/** The attempt let through at `now` under these counts. */
export function signInAttempt(counts: readonly SignInCount[], now: number): SignInAttempt {
  const address = counts.find((c) => c.by === "address");
  return { userKey: counts[0]!.key, ...(address ? { addressKey: address.key } : {}), at: now };
}

/** The window at `now` holds the failures after this time. */
export const windowStart = (now: number, windowMs: number) => now - windowMs;

/**
 * How long a key at its limit waits: until the oldest of its last `limit` failures leaves the
 * window. `newestFirst`: its failures in the window, newest first (the first `limit` suffice).
 * Undefined while the key is under its limit.
 */
export function retryAfterMs(
  newestFirst: readonly number[],
  limit: number,
  windowMs: number,
  now: number,
): number | undefined {
  const oldestCounted = newestFirst[limit - 1];
  return oldestCounted === undefined ? undefined : oldestCounted + windowMs - now;
}

/**
 * Keys are fixed-size digests, so a long name or address costs no more room than a short one.
 * User names are matched without regard to case, as sign-in does.
 */
const digest = (text: string) => createHash("sha256").update(text).digest("base64url");
const userKey = (user: string) => `u:${digest(user.trim().toLowerCase())}`;
const addressKey = (address: string) => `a:${digest(address)}`;
