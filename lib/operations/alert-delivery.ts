import "server-only";
import { destinationUrlProblem, type DestinationPolicy } from "../domain/alerts/destination-url";
import { requestFor, type AlertDestination } from "../domain/alerts/destinations";
import { GIVE_UP_AFTER_MS, refusedForGood, retryAfterMs, retryDelayMs } from "../domain/alerts/delivery-retry";
import { claimDueDeliveries, settleDelivery, type ClaimedDelivery, type Store, type TryOutcome } from "../store";

/**
 * Delivers what the alert outbox holds, at least once: each round claims the due rows, POSTs each
 * to its destination with a timeout, and settles it as delivered, to be tried again (backoff capped
 * at 5 minutes), or given up, the last error kept for the alerts page. A row is claimed for longer
 * than a try can take, so no two replicas send it at the same time; a replica that dies mid-try
 * leaves its claim to run out, and the row is sent again: at least once, not exactly once.
 */

export interface DeliveryOptions {
  /** This process where replicas meet in the store (lib/replica.ts). */
  owner: string;
  /** The configured destination of an id; undefined when there is none (any more). It may read the store. */
  destinationOf: (id: string) => AlertDestination | undefined | Promise<AlertDestination | undefined>;
  policy: DestinationPolicy;
  /** How long a try may take, answer read included. */
  timeoutMs?: number;
  /** Rows claimed per round. */
  limit?: number;
  now?: () => number;
}

export interface DeliveryRound {
  delivered: number;
  retrying: number;
  givenUp: number;
  /** Rows whose claim ran out and was taken over before they were settled: another replica settles them. */
  lostClaims: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** What a claim holds beyond a try's timeout: settling it in the store. */
const CLAIM_MARGIN_MS = 30_000;
const MAX_ERROR_LENGTH = 500;

const oneLine = (text: string): string => text.replace(/\s+/g, " ").trim().slice(0, MAX_ERROR_LENGTH);

/** One try of one row: its outcome, not yet settled. */
async function tryDelivery(row: ClaimedDelivery, options: DeliveryOptions, timeoutMs: number): Promise<TryOutcome> {
  const now = (options.now ?? Date.now)();
  const retry = (error: string, afterMs?: number): TryOutcome =>
    now - row.createdAt >= GIVE_UP_AFTER_MS
      ? { kind: "give-up", error: `${error} (given up after trying for a day)` }
      : { kind: "retry", error, nextAttemptAt: now + retryDelayMs(row.attempts + 1, afterMs) };
  let destination: AlertDestination | undefined;
  try {
    destination = await options.destinationOf(row.destination);
  } catch (err) {
    // The store unavailable, or a sealed destination the server secret no longer opens: tried again.
    return retry(oneLine(`destination ${row.destination} could not be read: ${(err as Error).message}`));
  }
  // Both are configuration an admin can fix: tried again meanwhile.
  if (!destination) return retry(`destination ${row.destination} is not configured`);
  const problem = destinationUrlProblem(destination.url, options.policy);
  if (problem) return retry(`destination ${row.destination}: its URL ${problem}`);
  const request = requestFor(destination, row.payload, now, row.id);
  try {
    const response = await fetch(request.url, {
      method: "POST",
      headers: request.headers,
      body: request.body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    const answer = oneLine(await response.text());
    if (response.ok) return { kind: "delivered" };
    const error = `HTTP ${response.status}${answer ? `: ${answer}` : ""}`;
    if (refusedForGood(response.status)) return { kind: "give-up", error };
    return retry(error, retryAfterMs(response.headers.get("retry-after"), now));
  } catch (err) {
    if (err instanceof Error && err.name === "TimeoutError") return retry(`no answer within ${timeoutMs} ms`);
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : "";
    return retry(oneLine(`${err instanceof Error ? err.message : String(err)}${cause}`));
  }
}

/** One round: the due rows claimed, tried side by side, and settled. */
export async function deliverDueAlerts(db: Store, options: DeliveryOptions): Promise<DeliveryRound> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const clock = options.now ?? Date.now;
  const claimed = await claimDueDeliveries(db, options.owner, clock(), {
    limit: options.limit ?? 20,
    claimMs: timeoutMs + CLAIM_MARGIN_MS,
  });
  const round: DeliveryRound = { delivered: 0, retrying: 0, givenUp: 0, lostClaims: 0 };
  await Promise.all(
    claimed.map(async (row) => {
      const outcome = await tryDelivery(row, options, timeoutMs);
      if (!(await settleDelivery(db, row, outcome, clock()))) round.lostClaims++;
      else if (outcome.kind === "delivered") round.delivered++;
      else if (outcome.kind === "retry") round.retrying++;
      else round.givenUp++;
    }),
  );
  return round;
}
