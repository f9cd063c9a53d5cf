import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { CreateTopicCommand, PublishCommand, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { filterPolicyImpact } from "./filter-policy-impact";
import { readTapOnce } from "./pipeline-samples";
import { appErrorOf } from "../../test/app-error";
import { contextAs } from "../../test/context";
import { queueArn, queueDepth, subscribeQueue } from "../../test/queues";

const prefix = `fpi-${randomUUID().slice(0, 8)}`;
// A viewer asks: the impact changes nothing, and reads dead letters without holding them.
const viewer = contextAs("vera", "viewer", {
  env: { FANOUT_TAP_QUEUE: `${prefix}-tap`, FANOUT_MASK_FIELDS: "customer.email" },
});
const withoutTap = contextAs("vera", "viewer");
const clients = viewer.aws.clients;
let topicArn: string;
let billingArn: string;
let dlqUrl: string;

const types = ["order.placed", "order.paid", "order.paid", "order.cancelled", "refund.issued", "audit.read"];

beforeAll(async () => {
  topicArn = (await clients.sns.send(new CreateTopicCommand({ Name: `${prefix}-orders` }))).TopicArn!;
  const tapUrl = (await clients.sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-tap` }))).QueueUrl!;
  await clients.sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: await queueArn(clients.sqs, tapUrl) }),
  );
  dlqUrl = (await clients.sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-billing-dlq` }))).QueueUrl!;
  billingArn = await subscribeQueue(
    clients,
    topicArn,
    `${prefix}-billing`,
    { FilterPolicy: JSON.stringify({ eventType: [{ prefix: "order." }] }), RawMessageDelivery: "true" },
    { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await queueArn(clients.sqs, dlqUrl), maxReceiveCount: 3 }) },
  );
  await subscribeQueue(clients, topicArn, `${prefix}-refunds`, {
    FilterPolicy: JSON.stringify({ type: [{ prefix: "refund." }] }),
    FilterPolicyScope: "MessageBody",
  });
  for (const [i, type] of types.entries()) {
    await clients.sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: JSON.stringify({ type, n: i, customer: { email: `${i}@example.com` } }),
        MessageAttributes: { eventType: { DataType: "String", StringValue: type } },
      }),
    );
  }
  for (const type of ["order.paid", "order.cancelled"])
    await clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: dlqUrl,
        MessageBody: JSON.stringify({ type, customer: { email: "dead@example.com" } }),
        MessageAttributes: { eventType: { DataType: "String", StringValue: type } },
      }),
    );
  let read = 0;
  for (let i = 0; i < 10 && read < types.length; i++) read += await readTapOnce(viewer, 1);
  expect(read).toBe(types.length);
});

describe("the impact of a filter-policy change against moto", () => {
  it("evaluates the draft over the tap's recent events, and finds what no subscription receives after it", async () => {
    const result = await filterPolicyImpact(viewer, billingArn, {
      policy: { eventType: ["order.paid"] },
      scope: "MessageAttributes",
    });
    const recent = result.recentEvents;
    expect(recent).toMatchObject({ tapConfigured: true, read: 6 });
    expect(recent.impact).toMatchObject({ events: 6, deliveredBefore: 4, deliveredAfter: 2 });
    expect(recent.impact!.newlyDropped.count).toBe(2);
    const dropped = recent.impact!.newlyDropped.examples.map((e) => JSON.parse(e.body) as { type: string });
    expect(dropped.map((d) => d.type).sort()).toEqual(["order.cancelled", "order.placed"]);
    // Examples are served masked.
    expect(JSON.stringify(recent.impact)).not.toContain("@example.com");
    // The refunds subscription reads bodies; the tap, which takes everything, is not a reader.
    expect(recent.impact!.topic.otherSubscriptions).toBe(1);
    const unread = recent.impact!.topic.reachNoSubscriber.examples.map((e) => e.attributes.eventType?.Value).sort();
    expect(unread).toEqual(["audit.read", "order.cancelled", "order.placed"]);
    expect(recent.impact!.topic.newlyReachNoSubscriber.count).toBe(2);
  });

  it("peeks at the dead letters without taking them", async () => {
    const result = await filterPolicyImpact(viewer, billingArn, {
      policy: '{"eventType":["order.cancelled"]}',
      scope: "MessageAttributes",
    });
    expect(result.deadLetters.read).toBe(2);
    expect(result.deadLetters.impact).toMatchObject({ events: 2, deliveredBefore: 2, deliveredAfter: 1 });
    expect(result.deadLetters.impact!.newlyDropped.examples[0]!.attributes.eventType?.Value).toBe("order.paid");
    expect(JSON.stringify(result.deadLetters)).not.toContain("dead@example.com");
    // Visible as before, none in flight: an operator's view and a redrive see them at once.
    expect(await queueDepth(clients.sqs, dlqUrl)).toEqual({ visible: 2, inFlight: 0 });
  });

  it("says there are no recent events without a tap queue, rather than inventing any", async () => {
    const result = await filterPolicyImpact(withoutTap, billingArn, { policy: {}, scope: "MessageAttributes" });
    expect(result.recentEvents).toMatchObject({ tapConfigured: false, read: 0 });
    expect(result.recentEvents.impact).toBeUndefined();
    expect(result.recentEvents.notes[0]).toContain("FANOUT_TAP_QUEUE");
    // An empty draft delivers everything: the dead letters' impact still stands.
    expect(result.deadLetters.impact).toMatchObject({ deliveredBefore: 2, deliveredAfter: 2 });
  });

  it("refuses an invalid draft, naming the field, before asking AWS anything", async () => {
    // The subscription does not exist: a refusal about the policy shows it was not looked up.
    const missing = `${topicArn}:00000000-0000-0000-0000-000000000000`;
    const err = await appErrorOf(
      filterPolicyImpact(viewer, missing, {
        policy: { price: [{ numeric: [">", "ten"] }] },
        scope: "MessageAttributes",
      }),
    );
    expect(err.code).toBe("validation");
    expect(err.message).toMatch(/^policy\.price\[0\]\.numeric/);
    const body = await appErrorOf(
      filterPolicyImpact(viewer, missing, { policy: { a: { b: ["c"] } }, scope: "MessageAttributes" }),
    );
    expect(body.message).toMatch(/^policy/);
  });
});
