/**
 * Failed sign-ins, counted per user name and per address over a sliding window: past the limit,
 * further attempts are refused until the oldest failure leaves the window. Per user stops a
 * password being guessed from many addresses; per address stops one client trying many users.
 * A success clears the user's count, not the address's. An unknown address (undefined) is not
 * counted: all such attempts would share one count, and a stranger could lock everyone out.
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

export type SignInVerdict = { allowed: true } | { allowed: false; by: "user" | "address"; retryAfterMs: number };

export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS) {}

  private recent(key: string, now: number): number[] {
    const kept = (this.failures.get(key) ?? []).filter((t) => t > now - this.limits.windowMs);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }

  check(user: string, address: string | undefined, now: number): SignInVerdict {
    const keys: Array<["user" | "address", string, number]> = [["user", userKey(user), this.limits.perUser]];
    if (address !== undefined) keys.push(["address", `a:${address}`, this.limits.perAddress]);
    for (const [by, key, limit] of keys) {
      const recent = this.recent(key, now);
      if (recent.length >= limit) return { allowed: false, by, retryAfterMs: recent[recent.length - limit]! + this.limits.windowMs - now };
    }
    return { allowed: true };
  }

  recordFailure(user: string, address: string | undefined, now: number): void {
    for (const key of address === undefined ? [userKey(user)] : [userKey(user), `a:${address}`]) {
      const recent = this.recent(key, now);
      // Re-inserted, so the map's order is least recently failed first.
      this.failures.delete(key);
      this.failures.set(key, [...recent, now]);
    }
    while (this.failures.size > MAX_KEYS) this.failures.delete(this.failures.keys().next().value!);
  }

  recordSuccess(user: string): void {
    this.failures.delete(userKey(user));
  }
}

/** User names are matched without regard to case, as sign-in does. */
const userKey = (user: string) => `u:${user.trim().toLowerCase()}`;
