import { describe, expect, it } from "vitest";
import { byTrouble, describeDeadLetterQueues, formatDuration, recentDlqMetrics } from "./dead-letters";
import { queue, queueArn } from "../../test/fixtures/dead-letters";

describe("describeDeadLetterQueues", () => {
  const queues = [
    queue("orders.fifo", { redrivePolicy: { deadLetterTargetArn: queueArn("orders-dlq.fifo"), maxReceiveCount: 3 } }),
    queue("orders-dlq.fifo", { visible: 4, retentionSeconds: 1_209_600 }),
    queue("billing", { redrivePolicy: { deadLetterTargetArn: queueArn("shared-dlq"), maxReceiveCount: 5 } }),
    queue("shipping", { redrivePolicy: { deadLetterTargetArn: queueArn("shared-dlq"), maxReceiveCount: 2 } }),
    // A DLQ with a DLQ of its own keeps both roles.
    queue("shared-dlq", {
      visible: 1,
      inFlight: 1,
      redrivePolicy: { deadLetterTargetArn: queueArn("last-resort"), maxReceiveCount: 10 },
    }),
    queue("last-resort"),
    queue("sns-failures"),
    queue("plain"),
    queue("dangling", { redrivePolicy: { deadLetterTargetArn: queueArn("deleted-dlq"), maxReceiveCount: 1 } }),
  ];
  const subscriptions = [
    {
      subscriptionArn: "arn:aws:sns:us-east-1:123456789012:t:abc",
      topicArn: "arn:aws:sns:us-east-1:123456789012:t",
      endpoint: queueArn("plain"),
      deadLetterTargetArn: queueArn("sns-failures"),
    },
  ];

  it("finds every queue that a queue or a subscription names as its DLQ, with its sources", () => {
    const dlqs = describeDeadLetterQueues(queues, subscriptions);
    expect(dlqs.map((d) => d.name).sort()).toEqual(["last-resort", "orders-dlq.fifo", "shared-dlq", "sns-failures"]);
    const shared = dlqs.find((d) => d.name === "shared-dlq")!;
    expect(shared.sources).toEqual([
      {
        kind: "queue",
        name: "billing",
        arn: queueArn("billing"),
        url: queues[2]!.url,
        maxReceiveCount: 5,
        retentionSeconds: 345_600,
      },
      {
        kind: "queue",
        name: "shipping",
        arn: queueArn("shipping"),
        url: queues[3]!.url,
        maxReceiveCount: 2,
        retentionSeconds: 345_600,
      },
    ]);
    const { subscriptionArn, topicArn, endpoint } = subscriptions[0]!;
    expect(dlqs.find((d) => d.name === "sns-failures")!.sources).toEqual([
      { kind: "subscription", subscriptionArn, topicArn, endpoint },
    ]);
    expect(dlqs.find((d) => d.name === "last-resort")!.sources[0]).toMatchObject({ kind: "queue", name: "shared-dlq" });
  });

  it("sorts by trouble: depth, then what arrived", () => {
    const dlqs = describeDeadLetterQueues(queues, subscriptions, {
      "last-resort": { growth: -3, growthWindowMinutes: 15, inflow: 3, inflowWindowMinutes: 15 },
    });
    expect(dlqs.map((d) => d.name)).toEqual(["orders-dlq.fifo", "shared-dlq", "last-resort", "sns-failures"]);
    expect(dlqs[2]).toMatchObject({ inflow: 3, inflowWindowMinutes: 15, growth: -3, growthWindowMinutes: 15 });
  });

  it("computes when the oldest dead letter expires from the retention period and its age", () => {
    const [dlq] = describeDeadLetterQueues(queues, subscriptions, { "orders-dlq.fifo": { oldestAgeSeconds: 86_400 } });
    expect(dlq).toMatchObject({
      name: "orders-dlq.fifo",
      oldestAgeSeconds: 86_400,
      oldestExpiresInSeconds: 1_209_600 - 86_400,
    });
    const none = describeDeadLetterQueues(queues, subscriptions).find((d) => d.name === "orders-dlq.fifo")!;
    expect(none.oldestExpiresInSeconds).toBeUndefined();
  });

  it("orders equal depths by the soonest expiry", () => {
    const a = { ...describeDeadLetterQueues(queues, subscriptions)[0]!, name: "a", oldestExpiresInSeconds: 100 };
    const b = { ...a, name: "b", oldestExpiresInSeconds: 10 };
    expect([a, b].sort(byTrouble).map((q) => q.name)).toEqual(["b", "a"]);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0 s"],
    [59, "59 s"],
    [60, "1 min"],
    [3599, "59 min"],
    [3600, "1 h"],
    [3660, "1 h 1 min"],
    [86_400, "1 d"],
    [1_209_600 - 86_400, "13 d"],
    [90_000, "1 d 1 h"],
  ])("%i s → %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe("recentDlqMetrics", () => {
  const minute = 60_000;
  const t0 = 1_740_830_400_000;
  const at = (m: number) => t0 + m * minute;
  const points = (values: number[]) => values.map((value, m) => ({ at: at(m), value }));

  it("counts arrivals a view has leased: visible drops to 0 while they sit in flight", () => {
    const metrics = recentDlqMetrics(
      { age: points([0, 60, 120]), visible: points([0, 3, 0]), notVisible: points([0, 0, 3]) },
      [],
      at(0),
      15,
    );
    expect(metrics).toEqual({
      oldestAgeSeconds: 120,
      inflow: 3,
      inflowWindowMinutes: 15,
      growth: 3,
      growthWindowMinutes: 2,
    });
  });

  it("adds the console's own removals back: a replay and new arrivals in one minute both count", () => {
    // 4 letters replayed and 2 new ones arrive in the same minute: the depth falls by 2.
    const metrics = recentDlqMetrics(
      { age: [], visible: points([4, 2, 2]), notVisible: [] },
      [{ at: at(1) - 1000, count: 4 }],
      at(0),
      15,
    );
    expect(metrics).toMatchObject({ inflow: 2, growth: -2 });
  });

  it("leaves out datapoints before the window, and says nothing without two samples", () => {
    const series = { age: points([30, 90]), visible: points([0, 5]), notVisible: [] };
    expect(recentDlqMetrics(series, [], at(0), 15)).toMatchObject({ inflow: 5 });
    expect(recentDlqMetrics(series, [], at(1), 15)).toEqual({ oldestAgeSeconds: 90 });
    expect(recentDlqMetrics({ age: [], visible: [], notVisible: [] }, [], at(0), 15)).toEqual({});
  });
});
