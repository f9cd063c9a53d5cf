import { RESOURCE_DIMENSION } from "./metric-queries";

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
 * SNS delivery to subscriptions: good = NumberOfNotificationsDelivered, bad =
 * NumberOfNotificationsFailed + `pending` (see snsPendingDeliveries) from the topic metrics (SNS
 * Developer Guide "Monitoring Amazon SNS topics using CloudWatch").
 */
export function snsDeliveryCounts(delivered: number, failed: number, pending = 0): Counts {
  return { good: delivered, bad: failed + Math.max(0, pending) };
}

/**
 * Deliveries SNS owes: max(0, published × subscriptions − delivered − filtered out − failed).
 *
 * NumberOfNotificationsFailed rises only when SNS stops retrying, and for SQS and Lambda endpoints
 * it retries server-side errors up to 100,015 times over 23 days (SNS Developer Guide "Amazon SNS
 * message delivery retries"). During an outage of the queue or function, Delivered falls and
 * Failed stays flat; what was published and neither delivered, filtered out nor failed is what is
 * still being retried, and it counts as bad so that the short burn windows see the outage.
 * NumberOfNotificationsFilteredOut is the total rejected by subscription filter policies (its
 * -InvalidAttributes / -NoMessageAttributes variants are parts of it, not added again).
 * A topic with no known subscriptions (or metrics of a topic the account no longer lists) owes
 * nothing: 0. A subscription added during the window makes this an overestimate for its first
 * minutes; one removed makes it an underestimate.
 */
export function snsPendingDeliveries(p: {
  published: number;
  subscriptions: number;
  delivered: number;
  filteredOut: number;
  failed: number;
}): number {
  if (!(p.subscriptions > 0)) return 0;
  return Math.max(0, p.published * p.subscriptions - p.delivered - p.filteredOut - p.failed);
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

/** Where a subscription DLQ's inflow comes from: an exact metric, or the rises of its depth. */
export type SubscriptionDlqSource = "NumberOfMessagesSent" | "NumberOfNotificationsRedrivenToDlq" | "depth";

/**
 * Messages SNS moved into a subscription's dead-letter queue. SNS puts them there with SendMessage,
 * so the DLQ's NumberOfMessagesSent counts them exactly, which is what AWS recommends alarming on
 * (SNS Developer Guide "Amazon SNS dead-letter queues (DLQs)"); SNS also publishes
 * NumberOfNotificationsRedrivenToDlq per topic ("Monitoring Amazon SNS topics using CloudWatch").
 * An exact figure is used where it belongs to this subscription alone: the DLQ's sends when no
 * other known subscription uses that DLQ, else the topic's redrives when no other subscription of
 * the topic has a DLQ. `undefined` means the metric has no datapoints (not published). Otherwise
 * the inflow derived from the depth (dlqInflow), a lower bound.
 */
export function subscriptionDlqInflow(f: {
  sentToDlq: number | undefined;
  subscriptionsUsingDlq: number;
  redrivenByTopic: number | undefined;
  topicSubscriptionsWithDlq: number;
  fromDepth: number;
}): { count: number; source: SubscriptionDlqSource } {
  if (f.sentToDlq !== undefined && f.subscriptionsUsingDlq === 1)
    return { count: f.sentToDlq, source: "NumberOfMessagesSent" };
  if (f.redrivenByTopic !== undefined && f.topicSubscriptionsWithDlq === 1)
    return { count: f.redrivenByTopic, source: "NumberOfNotificationsRedrivenToDlq" };
  return { count: f.fromDepth, source: "depth" };
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
  /** What the DLQ held at most in the period, visible plus not visible, as far as its statistics tell. */
  depth: number;
}

export interface Removal {
  /** Epoch milliseconds. */
  at: number;
  count: number;
}

type Point = { at: number; value: number };

/**
 * A DLQ's depth series as CloudWatch returns them, one point per period: the Maximum of
 * ApproximateNumberOfMessagesVisible and of ApproximateNumberOfMessagesNotVisible, and, where read,
 * their Minimum. Without a period's Minimum its depth is the sum of the maxima.
 */
export interface DepthSeries {
  visible: readonly Point[];
  notVisible: readonly Point[];
  minVisible?: readonly Point[];
  minNotVisible?: readonly Point[];
}

/** The SQS metric and statistic of each depth series. */
const DEPTH_METRICS = {
  visible: ["ApproximateNumberOfMessagesVisible", "Maximum"],
  notVisible: ["ApproximateNumberOfMessagesNotVisible", "Maximum"],
  minVisible: ["ApproximateNumberOfMessagesVisible", "Minimum"],
  minNotVisible: ["ApproximateNumberOfMessagesNotVisible", "Minimum"],
} as const satisfies Record<keyof DepthSeries, readonly [string, string]>;

const DEPTH_SERIES = Object.keys(DEPTH_METRICS) as (keyof DepthSeries)[];

/**
 * The GetMetricData queries of a queue's four depth series, with ids `${idPrefix}_${series}`
 * (idPrefix must start with a lowercase letter, as GetMetricData requires of an Id); depthSeriesFrom
 * reads the answer back.
 */
export function depthQueries(
  queue: string,
  idPrefix: string,
): {
  id: string;
  namespace: "AWS/SQS";
  metricName: string;
  dimensions: { name: string; value: string }[];
  stat: string;
}[] {
  return DEPTH_SERIES.map((series) => ({
    id: `${idPrefix}_${series}`,
    namespace: "AWS/SQS",
    metricName: DEPTH_METRICS[series][0],
    dimensions: [{ name: RESOURCE_DIMENSION["AWS/SQS"], value: queue }],
    stat: DEPTH_METRICS[series][1],
  }));
}

/** A queue's depth series from what GetMetricData returned for depthQueries(queue, idPrefix). */
export function depthSeriesFrom(idPrefix: string, fetched: ReadonlyMap<string, readonly Point[]>): DepthSeries {
  const read = (series: keyof DepthSeries) => fetched.get(`${idPrefix}_${series}`) ?? [];
  return {
    visible: read("visible"),
    notVisible: read("notVisible"),
    minVisible: read("minVisible"),
    minNotVisible: read("minNotVisible"),
  };
}

/**
 * The depth samples of a DLQ, one per period of its visible series from `fromMs` on: what it held
 * at most, visible plus not visible. Both count: a message a view or a redrive job has leased is in
 * flight, still in the DLQ, and must not read as drained.
 *
 * CloudWatch gives each series' Maximum and Minimum over the period (CloudWatch User Guide
 * "Statistics definitions"), not the Maximum of their sum. SQS publishes these metrics about once a
 * minute (SQS Developer Guide "Available CloudWatch metrics for Amazon SQS"), so a period of an
 * hour, or a minute of an emulator that samples more often, holds several datapoints: a letter
 * that arrived and was leased within it is in both maxima, and their sum counts it twice (and a
 * lease that ended, too). So the depth is the largest of two lower bounds of the period's maximum,
 * max(Maximum visible + Minimum not visible, Minimum visible + Maximum not visible): at the
 * datapoint where visible peaked, not visible was at least its minimum, and conversely. With one
 * datapoint in the period both equal the true depth. Where a period has no Minimum, the sum of the
 * maxima stands (an upper bound); no not-visible datapoint at all is 0 in flight.
 */
export function depthSamples(series: DepthSeries, fromMs = -Infinity): DepthSample[] {
  const byTime = (points: readonly Point[] | undefined) => new Map((points ?? []).map((p) => [p.at, p.value]));
  const hiddenMax = byTime(series.notVisible);
  const hiddenMin = byTime(series.minNotVisible);
  const visibleMin = byTime(series.minVisible);
  return series.visible
    .filter((p) => p.at >= fromMs)
    .map((p) => {
      const maxHidden = hiddenMax.get(p.at);
      if (maxHidden === undefined) return { at: p.at, depth: p.value };
      const minHidden = hiddenMin.get(p.at);
      const minVisible = visibleMin.get(p.at);
      if (minHidden === undefined || minVisible === undefined) return { at: p.at, depth: p.value + maxHidden };
      return { at: p.at, depth: Math.max(p.value + minHidden, minVisible + maxHidden) };
    });
}

/**
 * What entered a DLQ from `fromMs` to its last sample: the one derivation the SLA, the topology's
 * DLQ cards and the charts share (depthSamples, then dlqInflow). null: fewer than two samples.
 */
export function dlqInflowSince(series: DepthSeries, removals: Removal[], fromMs: number): number | null {
  return dlqInflow(depthSamples(series, fromMs), removals);
}

/**
 * Messages moved into a dead-letter queue over the sampled window: the sum of dlqInflowSeries.
 * Fewer than two samples → null (no data).
 */
export function dlqInflow(samples: DepthSample[], removals: Removal[]): number | null {
  const series = dlqInflowSeries(samples, removals);
  return series === null ? null : series.reduce((total, p) => total + p.count, 0);
}

/**
 * Messages moved into a dead-letter queue, per interval between consecutive samples, each at the
 * time of the sample ending it.
 *
 * AWS publishes no "moved to DLQ" metric: a DLQ's NumberOfMessagesSent leaves out messages moved
 * there automatically by a redrive policy (SQS Developer Guide "Available CloudWatch metrics for
 * Amazon SQS"). So the inflow is reconstructed from the depth: for each pair of consecutive samples,
 * arrivals ≥ (depth increase) + (what the console removed in between). Removals are added inside
 * each interval before clipping at 0, because a replay and new arrivals in the same interval cancel
 * out in the depth: clipping first would lose those arrivals, adding all removals afterwards would
 * count removals from intervals where nothing arrived. Removals by anything else (a consumer, an
 * SQS-native redrive outside the console) are invisible and only make the result a lower bound.
 *
 * Interval i is (t_i, t_{i+1}]: a removal at or before the first sample, or after the last, is
 * outside the window. A depth sample is a statistic over its period (the most held over the minute
 * or hour starting at t_i), so a removal's drop can show one interval after the one its time falls
 * in, or, when it was booked a moment after it happened, one interval before. A removal is
 * therefore matched with a drop in the interval next to its own before anything is counted: a
 * replay spread over many samples adds nothing, whichever sample shows each batch leaving.
 *
 * Unsorted input is sorted (the inputs are not mutated). Fewer than two samples → null (no data).
 */
export function dlqInflowSeries(samples: DepthSample[], removals: Removal[]): { at: number; count: number }[] | null {
  if (samples.length < 2) return null;
  const sorted = [...samples].sort((a, b) => a.at - b.at);
  const removed = [...removals].sort((a, b) => a.at - b.at);
  const series = sorted.slice(1).map((s) => ({ at: s.at, count: 0 }));

  let r = 0;
  // Skip removals at or before the first sample.
  const first = sorted[0];
  if (first === undefined) return null;
  while (r < removed.length && (removed[r]?.at ?? Infinity) <= first.at) r++;

  // The previous interval's drop no removal explained, and its removals no drop explained.
  let unexplainedDrop = 0;
  let unmatchedRemovals = 0;
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    const here = series[i - 1];
    if (prev === undefined || cur === undefined || here === undefined) continue;
    let removedHere = 0;
    for (let next = removed[r]; next !== undefined && next.at <= cur.at; next = removed[++r]) {
      removedHere += next.count;
    }
    let change = cur.depth - prev.depth;
    // Removals booked here whose drop the previous sample already showed.
    const late = Math.min(unexplainedDrop, removedHere);
    removedHere -= late;
    // The previous interval's removals whose drop shows only now.
    if (change < 0) {
      const early = Math.min(unmatchedRemovals, -change);
      change += early;
      unmatchedRemovals -= early;
    }
    // What no drop here explains of the previous interval's removals were arrivals there.
    const before = series[i - 2];
    if (before) before.count += unmatchedRemovals;
    const net = change + removedHere;
    // A positive net may still be removals whose drop the next sample shows: held back one interval.
    unmatchedRemovals = Math.max(0, Math.min(removedHere, net));
    here.count += Math.max(0, net - unmatchedRemovals);
    unexplainedDrop = Math.max(0, -net);
  }
  const last = series.at(-1);
  if (last) last.count += unmatchedRemovals;
  return series;
}
