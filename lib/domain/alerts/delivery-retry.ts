/**
 * When to try a notification again: exponential backoff from 10 seconds, doubling, never more than
 * 5 minutes between tries, each delay drawn from its upper half so that deliverers that failed
 * together do not all come back together. A destination's Retry-After is honoured up to the cap.
 */

export const FIRST_RETRY_DELAY_MS = 10_000;
export const MAX_RETRY_DELAY_MS = 5 * 60_000;
/** A notification not delivered within a day is given up: by then it tells nobody anything. */
export const GIVE_UP_AFTER_MS = 24 * 60 * 60_000;

/** The delay before the next try, after `attempts` failed tries (1 after the first). */
export function retryDelayMs(attempts: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const doublings = Math.min(Math.max(attempts - 1, 0), 16);
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** doublings);
  const drawn = Math.round(ceiling / 2 + random() * (ceiling / 2));
  return Math.min(MAX_RETRY_DELAY_MS, Math.max(drawn, retryAfterMs ?? 0));
}

/**
 * Whether an HTTP answer refuses the notification for good: a 4xx other than 408 (timeout) and 429
 * (too many requests), as PagerDuty's Events API v2 says of its own ("Response Codes & Retry Logic":
 * 400 no retry; 429, 5xx and network errors retry), and Slack's incoming webhooks answer a bad
 * payload, a removed hook or an archived channel. A redirect is not followed: the destination is
 * the URL configured, nothing it points to.
 */
export const refusedForGood = (status: number): boolean =>
  (status >= 300 && status < 400) || (status >= 400 && status < 500 && status !== 408 && status !== 429);

/** A Retry-After header's delay (seconds, or an HTTP date), in ms from `now`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
