import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startLocalPipeline, type LocalPipeline } from "../../infra/local";
import { testContext } from "../../test/context";
import type { OperationContext } from "./context";

/**
 * The collector against moto with the pipeline of infra/ deployed (its own environment name, no
 * traffic), with timeouts and receive counts that follow AWS's advice for Lambda consumers, so that
 * the template itself has no finding.
 */

let pipeline: LocalPipeline;
let ctx: OperationContext;

beforeAll(async () => {
  pipeline = await startLocalPipeline({
    awsEndpoint: inject("awsEndpoint"),
    lambdaPort: 0,
    traffic: false,
    parameters: { EnvironmentName: "topo", VisibilityTimeout: "60", FunctionTimeout: "10", MaxReceiveCount: "5" },
  });
  // Lambda calls go to the pipeline's local Lambda API.
  ctx = testContext({ env: { AWS_ENDPOINT_URL_LAMBDA: pipeline.lambdaEndpoint } });
}, 120_000);
afterAll(() => pipeline?.stop());

/** The account as the collector reads it now, and the topology built from it. */
async function collected() {
  const { collectAccount } = await import("./topology");
  const { buildTopology } = await import("../domain/topology");
  const account = await collectAccount(ctx.aws.clients);
  return { account, topology: buildTopology(account) };
}

describe("collecting the topology", () => {
  it(
    "finds the deployed pipeline: topic, queues, DLQs, functions, alarms and every edge between them",
    { timeout: 60_000 },
    async () => {
      const { account, topology: t } = await collected();
      expect(account.failures).toEqual([]);
      const byName = (name: string) => t.nodes.find((n) => n.name === name);
      const topic = byName("topo-orders.fifo");
      expect(topic).toMatchObject({ kind: "topic", fifo: true });
      expect(topic!.tags).toMatchObject({ application: "fanout-demo", environment: "topo" });
      for (const service of ["inventory", "payment", "notification"]) {
        const queue = byName(`topo-${service}.fifo`)!;
        const dlq = byName(`topo-${service}-dlq.fifo`)!;
        const fn = byName(`topo-${service}`)!;
        expect(queue).toMatchObject({ kind: "queue", health: "ok" });
        expect(queue.tags).toMatchObject({ component: service });
        expect(dlq).toMatchObject({ kind: "dlq", queue: { isDlq: true } });
        expect(fn.kind).toBe("function");
        // Read with ListTags: bindings by tag decide on functions too.
        expect(fn.tags).toMatchObject({ application: "fanout-demo", component: service });
        expect(t.edges).toContainEqual(
          expect.objectContaining({
            from: topic!.id,
            to: queue.id,
            kind: "subscription",
            subscription: expect.objectContaining({
              rawMessageDelivery: true,
              filterPolicySummary: expect.any(String),
            }),
          }),
        );
        expect(t.edges).toContainEqual(
          expect.objectContaining({
            from: queue.id,
            to: dlq.id,
            kind: "redrive",
            redrive: { maxReceiveCount: 5, via: "queue" },
          }),
        );
        expect(t.edges).toContainEqual(
          expect.objectContaining({
            from: queue.id,
            to: fn.id,
            kind: "event-source",
            eventSource: expect.objectContaining({ enabled: true, reportBatchItemFailures: true }),
          }),
        );
        // The template's alarms are attached to what they watch.
        expect(t.edges.some((e) => e.kind === "alarm" && e.to === dlq.id)).toBe(true);
      }
      // The queue policy lets the topic send; the tap is unfiltered; nothing in the template is misconfigured except the tap having no Lambda consumer.
      const ours = t.warnings.filter((w) => w.message.includes("topo-"));
      expect(ours.map((w) => w.code)).toEqual(["queue-unconsumed"]);
      expect(ours[0]!.message).toContain("topo-orders-tap.fifo");
    },
  );

  it(
    "judges each queue's visibility timeout against its consumer's function timeout, and flags the aws/sqs key",
    { timeout: 60_000 },
    async () => {
      const { getQueueUrl } = await import("../aws/sqs");
      const { GetQueueAttributesCommand, SetQueueAttributesCommand } = await import("@aws-sdk/client-sqs");
      const sqs = ctx.aws.clients.sqs;
      const set = async (name: string, Attributes: Record<string, string>) => {
        const QueueUrl = await getQueueUrl(name, ctx.aws.clients);
        // moto's SetQueueAttributes drops the access policy unless it is sent again (AWS keeps it).
        const { Attributes: current = {} } = await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["Policy"] }),
        );
        await sqs.send(
          new SetQueueAttributesCommand({
            QueueUrl,
            Attributes: { ...(current.Policy ? { Policy: current.Policy } : {}), ...Attributes },
          }),
        );
      };
      const findings = async () => {
        const { account, topology } = await collected();
        expect(account.functions.find((f) => f.name === "topo-inventory")?.timeoutSeconds).toBe(10);
        return topology.warnings.filter((w) => w.message.includes("topo-") && w.code !== "queue-unconsumed");
      };
      try {
        // 30 s against a 10 s function: under the advised 60 s.
        await set("topo-inventory.fifo", { VisibilityTimeout: "30" });
        // 5 s against a 10 s function: shorter than the function may run.
        await set("topo-payment.fifo", { VisibilityTimeout: "5" });
        // SNS cannot use the AWS managed key (its key policy cannot be changed).
        await set("topo-notification.fifo", { KmsMasterKeyId: "alias/aws/sqs" });
        const found = await findings();
        expect(found.map((w) => [w.code, w.severity, w.nodeId?.split(":").pop()]).sort()).toEqual([
          ["queue-aws-managed-key", "critical", "topo-notification.fifo"],
          ["visibility-timeout-below-advice", "warning", "topo-inventory.fifo"],
          ["visibility-timeout-below-function-timeout", "critical", "topo-payment.fifo"],
        ]);
      } finally {
        await set("topo-inventory.fifo", { VisibilityTimeout: "60" });
        await set("topo-payment.fifo", { VisibilityTimeout: "60" });
        await set("topo-notification.fifo", { KmsMasterKeyId: "" });
      }
      expect(await findings()).toEqual([]);
    },
  );

  it("answers many callers with one collection, and a fresh one on request", { timeout: 60_000 }, async () => {
    const { getTopology } = await import("./topology");
    const [a, b, c] = await Promise.all([getTopology(ctx), getTopology(ctx), getTopology(ctx)]);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(await getTopology(ctx)).toBe(a);
    const fresh = await getTopology(ctx, { fresh: true });
    expect(fresh).not.toBe(a);
    expect(fresh.nodes.length).toBe(a.nodes.length);
  });
});

describe("a consumer that dead-letters its records", () => {
  it(
    "shows on its DLQ's card (+8 in 5 min), its function's health, the SLA's Lambda card and the DLQ charts",
    { timeout: 90_000 },
    async () => {
      const { PutMetricDataCommand } = await import("@aws-sdk/client-cloudwatch");
      const { getTopology } = await import("./topology");
      const { nodeFigures } = await import("../domain/topology");
      const { computeSla } = await import("./sla");
      const { resourceMetrics } = await import("./resource-metrics");
      const MIN = 60_000;
      const base = Math.floor(Date.now() / MIN) * MIN;
      const put = (metric: string, queue: string, value: number, minutesAgo: number) =>
        ctx.aws.clients.cloudwatch.send(
          new PutMetricDataCommand({
            Namespace: "AWS/SQS",
            MetricData: [
              {
                MetricName: metric,
                Dimensions: [{ Name: "QueueName", Value: queue }],
                Value: value,
                Timestamp: new Date(base - minutesAgo * MIN),
                Unit: "Count",
              },
            ],
          }),
        );
      // The payment consumer processed 92 records and failed 8 for good (batch item failures: no
      // Lambda error). Within the minute they arrived, a view leased the 8 dead letters: visible fell
      // to 0, in flight rose to 8. That minute's Maximum is 8 for both, yet the DLQ held 8, not 16.
      await put("NumberOfMessagesDeleted", "topo-payment.fifo", 92, 2);
      for (const [minutesAgo, visible, leased] of [
        [4, 0, 0],
        [2, 8, 0],
        [1.5, 0, 8],
        [1, 0, 8],
      ] as const) {
        await put("ApproximateNumberOfMessagesVisible", "topo-payment-dlq.fifo", visible, minutesAgo);
        await put("ApproximateNumberOfMessagesNotVisible", "topo-payment-dlq.fifo", leased, minutesAgo);
      }

      const t = await getTopology(ctx, { fresh: true });
      const byName = (name: string) => t.nodes.find((n) => n.name === name)!;
      const dlq = byName("topo-payment-dlq.fifo");
      expect(dlq.metrics?.dlqInflow5m).toBe(8);
      expect(nodeFigures(dlq)[0]).toBe("+8 in 5 min");
      const fn = byName("topo-payment");
      expect(fn.metrics?.records5m).toEqual({ processed: 92, deadLettered: 8 });
      expect(fn.health).toBe("critical");
      expect(fn.reasons).toContain(
        "8 of 100 records dead-lettered in 5 min from topo-payment.fifo (8.0 %): over the 0.05 % error budget",
      );
      // A consumer nothing failed stays healthy.
      expect(byName("topo-inventory").health).toBe("ok");

      const sla = await computeSla(ctx, "1h");
      const lambda = sla.services.find((s) => s.kind === "function" && s.resource === "topo-payment")!;
      // No invocation figures (nothing ran): its records are apart from them.
      expect(lambda.sli).toBeNull();
      expect(lambda.records).toMatchObject({
        queues: ["topo-payment.fifo"],
        counts: { good: 92, bad: 8 },
        status: "breached",
      });
      expect(sla.kinds.function?.records?.counts).toEqual({ good: 92, bad: 8 });
      // Every function of the account is a member (other test files' functions share it).
      const functions = sla.services.filter((s) => s.kind === "function");
      expect(functions.map((s) => s.resource)).toEqual(expect.arrayContaining(["topo-payment", "topo-inventory"]));
      expect(sla.kinds.function?.members).toBe(functions.length);

      const charts = await resourceMetrics(ctx, "queue", "topo-payment.fifo", "1h");
      const letters = charts.charts.find((c) => c.id === "dead-letters")!;
      const values = (id: string) => letters.series.find((s) => s.id === id)!.points.map((p) => p.value);
      // Leased letters are still in the DLQ: the total stays at 8 where visible alone reads 0.
      // A pipeline test running beside this one reports every queue's real depth (0 here) through its
      // local telemetry, as SQS reports every queue: so the points are checked by what they show.
      const visible = values("visible");
      const held = values("held");
      expect(held).toHaveLength(visible.length);
      expect(Math.max(...held)).toBe(8);
      expect(visible.some((v, i) => v === 0 && held[i] === 8)).toBe(true);
      expect(letters.series.find((s) => s.id === "leased")!.label).toContain("leased");
      const inflow = charts.charts.find((c) => c.id === "dead-letter-inflow")!;
      expect(inflow.series[0]!.points.reduce((sum, p) => sum + p.value, 0)).toBe(8);
      expect(inflow.note).toMatch(/^\+8 in 1h, derived as the SLA derives it/);
    },
  );
});
