import { depthSamples, dlqInflowSince, type DepthSeries, type Removal } from "./sla/counts";
import { arnName } from "./subscription";

/**
 * Which queues are dead-letter queues, what feeds them, and which need attention first. A queue
 * is a DLQ when another queue's RedrivePolicy or an SNS subscription's RedrivePolicy names it as
 * `deadLetterTargetArn` (SQS Developer Guide, "Using dead-letter queues"; SNS Developer Guide,
 * "Amazon SNS dead-letter queues"). A queue can be a DLQ and have a DLQ of its own.
 */

export interface QueueDescription {
  name: string;
  url: string;
  arn: string;
  fifo: boolean;
  visible: number;
  inFlight: number;
  delayed: number;
  retentionSeconds: number;
  /** Seconds a received message stays hidden; absent when not read. */
  visibilityTimeoutSeconds?: number;
  redrivePolicy?: { deadLetterTargetArn: string; maxReceiveCount: number };
  /** The queue's access policy (JSON text), when it has one. */
  policy?: string;
  /** The queue's MaximumMessageSize in bytes (1,024 to 1,048,576), when read. */
  maximumMessageSize?: number;
  /** The KMS key of SSE-KMS (`KmsMasterKeyId`: key id, ARN or alias), when the queue has one. */
  kmsMasterKeyId?: string;
}

export interface SubscriptionRedrive {
  subscriptionArn: string;
  topicArn: string;
  endpoint: string;
  deadLetterTargetArn: string;
}

/** The redrive of every subscription that has one: the SNS side of "what feeds a DLQ". */
export function subscriptionRedrives(
  subscriptions: { arn: string; topicArn: string; endpoint: string; deadLetterTargetArn?: string }[],
): SubscriptionRedrive[] {
  return subscriptions.flatMap((s) =>
    s.deadLetterTargetArn
      ? [
          {
            subscriptionArn: s.arn,
            topicArn: s.topicArn,
            endpoint: s.endpoint,
            deadLetterTargetArn: s.deadLetterTargetArn,
          },
        ]
      : [],
  );
}

/** What CloudWatch says about a queue recently; absent where the endpoint has no data. */
export interface QueueMetrics {
  /** ApproximateAgeOfOldestMessage, seconds, the latest minute with data. */
  oldestAgeSeconds?: number;
  /**
   * Change of what the queue holds, visible plus in flight, between the window's first and last
   * datapoint: a letter someone has leased is still in the queue.
   */
  growth?: number;
  growthWindowMinutes?: number;
  /** What entered the queue over the window, derived as the SLA derives a DLQ's inflow. */
  inflow?: number;
  inflowWindowMinutes?: number;
}

/** A queue's recent AWS/SQS series per minute, as the overview reads them: its oldest age (Maximum) and depth. */
export interface RecentQueueSeries extends DepthSeries {
  age: readonly { at: number; value: number }[];
}

/**
 * A DLQ's figures over the window from `fromMs` to its latest datapoint. What entered it is
 * dlqInflowSince, the one derivation the SLA and the topology's cards use: AWS publishes no "moved
 * to DLQ" metric (its NumberOfMessagesSent leaves out what a redrive policy moves, SQS Developer
 * Guide "Available CloudWatch metrics for Amazon SQS"), so arrivals come from the depth, visible
 * plus not visible, with the console's own removals added back. Counting visible messages alone,
 * a DLQ someone is reading would look drained.
 */
export function recentDlqMetrics(
  series: RecentQueueSeries,
  removals: Removal[],
  fromMs: number,
  windowMinutes: number,
): QueueMetrics {
  const metrics: QueueMetrics = {};
  const age = series.age.filter((p) => p.at >= fromMs);
  if (age.length) metrics.oldestAgeSeconds = age.at(-1)!.value;
  const inflow = dlqInflowSince(series, removals, fromMs);
  if (inflow === null) return metrics;
  const held = depthSamples(series, fromMs);
  const first = held[0]!;
  const last = held.at(-1)!;
  return {
    ...metrics,
    growth: last.depth - first.depth,
    growthWindowMinutes: Math.round((last.at - first.at) / 60_000),
    inflow: Math.round(inflow),
    inflowWindowMinutes: windowMinutes,
  };
}

export type DeadLetterSource =
  | { kind: "queue"; name: string; arn: string; url: string; maxReceiveCount: number; retentionSeconds: number }
  | { kind: "subscription"; subscriptionArn: string; topicArn: string; endpoint: string };

/** A DLQ is a queue described as usual (its own redrive policy, if any, left out) plus what feeds it. */
export interface DeadLetterQueue extends Omit<QueueDescription, "redrivePolicy"> {
  sources: DeadLetterSource[];
  oldestAgeSeconds?: number;
  /**
   * Seconds until the oldest dead letter is deleted by SQS. On a standard queue its clock started
   * when it was first sent to the source queue, not when it was dead-lettered (SQS Developer
   * Guide, "Using dead-letter queues": the enqueue timestamp is kept); the age metric measures
   * from that same moment, so retention minus age holds for both queue types.
   */
  oldestExpiresInSeconds?: number;
  /** Change of visible plus in flight over the window (QueueMetrics.growth). */
  growth?: number;
  growthWindowMinutes?: number;
  /** What entered the DLQ over the window, leased letters included (QueueMetrics.inflow). */
  inflow?: number;
  inflowWindowMinutes?: number;
}

export function describeDeadLetterQueues(
  queues: QueueDescription[],
  subscriptions: SubscriptionRedrive[],
  metrics: Record<string, QueueMetrics> = {},
): DeadLetterQueue[] {
  const byArn = new Map(queues.map((q) => [q.arn, q]));
  const sources = new Map<string, DeadLetterSource[]>();
  const add = (target: string, source: DeadLetterSource) =>
    sources.set(target, [...(sources.get(target) ?? []), source]);
  for (const q of queues) {
    if (q.redrivePolicy)
      add(q.redrivePolicy.deadLetterTargetArn, {
        kind: "queue",
        name: q.name,
        arn: q.arn,
        url: q.url,
        maxReceiveCount: q.redrivePolicy.maxReceiveCount,
        retentionSeconds: q.retentionSeconds,
      });
  }
  for (const s of subscriptions)
    add(s.deadLetterTargetArn, {
      kind: "subscription",
      subscriptionArn: s.subscriptionArn,
      topicArn: s.topicArn,
      endpoint: s.endpoint,
    });

  const dlqs: DeadLetterQueue[] = [];
  for (const [arn, feeding] of sources) {
    const q = byArn.get(arn);
    if (!q) continue; // A redrive policy naming a queue that is gone; the topology reports it.
    const m = metrics[q.name] ?? {};
    const { redrivePolicy: _ownRedrive, ...queue } = q;
    dlqs.push({
      ...queue,
      sources: feeding.sort((a, b) => sourceName(a).localeCompare(sourceName(b))),
      ...(m.oldestAgeSeconds !== undefined
        ? {
            oldestAgeSeconds: m.oldestAgeSeconds,
            oldestExpiresInSeconds: Math.max(0, q.retentionSeconds - m.oldestAgeSeconds),
          }
        : {}),
      ...(m.growth !== undefined ? { growth: m.growth, growthWindowMinutes: m.growthWindowMinutes } : {}),
      ...(m.inflow !== undefined ? { inflow: m.inflow, inflowWindowMinutes: m.inflowWindowMinutes } : {}),
    });
  }
  return dlqs.sort(byTrouble);
}

export function sourceName(source: DeadLetterSource): string {
  return source.kind === "queue" ? source.name : arnName(source.endpoint);
}

/** Most messages first, then the most arrivals, then the soonest to lose a message, then by name. */
export function byTrouble(a: DeadLetterQueue, b: DeadLetterQueue): number {
  const depth = (q: DeadLetterQueue) => q.visible + q.inFlight + q.delayed;
  return (
    depth(b) - depth(a) ||
    (b.inflow ?? 0) - (a.inflow ?? 0) ||
    (a.oldestExpiresInSeconds ?? Infinity) - (b.oldestExpiresInSeconds ?? Infinity) ||
    a.name.localeCompare(b.name)
  );
}

/** Seconds as an operator reads them: "45 s", "12 min", "3 h 20 min", "13 d 4 h". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h${s % 3600 >= 60 ? ` ${Math.floor((s % 3600) / 60)} min` : ""}`;
  return `${Math.floor(s / 86_400)} d${s % 86_400 >= 3600 ? ` ${Math.floor((s % 86_400) / 3600)} h` : ""}`;
}
