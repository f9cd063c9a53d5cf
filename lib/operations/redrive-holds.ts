import "server-only";
import { processSingleton } from "../process-singleton";

/**
 * What each redrive job running in this process holds in flight right now, so that the DLQ page
 * can say so: every dead letter the job received and has not yet deleted or made visible again,
 * with the time SQS would show it again by itself. Only this process's runs are known here.
 */

type Letters = Map<string, number>;

const holds = processSingleton("redriveJobHolds", () => new Map<string, Letters>());

/** The job received these letters, hidden until `until` (epoch millis). */
export function noteJobHolds(jobId: string, messageIds: readonly string[], until: number): void {
  const letters = holds.get(jobId) ?? new Map<string, number>();
  for (const id of messageIds) letters.set(id, until);
  holds.set(jobId, letters);
}

/** The job deleted these letters or made them visible again. */
export function dropJobHolds(jobId: string, messageIds: readonly string[]): void {
  const letters = holds.get(jobId);
  for (const id of messageIds) letters?.delete(id);
}

/** A run of the job starts (holding nothing yet) or ends (forgetting it). */
export function startJobHolds(jobId: string): void {
  holds.set(jobId, new Map());
}
export function endJobHolds(jobId: string): void {
  holds.delete(jobId);
}

/** How many letters the job holds and until when the last of them, or undefined when it does not run here. */
export function jobHoldsOf(jobId: string, now: number): { count: number; until?: number } | undefined {
  const letters = holds.get(jobId);
  if (!letters) return undefined;
  let count = 0;
  let until: number | undefined;
  for (const [id, at] of letters) {
    // SQS has shown it again by itself: the job's receipt handle no longer hides it.
    if (at <= now) {
      letters.delete(id);
      continue;
    }
    count++;
    until = Math.max(until ?? at, at);
  }
  return { count, ...(until !== undefined ? { until } : {}) };
}
