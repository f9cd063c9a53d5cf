import { describe, expect, it } from "vitest";
import {
  depthQueries,
  depthSamples,
  depthSeriesFrom,
  dlqInflow,
  dlqInflowSeries,
  dlqInflowSince,
  lambdaInvocationCounts,
  pathCounts,
  sli,
  snsDeliveryCounts,
  snsPendingDeliveries,
  subscriptionDlqInflow,
  sumCounts,
} from "./counts";

const MIN = 60_000;
/** Depth samples one minute apart, from time 0. */
const depthEachMinute = (...depths: number[]) => depths.map((depth, m) => ({ at: m * MIN, depth }));

describe("sli", () => {
  it("is good / (good + bad)", () => {
    expect(sli({ good: 3, bad: 1 })).toBe(0.75);
    expect(sli({ good: 10, bad: 0 })).toBe(1);
    expect(sli({ good: 0, bad: 4 })).toBe(0);
  });

  it("is null, never 100 %, when there were no events", () => {
    expect(sli({ good: 0, bad: 0 })).toBeNull();
  });
});

describe("snsDeliveryCounts", () => {
  it("9,990 delivered and 10 failed give an SLI of 0.999", () => {
    const c = snsDeliveryCounts(9990, 10);
    expect(c).toEqual({ good: 9990, bad: 10 });
    expect(sli(c)).toBeCloseTo(0.999, 12);
  });

  it("counts deliveries SNS still owes as bad, so an endpoint outage shows before SNS gives up", () => {
    // 1,000 published to 2 subscriptions; 1,500 delivered, 100 filtered out, 0 failed: 400 owed.
    const pending = snsPendingDeliveries({
      published: 1000,
      subscriptions: 2,
      delivered: 1500,
      filteredOut: 100,
      failed: 0,
    });
    expect(pending).toBe(400);
    expect(snsDeliveryCounts(1500, 0, pending)).toEqual({ good: 1500, bad: 400 });
    expect(sli(snsDeliveryCounts(1500, 0, pending))).toBeCloseTo(1500 / 1900, 12);
  });
});

describe("snsPendingDeliveries", () => {
  it("is 0 when everything published was delivered, filtered out or failed", () => {
    expect(
      snsPendingDeliveries({ published: 100, subscriptions: 3, delivered: 250, filteredOut: 40, failed: 10 }),
    ).toBe(0);
  });

  it("never goes below 0 (metrics of neighbouring minutes, or a subscription removed in the window)", () => {
    expect(snsPendingDeliveries({ published: 10, subscriptions: 1, delivered: 12, filteredOut: 0, failed: 0 })).toBe(0);
  });

  it("is 0 for a topic with no known subscriptions, as for a topic only CloudWatch still knows", () => {
    expect(snsPendingDeliveries({ published: 500, subscriptions: 0, delivered: 0, filteredOut: 0, failed: 0 })).toBe(0);
  });

  it("subtracts failures: what SNS gave up on is counted once, as failed", () => {
    expect(snsPendingDeliveries({ published: 100, subscriptions: 1, delivered: 50, filteredOut: 0, failed: 20 })).toBe(
      30,
    );
  });
});

describe("lambdaInvocationCounts", () => {
  it("1000 invocations, 3 errors, 2 throttles: good 997, bad 5, SLI 1 − 5/1002", () => {
    const c = lambdaInvocationCounts(1000, 3, 2);
    expect(c).toEqual({ good: 997, bad: 5 });
    expect(sli(c)).toBeCloseTo(1 - 5 / 1002, 12);
    expect(sli(c)).toBeCloseTo(0.99500998003992, 12);
  });

  it("throttles alone still count against the SLI (they are not in Invocations)", () => {
    expect(sli(lambdaInvocationCounts(0, 0, 4))).toBe(0);
    expect(lambdaInvocationCounts(0, 0, 0)).toEqual({ good: 0, bad: 0 });
  });

  it("floors good at 0 when errors exceed invocations (metrics read from skewed periods)", () => {
    expect(lambdaInvocationCounts(2, 5, 0)).toEqual({ good: 0, bad: 5 });
  });
});

describe("pathCounts", () => {
  it("good = processed; bad = dead-lettered + delivery failures", () => {
    expect(pathCounts({ processed: 995, deadLettered: 3, deliveryFailed: 2 })).toEqual({ good: 995, bad: 5 });
    expect(sli(pathCounts({ processed: 995, deadLettered: 3, deliveryFailed: 2 }))).toBeCloseTo(0.995, 12);
  });

  it("a path with no traffic has no SLI", () => {
    expect(sli(pathCounts({ processed: 0, deadLettered: 0, deliveryFailed: 0 }))).toBeNull();
  });
});

describe("sumCounts", () => {
  it("adds good and bad separately", () => {
    expect(
      sumCounts([
        { good: 10, bad: 1 },
        { good: 5, bad: 0 },
        { good: 0, bad: 4 },
      ]),
    ).toEqual({ good: 15, bad: 5 });
  });

  it("of nothing is zero (so its SLI is null)", () => {
    expect(sumCounts([])).toEqual({ good: 0, bad: 0 });
    expect(sli(sumCounts([]))).toBeNull();
  });
});

describe("subscriptionDlqInflow", () => {
  const base = {
    sentToDlq: 7,
    subscriptionsUsingDlq: 1,
    redrivenByTopic: 9,
    topicSubscriptionsWithDlq: 1,
    fromDepth: 2,
  };

  it("takes the DLQ's NumberOfMessagesSent when only this subscription uses the DLQ", () => {
    expect(subscriptionDlqInflow(base)).toEqual({ count: 7, source: "NumberOfMessagesSent" });
  });

  it("takes the topic's NumberOfNotificationsRedrivenToDlq when the DLQ is shared but this is the topic's only subscription with a DLQ", () => {
    expect(subscriptionDlqInflow({ ...base, subscriptionsUsingDlq: 2 })).toEqual({
      count: 9,
      source: "NumberOfNotificationsRedrivenToDlq",
    });
    expect(subscriptionDlqInflow({ ...base, sentToDlq: undefined })).toEqual({
      count: 9,
      source: "NumberOfNotificationsRedrivenToDlq",
    });
  });

  it("falls back to the depth when no exact figure belongs to this subscription alone, or none is published", () => {
    expect(subscriptionDlqInflow({ ...base, subscriptionsUsingDlq: 2, topicSubscriptionsWithDlq: 2 })).toEqual({
      count: 2,
      source: "depth",
    });
    expect(subscriptionDlqInflow({ ...base, sentToDlq: undefined, redrivenByTopic: undefined })).toEqual({
      count: 2,
      source: "depth",
    });
  });

  it("an exact 0 is a figure, not a missing one", () => {
    expect(subscriptionDlqInflow({ ...base, sentToDlq: 0 })).toEqual({ count: 0, source: "NumberOfMessagesSent" });
  });
});

describe("dlqInflow", () => {
  it("sums the increases of depth between consecutive samples", () => {
    // 0 → 3 → 5: +3, +2.
    expect(dlqInflow(depthEachMinute(0, 3, 5), [])).toBe(5);
  });

  it("ignores decreases it cannot explain (a consumer or a redrive outside the console removing)", () => {
    // 10 → 4 (−6, clipped to 0) → 6 (+2).
    expect(dlqInflow(depthEachMinute(10, 4, 6), [])).toBe(2);
  });

  it("adds back what the console removed within the interval before clipping", () => {
    // Interval 1: 10 → 7 while the console replayed 5: −3 + 5 = 2 arrived. Interval 2: 7 → 9: +2.
    const samples = depthEachMinute(10, 7, 9);
    expect(dlqInflow(samples, [{ at: 30_000, count: 5 }])).toBe(4);
  });

  it("does not credit a removal to an interval where nothing arrived", () => {
    // Interval 1: 10 → 5 with 5 purged: 0 arrived. Interval 2: 5 → 8: +3.
    // (Sum of increases + all removals would say 8.)
    const samples = depthEachMinute(10, 5, 8);
    expect(dlqInflow(samples, [{ at: 45_000, count: 5 }])).toBe(3);
  });

  it("sums several removals in one interval", () => {
    // 6 → 6 while 2 + 3 were deleted: 5 arrived.
    expect(
      dlqInflow(depthEachMinute(6, 6), [
        { at: 10_000, count: 2 },
        { at: 50_000, count: 3 },
      ]),
    ).toBe(5);
  });

  it("ignores removals at or before the first sample and after the last; one at the last counts", () => {
    const samples = depthEachMinute(5, 5, 5);
    const removals = [
      { at: -1000, count: 100 },
      { at: 0, count: 100 },
      { at: 2 * MIN + 1, count: 100 },
      { at: 2 * MIN, count: 4 },
    ];
    expect(dlqInflow(samples, removals)).toBe(4);
  });

  it("puts a removal at a sample's time in the interval ending there", () => {
    // 10 → 5 at t=1 min with 5 removed at t=1 min: 0; 5 → 5: 0. (In the next interval it would be 5.)
    const samples = depthEachMinute(10, 5, 5);
    expect(dlqInflow(samples, [{ at: MIN, count: 5 }])).toBe(0);
  });

  it("sorts unsorted input without mutating it", () => {
    const samples = [
      { at: 2 * MIN, depth: 9 },
      { at: 0, depth: 10 },
      { at: MIN, depth: 7 },
    ];
    const removals = [
      { at: 3 * MIN, count: 50 },
      { at: 30_000, count: 5 },
      { at: -MIN, count: 50 },
    ];
    const before = JSON.stringify([samples, removals]);
    expect(dlqInflow(samples, removals)).toBe(4);
    expect(JSON.stringify([samples, removals])).toBe(before);
  });

  // A replay moving 25 dead letters a minute for four minutes, from a DLQ of 100, each batch
  // booked as it is deleted (the console's dlq_removals), at half past each minute.
  const replay = [0, 1, 2, 3].map((m) => ({ at: m * MIN + 30_000, count: 25 }));

  it("a replay spread over several one-minute samples adds no inflow when each sample shows its batch gone", () => {
    const samples = depthEachMinute(100, 75, 50, 25, 0);
    expect(dlqInflow(samples, replay)).toBe(0);
  });

  it("a replay adds no inflow when each minute's maximum still shows the batch removed during it", () => {
    // Maximum over [t, t + 1 min) is the depth before that minute's batch left: each drop shows one sample late.
    const samples = depthEachMinute(100, 100, 75, 50, 25, 0);
    expect(dlqInflow(samples, replay)).toBe(0);
  });

  it("a replay adds no inflow when each batch is booked just after a sample that already shows it gone", () => {
    const samples = depthEachMinute(100, 75, 50, 25, 0, 0);
    const bookedLate = [1, 2, 3, 4].map((m) => ({ at: m * MIN + 1_000, count: 25 }));
    expect(dlqInflow(samples, bookedLate)).toBe(0);
  });

  it("still counts dead letters that arrive during a replay", () => {
    // As above (drops one sample late), with 3 new dead letters arriving in the third minute.
    const samples = depthEachMinute(100, 100, 75, 53, 28, 3);
    expect(dlqInflow(samples, replay)).toBe(3);
  });

  it("books a job's moves when it finishes and the replay reads as new dead letters: why removals are booked per batch", () => {
    const samples = depthEachMinute(100, 75, 50, 25, 0);
    // The last interval's drop and the one before explain 50 of the 100: the other 50 read as arrivals.
    expect(dlqInflow(samples, [{ at: 4 * MIN - 1_000, count: 100 }])).toBe(50);
  });

  it("is null with fewer than two samples, 0 (not null) for a steady queue", () => {
    expect(dlqInflow([], [])).toBeNull();
    expect(dlqInflow([{ at: 0, depth: 3 }], [{ at: 10, count: 1 }])).toBeNull();
    expect(dlqInflow(depthEachMinute(3, 3), [])).toBe(0);
  });
});

describe("depthSamples", () => {
  /** One point per minute from time 0. */
  const eachMinute = (...values: number[]) => values.map((value, m) => ({ at: m * MIN, value }));

  it("adds the in-flight (leased) messages to the visible ones, from an instant on", () => {
    const visible = [
      { at: 0, value: 5 },
      { at: MIN, value: 0 },
      { at: 2 * MIN, value: 1 },
    ];
    // A view leased all five at 1 min: visible fell to 0, the DLQ still held them.
    const notVisible = [
      { at: MIN, value: 5 },
      { at: 2 * MIN, value: 5 },
    ];
    // One datapoint per period: each Minimum is its Maximum, and the depth is their sum.
    const series = { visible, notVisible, minVisible: visible, minNotVisible: notVisible };
    expect(depthSamples(series)).toEqual([
      { at: 0, depth: 5 },
      { at: MIN, depth: 5 },
      { at: 2 * MIN, depth: 6 },
    ]);
    expect(depthSamples(series, MIN)).toEqual([
      { at: MIN, depth: 5 },
      { at: 2 * MIN, depth: 6 },
    ]);
  });

  it("counts a letter that arrived and was leased within one period once", () => {
    // Minute 1: 3 letters arrive (visible 3, in flight 0), then a view leases them (0 and 3).
    const series = {
      visible: eachMinute(0, 3, 0),
      minVisible: eachMinute(0, 0, 0),
      notVisible: eachMinute(0, 3, 3),
      minNotVisible: eachMinute(0, 0, 3),
    };
    expect(depthSamples(series).map((s) => s.depth)).toEqual([0, 3, 3]);
    expect(dlqInflowSince(series, [], 0)).toBe(3);
  });

  it("counts a lease ending within a period as no arrival", () => {
    // 3 letters leased until minute 1, when the lease ends and they are visible again.
    const series = {
      visible: eachMinute(0, 3, 3),
      minVisible: eachMinute(0, 0, 3),
      notVisible: eachMinute(3, 3, 0),
      minNotVisible: eachMinute(3, 0, 0),
    };
    expect(depthSamples(series).map((s) => s.depth)).toEqual([3, 3, 3]);
    expect(dlqInflowSince(series, [], 0)).toBe(0);
  });

  it("takes the larger lower bound: letters arriving while others stay leased all count", () => {
    // Minute 1: 2 leased throughout, 4 arrive, 1 of them is then leased too (visible 4 → 3).
    const series = {
      visible: eachMinute(0, 4),
      minVisible: eachMinute(0, 0),
      notVisible: eachMinute(2, 3),
      minNotVisible: eachMinute(2, 2),
    };
    // Maximum visible + Minimum in flight = 6; Minimum visible + Maximum in flight = 3.
    expect(depthSamples(series).map((s) => s.depth)).toEqual([2, 6]);
  });

  it("falls back to the sum of the maxima where a period has no Minimum, and to visible alone without in flight", () => {
    const visible = eachMinute(0, 3, 1);
    const notVisible = [{ at: MIN, value: 3 }];
    // Without Minimum series (an older caller): the sum, which counts the leased letters twice.
    expect(depthSamples({ visible, notVisible }).map((s) => s.depth)).toEqual([0, 6, 1]);
    // A Minimum missing for one period only: that period alone falls back.
    const partial = { visible, notVisible, minVisible: eachMinute(0, 0, 1), minNotVisible: [] };
    expect(depthSamples(partial).map((s) => s.depth)).toEqual([0, 6, 1]);
    const complete = { ...partial, minNotVisible: [{ at: MIN, value: 0 }] };
    expect(depthSamples(complete).map((s) => s.depth)).toEqual([0, 3, 1]);
  });
});

describe("depthQueries", () => {
  it("asks for the Maximum and Minimum of both depth metrics, and reads them back by id", () => {
    const queries = depthQueries("orders-dlq", "d0");
    expect(queries.map((q) => [q.id, q.metricName, q.stat])).toEqual([
      ["d0_visible", "ApproximateNumberOfMessagesVisible", "Maximum"],
      ["d0_notVisible", "ApproximateNumberOfMessagesNotVisible", "Maximum"],
      ["d0_minVisible", "ApproximateNumberOfMessagesVisible", "Minimum"],
      ["d0_minNotVisible", "ApproximateNumberOfMessagesNotVisible", "Minimum"],
    ]);
    expect(queries.every((q) => q.namespace === "AWS/SQS")).toBe(true);
    expect(queries[0]!.dimensions).toEqual([{ name: "QueueName", value: "orders-dlq" }]);
    const fetched = new Map(queries.map((q, i) => [q.id, [{ at: 0, value: i }]]));
    expect(depthSeriesFrom("d0", fetched)).toEqual({
      visible: [{ at: 0, value: 0 }],
      notVisible: [{ at: 0, value: 1 }],
      minVisible: [{ at: 0, value: 2 }],
      minNotVisible: [{ at: 0, value: 3 }],
    });
    expect(depthSeriesFrom("d1", fetched)).toEqual({ visible: [], notVisible: [], minVisible: [], minNotVisible: [] });
  });
});

describe("dlqInflowSeries", () => {
  it("gives each interval its arrivals at the sample ending it, and sums to dlqInflow", () => {
    const samples = [
      { at: 0, depth: 0 },
      { at: MIN, depth: 3 },
      { at: 2 * MIN, depth: 3 },
      { at: 3 * MIN, depth: 5 },
    ];
    expect(dlqInflowSeries(samples, [])).toEqual([
      { at: MIN, count: 3 },
      { at: 2 * MIN, count: 0 },
      { at: 3 * MIN, count: 2 },
    ]);
    expect(dlqInflow(samples, [])).toBe(5);
  });

  it("matches a removal with the drop a sample later; what that drop does not explain arrived with the removal", () => {
    // 25 replayed at 1.5 min while the depth held at 100; the drop shows at 3 min, only 21:
    // 4 arrived in the replay's interval.
    const samples = [
      { at: 0, depth: 100 },
      { at: MIN, depth: 100 },
      { at: 2 * MIN, depth: 100 },
      { at: 3 * MIN, depth: 79 },
    ];
    const series = dlqInflowSeries(samples, [{ at: 1.5 * MIN, count: 25 }])!;
    expect(series.map((p) => p.count)).toEqual([0, 4, 0]);
  });

  it("is null with fewer than two samples", () => {
    expect(dlqInflowSeries([{ at: 0, depth: 1 }], [])).toBeNull();
  });
});

describe("dlqInflowSince", () => {
  it("derives from visible + in flight, so leasing a DLQ's letters is not a drain and their return not an arrival", () => {
    const visible = [
      { at: 0, value: 4 },
      { at: MIN, value: 0 },
      { at: 2 * MIN, value: 4 },
      { at: 3 * MIN, value: 6 },
    ];
    const notVisible = [
      { at: 0, value: 0 },
      { at: MIN, value: 4 },
      { at: 2 * MIN, value: 0 },
      { at: 3 * MIN, value: 0 },
    ];
    // Visible alone would say 4 + 2 arrived.
    expect(dlqInflowSince({ visible, notVisible }, [], 0)).toBe(2);
    // From 2 min on: only the last interval.
    expect(dlqInflowSince({ visible, notVisible }, [], 2 * MIN)).toBe(2);
    expect(dlqInflowSince({ visible, notVisible }, [], 3 * MIN)).toBeNull();
  });
});
