/**
 * Good/bad event counts and the availability SLI computed from them. Every SLI here is
 * good / (good + bad): a ratio of events, not of time, so a quiet hour weighs as little as it should.
 */

export interface Counts {
  good: number;
  bad: number;
}

/** good / (good + bad); null when there were no events: "no data" must never read as 100 %. */
export function sli(c: Counts): number | null {
  const total = c.good + c.bad;
  if (total === 0) return null;
  return c.good / total;
}

/**
 * SNS delivery to subscriptions: SLI = Delivered / (Delivered + Failed), from the topic metrics
 * NumberOfNotificationsDelivered and NumberOfNotificationsFailed (SNS Developer Guide
 * "Monitoring Amazon SNS topics using CloudWatch").
 */
export function snsDeliveryCounts(delivered: number, failed: number): Counts {
  return { good: delivered, bad: failed };
}

/**
 * Lambda: SLI = 1 − (Errors + Throttles) / (Invocations + Throttles). Throttled requests are not
 * counted in Invocations (Lambda Developer Guide "Types of metrics for Lambda functions"), so they
 * are added to the denominator; Errors are a subset of Invocations, hence good = Invocations − Errors.
 * The floor at 0 guards against metrics read from slightly different periods.
 */
export function lambdaInvocationCounts(invocations: number, errors: number, throttles: number): Counts {
  return { good: Math.max(0, invocations - errors), bad: errors + throttles };
}

/**
 * A subscription path (topic → queue → function): good = messages its consumer processed (deleted
 * from the queue); bad = messages dead-lettered from it + SNS delivery failures to it.
 * Why not Lambda Errors: with ReportBatchItemFailures a failed record is not a Lambda error (Lambda
 * Developer Guide "Implementing partial batch responses"), and a message that fails twice then
 * succeeds was not lost. What the user cares about is whether each message got through.
 */
export function pathCounts(p: { processed: number; deadLettered: number; deliveryFailed: number }): Counts {
  return { good: p.processed, bad: p.deadLettered + p.deliveryFailed };
}

export function sumCounts(cs: Counts[]): Counts {
  let good = 0;
  let bad = 0;
  for (const c of cs) {
    good += c.good;
    bad += c.bad;
  }
  return { good, bad };
}

export interface DepthSample {
  /** Epoch milliseconds. */
  at: number;
  /** ApproximateNumberOfMessagesVisible + ApproximateNumberOfMessagesNotVisible. */
  depth: number;
}

export interface Removal {
  /** Epoch milliseconds. */
  at: number;
  count: number;
}

/**
 * Messages moved into a dead-letter queue over the sampled window.
 *
 * AWS publishes no "moved to DLQ" metric: a DLQ's NumberOfMessagesSent leaves out messages moved
 * there automatically by a redrive policy (SQS Developer Guide "Available CloudWatch metrics for
 * Amazon SQS"). So the inflow is reconstructed from the depth: for each pair of consecutive samples,
 * arrivals ≥ (depth increase) + (what the console removed in between). Removals are added inside
 * each interval before clipping at 0, because a replay and new arrivals in the same interval cancel
 * out in the depth: clipping first would lose those arrivals, adding all removals afterwards would
 * count removals from intervals where nothing arrived. Removals by anything else (a consumer, an
 * SQS-native redrive) are invisible and only make the result a lower bound.
 *
 * Interval i is (t_i, t_{i+1}]: a removal at or before the first sample, or after the last, is
 * outside the window. Unsorted input is sorted (the inputs are not mutated). Fewer than two
 * samples → null (no data).
 */
export function dlqInflow(samples: DepthSample[], removals: Removal[]): number | null {
  if (samples.length < 2) return null;
  const sorted = [...samples].sort((a, b) => a.at - b.at);
  const removed = [...removals].sort((a, b) => a.at - b.at);

  let inflow = 0;
  let r = 0;
  // Skip removals at or before the first sample.
  const first = sorted[0];
  if (first === undefined) return null;
  while (r < removed.length && (removed[r]?.at ?? Infinity) <= first.at) r++;

  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (prev === undefined || cur === undefined) continue;
    let removedInInterval = 0;
    for (let next = removed[r]; next !== undefined && next.at <= cur.at; next = removed[++r]) {
      removedInInterval += next.count;
    }
    inflow += Math.max(0, cur.depth - prev.depth + removedInInterval);
  }
  return inflow;
}
