import { AppError } from "./app-error";
import { roleAtLeast, type Role } from "./roles";

/**
 * Who may lease which queue, and how much. A lease hides messages from every other reader for its
 * visibility timeout (SQS Developer Guide, "Amazon SQS visibility timeout"), so it is a change in
 * AWS, however brief:
 *
 * - A viewer may lease a dead-letter queue only (a queue some queue's or subscription's redrive
 *   policy names), and within caps: at most VIEWER_LEASE_LIMITS.messages messages per lease,
 *   VIEWER_LEASE_LIMITS.leases leases at once, and VIEWER_LEASE_LIMITS.secondsPerHour seconds of
 *   leased time per queue in any rolling hour (renewals and re-opening included). So a viewer can
 *   neither starve a consumer nor hold up a running redrive for long.
 * - Leasing any other queue needs an operator: a live queue's consumer stops seeing the leased
 *   messages. A source queue (one with a RedrivePolicy) needs an operator who confirms, because
 *   every receive counts toward its maxReceiveCount, even with visibility 0 (SQS Developer Guide,
 *   "Using dead-letter queues in Amazon SQS"), so reading it can move live messages into its DLQ.
 *   That holds for a DLQ that is also a source queue.
 */

/** One lease period: how long a receive or a renewal hides the messages. */
export const LEASE_SECONDS = 300;

export const VIEWER_LEASE_LIMITS = {
  /** Messages in one lease. */
  messages: 100,
  /** Leases held at once (one per queue). */
  leases: 3,
  /** Leased time per queue in any rolling hour: three lease periods. */
  secondsPerHour: 900,
  /** A lease shorter than this is not worth opening. */
  minimumSeconds: 60,
} as const;

const HOUR_MS = 3_600_000;

export interface QueueKind {
  name: string;
  /** Some queue's or SNS subscription's redrive policy names it. */
  deadLetter: boolean;
  /** It has a redrive policy of its own: receives count toward its maxReceiveCount. */
  source?: { maxReceiveCount: number; deadLetterTargetArn: string };
}

/** Throws unless this role may lease this queue now (the confirmation only matters for a source queue). */
export function checkLeaseAllowed(role: Role, queue: QueueKind, confirmSourceRead: boolean): void {
  const operator = roleAtLeast(role, "operator");
  if (queue.source) {
    if (!operator) {
      throw new AppError(
        "forbidden",
        `${queue.name} is a source queue: every receive counts toward its maxReceiveCount ` +
          `(${queue.source.maxReceiveCount}) and can move live messages into its ` +
          `dead-letter queue. Reading it needs the operator role; you are signed in as ${role}.`,
      );
    }
    if (!confirmSourceRead) {
      throw new AppError(
        "confirmation_required",
        `${queue.name} is a source queue, not a dead-letter queue. On SQS every receive ` +
          `counts toward its maxReceiveCount (${queue.source.maxReceiveCount}), so reading ` +
          `it can move messages into its dead-letter queue. Confirm to read it anyway.`,
        {
          details: {
            maxReceiveCount: queue.source.maxReceiveCount,
            deadLetterTargetArn: queue.source.deadLetterTargetArn,
          },
        },
      );
    }
    return;
  }
  if (!queue.deadLetter && !operator) {
    throw new AppError(
      "forbidden",
      `${queue.name} is not a dead-letter queue: reading it hides live messages from ` +
        `its consumers. That needs the operator role; you are signed in as ${role}.`,
    );
  }
}

/** When a lease began and until when it hides (or hid) its messages, epoch millis. */
export interface LeaseSpan {
  start: number;
  end: number;
}

/** Leased time of these spans that falls in the rolling hour before `now`, the time still to come included. */
export function leasedMsInLastHour(spans: readonly LeaseSpan[], now: number): number {
  const from = now - HOUR_MS;
  return spans.reduce((sum, s) => sum + Math.max(0, s.end - Math.max(s.start, from)), 0);
}

/** Spans that no longer count toward the rolling hour. */
export function liveSpans(spans: readonly LeaseSpan[], now: number): LeaseSpan[] {
  return spans.filter((s) => s.end > now - HOUR_MS);
}

/**
 * How long a new viewer lease may hide messages, in whole seconds, given the viewer's spans on this
 * queue and the leases they hold on other queues; throws when a cap is reached.
 */
export function viewerLeaseSeconds(
  queueName: string,
  spans: readonly LeaseSpan[],
  otherLeases: number,
  now: number,
): number {
  if (otherLeases >= VIEWER_LEASE_LIMITS.leases) {
    throw new AppError(
      "throttled",
      `You already hold ${otherLeases} leases; a viewer may hold ${VIEWER_LEASE_LIMITS.leases} at once. Close another dead-letter queue's view first.`,
    );
  }
  const left = Math.floor((VIEWER_LEASE_LIMITS.secondsPerHour * 1000 - leasedMsInLastHour(spans, now)) / 1000);
  if (left < VIEWER_LEASE_LIMITS.minimumSeconds) {
    throw new AppError(
      "throttled",
      `You have leased ${queueName} for ${VIEWER_LEASE_LIMITS.secondsPerHour / 60} ` +
        `minutes of the last hour, the most a viewer may, so that a lease ` +
        `cannot hold its messages up for long. Try again later, or ask an operator.`,
    );
  }
  return Math.min(LEASE_SECONDS, left);
}

/**
 * The new end of a viewer's lease renewed at `now`: another lease period, cut to what is left of the
 * viewer's hour on this queue (`spans` include the current one); throws when nothing is left.
 */
export function viewerRenewalEnd(
  queueName: string,
  current: LeaseSpan,
  spans: readonly LeaseSpan[],
  now: number,
): number {
  const wanted = now + LEASE_SECONDS * 1000;
  const left = VIEWER_LEASE_LIMITS.secondsPerHour * 1000 - leasedMsInLastHour(spans, now);
  const end = Math.min(wanted, current.end + Math.max(0, left));
  if (end - current.end < 1000 && wanted > current.end) {
    throw new AppError(
      "throttled",
      `Your lease on ${queueName} has reached the viewer limit of ` +
        `${VIEWER_LEASE_LIMITS.secondsPerHour / 60} leased minutes per queue per hour; its ` +
        `messages become visible again at ${new Date(current.end).toISOString()}.`,
    );
  }
  return Math.max(end, current.end);
}
