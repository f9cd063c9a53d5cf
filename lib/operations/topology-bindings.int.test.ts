import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { CreateTopicCommand, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import type { BindingSpec } from "../domain/bindings";
import { loadConfig } from "../env";
import { actorIn, contextFromConfig } from "../request-context";
import { resourceMetrics } from "./resource-metrics";
import { getVisibleSla } from "./sla";
import { getTopology, getTopologyNode, getVisibleTopology } from "./topology";
import { userWith } from "../../test/context";
import { queueArn } from "../../test/queues";
import type { OperationContext } from "./context";

/**
 * The topology, the SLA and the charts through the operations for callers bound to some resources
 * only, against moto: one graph collected for everyone, each caller's answer filtered from it.
 */

const id = randomUUID().slice(0, 8);
const prefix = `vis-${id}`;
const team = `payments-${id}`;
const config = loadConfig({
  AWS_ENDPOINT_URL: process.env.AWS_ENDPOINT_URL,
  AWS_REGION: "us-east-1",
  FANOUT_DATA_DIR: process.env.FANOUT_DATA_DIR,
});
const environment = config.environments[0]!;

/** A context acting for a user with these bindings, as the route wrapper builds one. */
function contextWith(bindings: BindingSpec[]): OperationContext {
  const user = userWith(config, { name: `u-${randomUUID().slice(0, 6)}`, bindings });
  return contextFromConfig(config, actorIn(user, environment)!, randomUUID());
}

const operatorOfPayments = contextWith([
  { role: "operator", environments: ["*"], resources: [`arn:aws:sqs:*:*:${prefix}-payments-*`] },
]);
const everyone = contextWith([{ role: "viewer", environments: ["*"] }]);
const names = (nodes: { name: string }[]) => nodes.map((n) => n.name).sort();

beforeAll(async () => {
  const { sns, sqs } = everyone.aws.clients;
  const createQueue = async (name: string, attributes: Record<string, string> = {}, tags?: Record<string, string>) =>
    queueArn(
      sqs,
      (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes, tags }))).QueueUrl!,
    );
  const dlq = await createQueue(`${prefix}-payments-charges-dlq`, {}, { team });
  const charges = await createQueue(
    `${prefix}-payments-charges`,
    { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq, maxReceiveCount: 3 }) },
    { team },
  );
  const billing = await createQueue(`${prefix}-orders-billing`, {}, { team: "orders" });
  const topic = async (name: string, tags: Record<string, string>) =>
    (
      await sns.send(
        new CreateTopicCommand({ Name: name, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }),
      )
    ).TopicArn!;
  const payments = await topic(`${prefix}-payments-events`, { team });
  const orders = await topic(`${prefix}-orders`, { team: "orders" });
  await sns.send(new SubscribeCommand({ TopicArn: payments, Protocol: "sqs", Endpoint: charges }));
  await sns.send(new SubscribeCommand({ TopicArn: orders, Protocol: "sqs", Endpoint: billing }));
  // Collected now, with these resources, for every caller below.
  await getTopology(everyone, { fresh: true });
}, 60_000);

describe("the topology as a caller bound to some resources sees it", () => {
  it(
    "an operator of payments-* queues: their queues and the edge between them, the count of the rest, the shared graph untouched",
    { timeout: 60_000 },
    async () => {
      const shared = await getTopology(everyone);
      const seen = await getVisibleTopology(operatorOfPayments);
      expect(names(seen.nodes)).toEqual([`${prefix}-payments-charges`, `${prefix}-payments-charges-dlq`]);
      expect(seen.edges.map((e) => e.kind)).toEqual(["redrive"]);
      expect(seen.hidden).toBe(shared.nodes.length - 2);
      expect(seen.hidden).toBeGreaterThanOrEqual(3);
      expect(seen.warnings.every((w) => seen.nodes.some((n) => n.id === w.nodeId))).toBe(true);
      // Everyone else's answer is the shared graph itself, with no count of anything hidden.
      expect(await getVisibleTopology(everyone)).toBe(shared);
      expect(shared.hidden).toBeUndefined();
      expect(names(shared.nodes)).toEqual(expect.arrayContaining([`${prefix}-orders`, `${prefix}-orders-billing`]));
    },
  );

  it("a tag binding: the tagged topic and queues, and the subscription between them", { timeout: 60_000 }, async () => {
    const seen = await getVisibleTopology(contextWith([{ role: "viewer", environments: ["*"], tags: { team } }]));
    expect(names(seen.nodes)).toEqual([
      `${prefix}-payments-charges`,
      `${prefix}-payments-charges-dlq`,
      `${prefix}-payments-events`,
    ]);
    expect(seen.edges.map((e) => e.kind).sort()).toEqual(["redrive", "subscription"]);
  });

  it(
    "viewer on all of it and operator on payments-* queues: the shared graph itself, as for everyone",
    { timeout: 60_000 },
    async () => {
      const both = contextWith([
        { role: "viewer", environments: ["*"] },
        { role: "operator", environments: ["*"], resources: [`arn:aws:sqs:*:*:${prefix}-payments-*`] },
      ]);
      expect(await getVisibleTopology(both)).toBe(await getTopology(everyone));
    },
  );

  it("a node outside the caller's bindings is not found, as one that does not exist", { timeout: 60_000 }, async () => {
    const shared = await getTopology(everyone);
    const byName = (name: string) => shared.nodes.find((n) => n.name === name)!;
    const billing = byName(`${prefix}-orders-billing`);
    await expect(getTopologyNode(operatorOfPayments, billing.id)).rejects.toMatchObject({
      code: "not_found",
      message: expect.stringMatching(/^No node queue:.*orders-billing in the topology/),
    });
    expect((await getTopologyNode(everyone, billing.id)).edges).toHaveLength(1);
    // Their queue: its DLQ is a neighbour; the topic that feeds it is outside their bindings.
    const charges = await getTopologyNode(operatorOfPayments, byName(`${prefix}-payments-charges`).id);
    expect(names(charges.neighbours)).toEqual([`${prefix}-payments-charges-dlq`]);
    expect(charges.edges.map((e) => e.kind)).toEqual(["redrive"]);
  });
});

describe("the SLA and the charts as a caller bound to some resources sees them", () => {
  it("keeps their rows and withholds the figures across resources they cannot see", { timeout: 90_000 }, async () => {
    const seen = await getVisibleSla(operatorOfPayments, "1h");
    expect(seen.services.map((s) => `${s.kind} ${s.resource}`).sort()).toEqual([`queue ${prefix}-payments-charges`]);
    expect(seen.hidden).toBeGreaterThanOrEqual(3);
    expect(seen.withheld).toEqual(expect.arrayContaining(["endToEnd", "topic", "queue", "path"]));
    expect(seen.endToEnd).toBeUndefined();
    expect(seen.kinds.queue).toBeUndefined();
    expect(seen.latency.map((l) => l.resource)).toEqual([`${prefix}-payments-charges`]);
    expect(seen.notes.at(-1)).toMatch(/^Your bindings reach some of these resources only: end to end, /);
    const everything = await getVisibleSla(everyone, "1h");
    expect(everything.endToEnd).toBeDefined();
    expect(everything.hidden).toBeUndefined();
    expect(everything.services.map((s) => s.resource)).toEqual(
      expect.arrayContaining([`${prefix}-orders-billing`, `${prefix}-orders → ${prefix}-orders-billing`]),
    );
  });

  it(
    "refuses the charts of a resource outside the caller's bindings, whether it exists or not",
    { timeout: 60_000 },
    async () => {
      await expect(
        resourceMetrics(operatorOfPayments, "queue", `${prefix}-orders-billing`, "1h"),
      ).rejects.toMatchObject({ code: "forbidden", status: 403 });
      await expect(resourceMetrics(operatorOfPayments, "topic", `${prefix}-nowhere`, "1h")).rejects.toMatchObject({
        code: "forbidden",
      });
      await expect(
        resourceMetrics(operatorOfPayments, "queue", `${prefix}-payments-nowhere`, "1h"),
      ).rejects.toMatchObject({ code: "not_found" });
      const charts = await resourceMetrics(operatorOfPayments, "queue", `${prefix}-payments-charges`, "1h");
      expect(charts.charts.map((c) => c.id)).toContain("dead-letters");
    },
  );
});
