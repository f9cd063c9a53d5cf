import { plural } from "./format";
import type { RedriveEngine } from "./replay";

/**
 * Who else holds a queue's letters in flight. SQS hides a received message from every other
 * reader until its visibility timeout runs out (SQS Developer Guide, "Amazon SQS visibility
 * timeout"), and says only how many are hidden (ApproximateNumberOfMessagesNotVisible), never by
 * whom: the console knows its own leases (other people's views) and its redrive jobs, and the rest
 * of the in-flight count is left unaccounted for (a consumer, another console, a redrive job that
 * another replica runs).
 *
 * Every role sees the holders' names: the audit trail, which viewers read, already names who leased
 * a queue and who started each job, and the redrive jobs table shows its starter to everyone, so
 * hiding the name here would hide nothing, while a viewer who knows whose view holds the letters can
 * ask that person to close it.
 */

/** Another person's view: letters leased to them. */
export interface ViewHold {
  kind: "view";
  actor: string;
  count: number;
  /** ISO time SQS shows the letters again, unless the view renews its lease. */
  until: string;
}

/** A running redrive job's letters: being moved, or looked at and held while it looks further. */
export interface JobHold {
  kind: "job";
  jobId: string;
  actor: string;
  engine: RedriveEngine;
  /** null: not known to this console process (SQS's move task, or a job another process runs). */
  count: number | null;
  /** ISO time the last of them shows again unless the job moves or releases it first; null with `count`. */
  until: string | null;
  /** Letters still to look at or move (the job's own count); null when not known yet. */
  remaining: number | null;
  moved: number;
}

export type Hold = ViewHold | JobHold;

/** `GET /api/queues/{name}/leases`: what holds the queue's letters, besides the caller's own lease. */
export interface QueueHolds {
  queue: string;
  /** SQS's ApproximateNumberOfMessagesNotVisible when asked. */
  inFlight: number;
  /** Letters in the caller's own lease. */
  yours: number;
  holds: Hold[];
  /** In flight, but in no lease or job this console knows of. */
  unaccounted: number;
  /** The caller's last lease on the queue was ended by an operator. */
  takenOver?: TakenOver;
}

/** Which lease of the caller's an operator ended, who and when (ISO). */
export interface TakenOver {
  leaseId: string;
  by: string;
  at: string;
}

/** A live lease as the console keeps it. */
export interface LeaseRecord {
  user: string;
  count: number;
  /** Epoch millis. */
  expiresAt: number;
}

/** Other people's live leases with letters in them, soonest to run out first. */
export function viewHolds(leases: readonly LeaseRecord[], caller: string, now: number): ViewHold[] {
  return leases
    .filter((l) => l.user !== caller && l.expiresAt > now && l.count > 0)
    .sort((a, b) => a.expiresAt - b.expiresAt)
    .map((l) => ({ kind: "view", actor: l.user, count: l.count, until: new Date(l.expiresAt).toISOString() }));
}

/** The in-flight letters no known lease or job accounts for (SQS's count is approximate: never below zero). */
export function unaccountedInFlight(inFlight: number, yours: number, holds: readonly Hold[]): number {
  return Math.max(0, inFlight - yours - holds.reduce((sum, h) => sum + (h.count ?? 0), 0));
}

/** Letters the holds are known to hold. */
export function heldCount(holds: readonly Hold[]): number {
  return holds.reduce((sum, h) => sum + (h.count ?? 0), 0);
}

/** "vera's view" or "redrive job 1a2b3c4d (started by otto)". */
export function holderLabel(hold: Hold): string {
  return hold.kind === "view"
    ? `${hold.actor}'s view`
    : `redrive job ${hold.jobId.slice(0, 8)} (started by ${hold.actor})`;
}

/** One hold as a phrase: how many, whom, until when; `time` formats an ISO time for the reader. */
export function describeHold(hold: Hold, time: (iso: string) => string): string {
  if (hold.kind === "job" && hold.count === null) {
    const who = hold.engine === "sqs-move-task" ? "SQS's message move task" : "another console process";
    return `an unknown number held by ${holderLabel(hold)}, which ${who} runs`;
  }
  const until = hold.until ? ` until ${time(hold.until)}` : "";
  return `${plural(hold.count ?? 0, "letter")} held by ${holderLabel(hold)}${until}`;
}

/** What a job still has to do, for the list while it runs: "40 remain to move, 12 moved". */
export function jobProgressPhrase(hold: JobHold): string {
  const remaining = hold.remaining === null ? "remaining not counted yet" : `${hold.remaining} remain to move`;
  return `${remaining}, ${hold.moved} moved`;
}

/**
 * Where the queue's other letters are, for the reader's empty list: so that "nothing here" is never
 * said of a queue whose letters someone else holds. Undefined when nothing else holds any.
 */
export function heldElsewhereSentence(holds: QueueHolds, time: (iso: string) => string): string | undefined {
  const parts = holds.holds.map((h) => describeHold(h, time));
  if (holds.unaccounted > 0)
    parts.push(
      `${plural(holds.unaccounted, "letter")} in flight in no view or job of this console (a consumer, or another console)`,
    );
  if (parts.length === 0) return undefined;
  return `Held elsewhere: ${parts.join("; ")}.`;
}
