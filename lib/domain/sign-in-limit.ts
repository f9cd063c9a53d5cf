import { createHash } from "node:crypto";
import { RefusalTally, type RefusalAudit } from "./refusal-tally";

export type { RefusalAudit };

/**
 * Failed sign-ins, counted per user name and per address over a sliding window: past the limit,
 * further attempts are refused until the oldest failure leaves the window. Per user stops a
 * password being guessed from many addresses; per address stops one client trying many users.
 * A success clears the user's count, not the address's. An unknown address (undefined) is not
 * counted: all such attempts would share one count, and a stranger could lock everyone out.
 *
 * An attempt is counted when it is let through (`attempt`), before its password is checked, so
 * attempts sent together cannot all pass the check before the first failure is recorded; a
 * success takes its own count back (`succeeded`).
 *
 * Refusals are not meant to be audited one by one (anyone can send them at full speed): a refusal
 * says `audit` only for the first refusal of a key in a window (RefusalTally).
 * Pure: every time is passed in.
 */

export interface SignInLimits {
  perUser: number;
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { perUser: 5, perAddress: 20, windowMs: 15 * 60_000 };

/** Keys kept at most; the least recently failed go first, so a flood of names cannot exhaust memory. */
const MAX_KEYS = 10_000;

export type SignInVerdict =
  | { allowed: true; attempt: SignInAttempt }
  | { allowed: false; by: "user" | "address"; retryAfterMs: number; audit?: RefusalAudit };

/** An attempt let through and already counted as a failure until `succeeded` says otherwise. */
export interface SignInAttempt {
  readonly userKey: string;
  readonly addressKey?: string;
  readonly at: number;
}

export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly refusals: RefusalTally;

  constructor(private readonly limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS) {
    this.refusals = new RefusalTally(limits.windowMs);
  }

  private recent(key: string, now: number): number[] {
    const kept = (this.failures.get(key) ?? []).filter((t) => t > now - this.limits.windowMs);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }

  /** Lets the attempt through (and counts it) or refuses it, in one step. */
  attempt(user: string, address: string | undefined, now: number): SignInVerdict {
    const keys: Array<["user" | "address", string, number]> = [["user", userKey(user), this.limits.perUser]];
    if (address !== undefined) keys.push(["address", addressKey(address), this.limits.perAddress]);
    for (const [by, key, limit] of keys) {
      const recent = this.recent(key, now);
      if (recent.length >= limit) {
        const retryAfterMs = recent[recent.length - limit]! + this.limits.windowMs - now;
        const audit = this.refusals.note(key, now);
        return { allowed: false, by, retryAfterMs, ...(audit ? { audit } : {}) };
      }
    }
    const attempt: SignInAttempt = { userKey: keys[0]![1], ...(keys[1] ? { addressKey: keys[1][1] } : {}), at: now };
    for (const [, key] of keys) this.push(key, now);
    return { allowed: true, attempt };
  }

  /** The password was right: the user's count is cleared and the address's loses this attempt. */
  succeeded(attempt: SignInAttempt): void {
    this.failures.delete(attempt.userKey);
    if (attempt.addressKey === undefined) return;
    const times = this.failures.get(attempt.addressKey);
    const index = times?.indexOf(attempt.at) ?? -1;
    if (times && index >= 0) times.splice(index, 1);
  }

  /** A failure counted outside `attempt` (tests, or a check made elsewhere). */
  recordFailure(user: string, address: string | undefined, now: number): void {
    this.push(userKey(user), now);
    if (address !== undefined) this.push(addressKey(address), now);
  }

  private push(key: string, now: number): void {
    const recent = this.recent(key, now);
    // Re-inserted, so the map's order is least recently failed first.
    this.failures.delete(key);
    this.failures.set(key, [...recent, now]);
    while (this.failures.size > MAX_KEYS) this.failures.delete(this.failures.keys().next().value!);
  }
}

/**
 * Keys are fixed-size digests, so a long name or address costs no more memory than a short one.
 * User names are matched without regard to case, as sign-in does.
 */
const digest = (text: string) => createHash("sha256").update(text).digest("base64url");
const userKey = (user: string) => `u:${digest(user.trim().toLowerCase())}`;
const addressKey = (address: string) => `a:${digest(address)}`;
