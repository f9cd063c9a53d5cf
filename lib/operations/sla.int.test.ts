import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { PutMetricDataCommand, type MetricDatum } from "@aws-sdk/client-cloudwatch";
import { CreateTopicCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { SubscribeCommand } from "@aws-sdk/client-sns";
import { getClients } from "../aws/clients";
import { resourceMetrics } from "./resource-metrics";
import { checkWindow, getSla } from "./sla";

/** Known metric data in, exact service levels out. */

const id = randomUUID().slice(0, 8);
const topic = `sla-${id}`;
const queue = `sla-${id}-work`;
const older = `sla-${id}-older`;
const ghost = `sla-${id}-ghost`;
const dlq = `sla-${id}-work-dlq`;
const clients = getClients();
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
const datum = (namespace: string, metric: string, dimension: string, value: string, n: number, at: Date): [string, MetricDatum] => [
  namespace,
  { MetricName: metric, Dimensions: [{ Name: dimension, Value: value }], Value: n, Timestamp: at, Unit: "Count" },
];

beforeAll(async () => {
  const topicArn = (await clients.sns.send(new CreateTopicCommand({ Name: topic }))).TopicArn!;
  await clients.sns.send(new CreateTopicCommand({ Name: older }));
  const dlqUrl = (await clients.sqs.send(new CreateQueueCommand({ QueueName: dlq }))).QueueUrl!;
  const dlqArn = (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
  const queueUrl = (await clients.sqs.send(new CreateQueueCommand({ QueueName: queue, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }) } }))).QueueUrl!;
  const queueArn = (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
  await clients.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: queueArn }));
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
  ];
  for (const [namespace, d] of data) await clients.cloudwatch.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: [d] }));
});

describe("service levels from known metric data", () => {
  it("a topic with 9,990 delivered and 10 failed in the last hour is at exactly 0.999", { timeout: 60_000 }, async () => {
    const view = await getSla("1h");
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
    expect(t.alerts).toEqual({ fast: false, slow: false });
  });

  it("older data counts in the 30-day budget and long windows, not in the short burn rates", { timeout: 60_000 }, async () => {
    const day = (await getSla("24h")).services.find((s) => s.kind === "topic" && s.resource === older)!;
    expect(day.counts).toEqual({ good: 9_990, bad: 10 });
    expect(day.sli).toBeCloseTo(0.999, 12);
    expect(day.errorBudgetRemaining).toBeCloseTo(0, 9);
    // The last hour alone failed 1 %: ten times the rate the objective allows.
    expect(day.burnRates["1h"]).toBeCloseTo(10, 9);
    expect(day.burnRates["3d"]).toBeCloseTo(1, 9);
    const hour = (await getSla("1h")).services.find((s) => s.kind === "topic" && s.resource === older)!;
    expect(hour.sli).toBeCloseTo(0.99, 12);
  });

  it("takes any window up to 30 days, draws a twelve-slice trend, and covers resources only CloudWatch knows", { timeout: 60_000 }, async () => {
    const view = await getSla("2h");
    const t = view.services.find((s) => s.kind === "topic" && s.resource === topic)!;
    expect(t.trend).toHaveLength(12);
    // All of this topic's traffic sits in one slice of the last two hours.
    expect(t.trend.filter((x) => x.sli !== null)).toHaveLength(1);
    expect(t.trend.find((x) => x.sli !== null)!.sli).toBeCloseTo(0.999, 12);
    const unlisted = view.services.find((s) => s.kind === "topic" && s.resource === ghost)!;
    expect(unlisted).toMatchObject({ nodeId: "", counts: { good: 50, bad: 0 } });
    expect(unlisted.note).toContain("not in the topology");
    expect(() => checkWindow("31d")).toThrow(/window/);
  });

  it("a path counts processed against dead-lettered, derived from the DLQ's depth", { timeout: 60_000 }, async () => {
    const view = await getSla("1h");
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
    const metrics = await resourceMetrics("topic", topic, "1h");
    expect(metrics.period).toBe(60);
    const delivery = metrics.charts.find((c) => c.id === "delivery")!;
    const total = (label: string) => delivery.series.find((s) => s.label === label)!.points.reduce((sum, p) => sum + p.value, 0);
    expect(total("delivered")).toBe(9_990);
    expect(total("failed")).toBe(10);
    const queueCharts = await resourceMetrics("queue", queue, "1h");
    expect(queueCharts.charts.map((c) => c.id)).toEqual(["throughput", "depth", "age"]);
    expect(queueCharts.charts[1]!.series.map((s) => s.label)).toContain(`dead-letter queue ${dlq}`);
    await expect(resourceMetrics("function", `no-such-${id}`, "1h")).rejects.toMatchObject({ code: "not_found" });
  });
});
