import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { PutMetricDataCommand, type MetricDatum } from "@aws-sdk/client-cloudwatch";
import { CreateTopicCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import { SubscribeCommand } from "@aws-sdk/client-sns";
import { getStore, recordDlqRemoval } from "../store";
import { resourceMetrics } from "./resource-metrics";
import { checkWindow, computeSla, getSla } from "./sla";
import { testContext } from "../../test/context";
import { scopeOfContext } from "./context";
import { queueArn } from "../../test/queues";

/** Known metric data in, exact service levels out. */

const id = randomUUID().slice(0, 8);
// The console's own tap queue, an unfiltered subscriber of `topic`.
const ctx = testContext({ env: { FANOUT_TAP_QUEUE: `sla-${id}-tap` } });
const topic = `sla-${id}`;
const queue = `sla-${id}-work`;
const older = `sla-${id}-older`;
const ghost = `sla-${id}-ghost`;
const dlq = `sla-${id}-work-dlq`;
const clients = ctx.aws.clients;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
// The clock of the tests that inject one: a whole minute, so that each datum sits in its own minute.
const MIN = 60_000;
const base = Math.floor(Date.now() / MIN) * MIN;
const atMinute = (m: number) => new Date(base - m * MIN);
const replayed = `sla-${id}-replayed`;
const outage = `sla-${id}-outage`;
const owed = `sla-${id}-owed`;
const subscriptionDlq = `sla-${id}-owed-sdlq`;
const tap = `sla-${id}-tap`;

/** Creates a queue and returns its ARN. */
async function createQueue(name: string, attributes: Record<string, string> = {}) {
  const url = (await clients.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
  return queueArn(clients.sqs, url);
}
const datum = (
  namespace: string,
  metric: string,
  dimension: string,
  value: string,
  n: number,
  at: Date,
): [string, MetricDatum] => [
  namespace,
  { MetricName: metric, Dimensions: [{ Name: dimension, Value: value }], Value: n, Timestamp: at, Unit: "Count" },
];

beforeAll(async () => {
  const topicArn = (await clients.sns.send(new CreateTopicCommand({ Name: topic }))).TopicArn!;
  await clients.sns.send(new CreateTopicCommand({ Name: older }));
  const workQueueArn = await createQueue(queue, {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await createQueue(dlq), maxReceiveCount: 3 }),
  });
  await clients.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: workQueueArn }));
  await clients.sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: await createQueue(tap) }),
  );
  // A queue whose DLQ the console replays, a topic whose endpoint is down, a subscription with a DLQ of its own.
  await createQueue(replayed, {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await createQueue(`${replayed}-dlq`), maxReceiveCount: 3 }),
  });
  const outageArn = (await clients.sns.send(new CreateTopicCommand({ Name: outage }))).TopicArn!;
  await clients.sns.send(
    new SubscribeCommand({ TopicArn: outageArn, Protocol: "sqs", Endpoint: await createQueue(`${outage}-q`) }),
  );
  const owedArn = (await clients.sns.send(new CreateTopicCommand({ Name: owed }))).TopicArn!;
  const redrivePolicy = JSON.stringify({ deadLetterTargetArn: await createQueue(subscriptionDlq) });
  await clients.sns.send(
    new SubscribeCommand({
      TopicArn: owedArn,
      Protocol: "sqs",
      Endpoint: await createQueue(`${owed}-q`),
      Attributes: { RedrivePolicy: redrivePolicy },
    }),
  );
  const data = [
    // The topic delivered 9,990 notifications and failed 10 in the last hour.
    datum("AWS/SNS", "NumberOfNotificationsDelivered", "TopicName", topic, 9_990, minutesAgo(10)),
    datum("AWS/SNS", "NumberOfNotificationsFailed", "TopicName", topic, 10, minutesAgo(10)),
    // A second topic: 9,000 clean deliveries ten hours ago, then 990 delivered and 10 failed just now.
    datum("AWS/SNS", "NumberOfNotificationsDelivered", "TopicName", older, 9_000, minutesAgo(600)),
    datum("AWS/SNS", "NumberOfNotificationsDelivered", "TopicName", older, 990, minutesAgo(10)),
    datum("AWS/SNS", "NumberOfNotificationsFailed", "TopicName", older, 10, minutesAgo(10)),
    // A topic that exists only in CloudWatch (deleted since): ListMetrics still finds it.
    datum("AWS/SNS", "NumberOfNotificationsDelivered", "TopicName", ghost, 50, minutesAgo(5)),
    // The queue's consumer processed 995 messages; its DLQ went from 0 to 5.
    datum("AWS/SQS", "NumberOfMessagesDeleted", "QueueName", queue, 995, minutesAgo(20)),
    datum("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", dlq, 0, minutesAgo(40)),
    datum("AWS/SQS", "ApproximateNumberOfMessagesNotVisible", "QueueName", dlq, 0, minutesAgo(40)),
    datum("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", dlq, 5, minutesAgo(15)),
    datum("AWS/SQS", "ApproximateNumberOfMessagesNotVisible", "QueueName", dlq, 0, minutesAgo(15)),
    // 100 dead letters 30 minutes ago, then a replay of 25 a minute; each minute's Maximum still
    // shows the batch that left during it, so the depth falls one sample after each removal.
    datum("AWS/SQS", "NumberOfMessagesDeleted", "QueueName", replayed, 900, atMinute(20)),
    ...(
      [
        [40, 0],
        [30, 100],
        [9, 100],
        [8, 100],
        [7, 75],
        [6, 50],
        [5, 25],
        [4, 0],
      ] as const
    ).map(([m, depth]) =>
      datum("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", `${replayed}-dlq`, depth, atMinute(m)),
    ),
    // The outage topic published 200 three minutes ago; SNS delivered 50 and is retrying the rest.
    datum("AWS/SNS", "NumberOfMessagesPublished", "TopicName", outage, 200, atMinute(3)),
    datum("AWS/SNS", "NumberOfNotificationsDelivered", "TopicName", outage, 50, atMinute(3)),
    // A subscription DLQ: SNS sent it 7 (NumberOfMessagesSent), though its depth only ever showed 2.
    datum("AWS/SQS", "NumberOfMessagesDeleted", "QueueName", `${owed}-q`, 93, atMinute(6)),
    datum("AWS/SQS", "NumberOfMessagesSent", "QueueName", subscriptionDlq, 7, atMinute(6)),
    datum("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", subscriptionDlq, 0, atMinute(20)),
    datum("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", subscriptionDlq, 2, atMinute(6)),
    // The console drained its tap queue.
    datum("AWS/SQS", "NumberOfMessagesDeleted", "QueueName", tap, 500, atMinute(5)),
  ];
  // The replay's batches, booked as the engine deletes them: at half past each minute.
  for (const m of [9, 8, 7, 6])
    await recordDlqRemoval(
      await getStore(),
      scopeOfContext(ctx),
      `${replayed}-dlq`,
      25,
      "redrive",
      base - m * MIN + 30_000,
    );
  for (const [namespace, d] of data)
    await clients.cloudwatch.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: [d] }));
});

describe("service levels from known metric data", () => {
  it(
    "a topic with 9,990 delivered and 10 failed in the last hour is at exactly 0.999",
    { timeout: 60_000 },
    async () => {
      const view = await getSla(ctx, "1h");
      const t = view.services.find((s) => s.kind === "topic" && s.resource === topic)!;
      expect(t.counts).toEqual({ good: 9_990, bad: 10 });
      expect(t.sli).toBeCloseTo(0.999, 12);
      expect(t.target).toBe(0.999);
      // The same data is all the 30-day window holds: the budget is spent exactly, burning at 1×.
      expect(t.errorBudgetRemaining).toBeCloseTo(0, 9);
      expect(t.burnRates["1h"]).toBeCloseTo(1, 9);
      expect(t.burnRates["6h"]).toBeCloseTo(1, 9);
      // Nothing in the last 5 minutes: no data, never 100 %.
      expect(t.burnRates["5m"]).toBeNull();
      expect(t.alerts).toEqual({ fast: false, slow: false, ticket: false });
      expect(t.firing).toEqual([]);
    },
  );

  it(
    "older data counts in the 30-day budget and long windows, not in the short burn rates",
    { timeout: 60_000 },
    async () => {
      const day = (await getSla(ctx, "24h")).services.find((s) => s.kind === "topic" && s.resource === older)!;
      expect(day.counts).toEqual({ good: 9_990, bad: 10 });
      expect(day.sli).toBeCloseTo(0.999, 12);
      expect(day.errorBudgetRemaining).toBeCloseTo(0, 9);
      // The last hour alone failed 1 %: ten times the rate the objective allows.
      expect(day.burnRates["1h"]).toBeCloseTo(10, 9);
      expect(day.burnRates["3d"]).toBeCloseTo(1, 9);
      const hour = (await getSla(ctx, "1h")).services.find((s) => s.kind === "topic" && s.resource === older)!;
      expect(hour.sli).toBeCloseTo(0.99, 12);
    },
  );

  it(
    "takes any window up to 30 days, draws a twelve-slice trend, and covers resources only CloudWatch knows",
    { timeout: 60_000 },
    async () => {
      const view = await getSla(ctx, "2h");
      const t = view.services.find((s) => s.kind === "topic" && s.resource === topic)!;
      expect(t.trend).toHaveLength(12);
      // All of this topic's traffic sits in one slice of the last two hours.
      expect(t.trend.filter((x) => x.sli !== null)).toHaveLength(1);
      expect(t.trend.find((x) => x.sli !== null)!.sli).toBeCloseTo(0.999, 12);
      const unlisted = view.services.find((s) => s.kind === "topic" && s.resource === ghost)!;
      expect(unlisted).toMatchObject({ nodeId: "", counts: { good: 50, bad: 0 } });
      expect(unlisted.note).toContain("not in the topology");
      expect(() => checkWindow("31d")).toThrow(/window/);
    },
  );

  it("a path counts processed against dead-lettered, derived from the DLQ's depth", { timeout: 60_000 }, async () => {
    const view = await getSla(ctx, "1h");
    const path = view.services.find((s) => s.kind === "path" && s.resource === `${topic} → ${queue}`)!;
    expect(path.counts).toEqual({ good: 995, bad: 5 });
    expect(path.sli).toBeCloseTo(0.995, 12);
    expect(path.target).toBeCloseTo(0.999 * 0.999 * 0.9995, 12);
    const q = view.services.find((s) => s.kind === "queue" && s.resource === queue)!;
    expect(q.counts).toEqual({ good: 995, bad: 5 });
    // A window with no traffic at all has no SLI.
    const quiet = view.services.find((s) => s.kind === "queue" && s.resource === dlq);
    expect(quiet === undefined || quiet.sli === null).toBe(true);
  });
});

describe("a resource's charts", () => {
  it("carries the same datapoints, one chart per kind of figure", { timeout: 60_000 }, async () => {
    const metrics = await resourceMetrics(ctx, "topic", topic, "1h");
    expect(metrics.period).toBe(60);
    const delivery = metrics.charts.find((c) => c.id === "delivery")!;
    const total = (label: string) =>
      delivery.series.find((s) => s.label === label)!.points.reduce((sum, p) => sum + p.value, 0);
    expect(total("delivered")).toBe(9_990);
    expect(total("failed")).toBe(10);
    const queueCharts = await resourceMetrics(ctx, "queue", queue, "1h");
    expect(queueCharts.charts.map((c) => c.id)).toEqual([
      "throughput",
      "depth",
      "age",
      "dead-letters",
      "dead-letter-inflow",
    ]);
    expect(queueCharts.charts[1]!.series.map((s) => s.label)).toContain(
      `dead-letter queue ${dlq} (visible + in flight)`,
    );
    // The DLQ went from 0 to 5 in the window: the same 5 the queue's SLA counts as bad.
    const inflow = queueCharts.charts.find((c) => c.id === "dead-letter-inflow")!;
    expect(inflow.series[0]!.points.reduce((sum, p) => sum + p.value, 0)).toBe(5);
    expect(inflow.note).toMatch(/^\+5 in 1h/);
    await expect(resourceMetrics(ctx, "function", `no-such-${id}`, "1h")).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("service levels during a repair and during an outage", () => {
  it(
    "a replay across several minutes of samples adds no dead letters: only the 100 that arrived count",
    { timeout: 60_000 },
    async () => {
      const view = await computeSla(ctx, "1h", base + 30_000);
      const q = view.services.find((s) => s.kind === "queue" && s.resource === replayed)!;
      expect(q.counts).toEqual({ good: 900, bad: 100 });
      // Only the replay's last five minutes: nothing arrived, so no burning.
      expect(q.burnRates["5m"]).toBeNull();
    },
  );

  it(
    "an SQS endpoint outage shows at once in the fast-burn windows, as deliveries SNS still owes",
    { timeout: 60_000 },
    async () => {
      const view = await computeSla(ctx, "1h", base + 30_000);
      const t = view.services.find((s) => s.kind === "topic" && s.resource === outage)!;
      // 200 published to 1 subscription, 50 delivered, none failed yet: 150 owed.
      expect(t.counts).toEqual({ good: 50, bad: 150 });
      expect(t.burnRates["5m"]).toBeCloseTo(0.75 / 0.001, 6);
      expect(t.alerts).toMatchObject({ fast: true, slow: true });
      // Every window burns: both page tiers and the ticket tier fire.
      expect(t.firing.map((a) => a.severity)).toEqual(["page", "page", "ticket"]);
      expect(t.status).toBe("breached");
      expect(view.notes.join(" ")).toContain("published × confirmed subscriptions − delivered − filtered out − failed");
    },
  );

  it(
    "a subscription DLQ's inflow is its NumberOfMessagesSent, not the rises of its depth",
    { timeout: 60_000 },
    async () => {
      const view = await computeSla(ctx, "1h", base + 30_000);
      const path = view.services.find((s) => s.kind === "path" && s.resource === `${owed} → ${owed}-q`)!;
      expect(path.counts).toEqual({ good: 93, bad: 7 });
      expect(path.charts).toEqual({ kind: "queue", name: `${owed}-q` });
    },
  );

  it("the console's own tap queue is a path of its own, not part of end to end", { timeout: 60_000 }, async () => {
    const view = await computeSla(ctx, "1h", base + 30_000);
    const paths = view.services.filter((s) => s.kind === "path");
    const tapPath = paths.find((s) => s.resource === `${topic} → ${tap}`)!;
    expect(tapPath.counts.good).toBe(500);
    expect(tapPath.note).toContain("tap queue");
    const others = paths.filter((s) => s !== tapPath);
    expect(view.endToEnd.counts.good).toBe(others.reduce((n, s) => n + s.counts.good, 0));
    expect(view.notes.join(" ")).toContain(`tap queue (${tap})`);
  });
});
