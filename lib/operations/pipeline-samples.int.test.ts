import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { CreateTopicCommand, PublishCommand, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { addRecentEvents, getStore } from "../store";
import { deadLetterSamples, readTapOnce, recentEventSamples } from "./pipeline-samples";
import { testContext } from "../../test/context";
import { scopeOfContext } from "./context";

const prefix = `ps-${randomUUID().slice(0, 8)}`;
const ctx = testContext({ env: { FANOUT_TAP_QUEUE: `${prefix}-tap`, FANOUT_MASK_FIELDS: "customer.email" } });
const clients = ctx.aws.clients;
const arnOf = async (url: string) =>
  (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes!
    .QueueArn!;
const depth = async (url: string) =>
  Number(
    (
      await clients.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages"] }),
      )
    ).Attributes!.ApproximateNumberOfMessages,
  );
let subscriptionArn: string;
let tapUrl: string;
let dlqUrl: string;
let topicArn: string;

beforeAll(async () => {
  topicArn = (await clients.sns.send(new CreateTopicCommand({ Name: `${prefix}-orders` }))).TopicArn!;
  tapUrl = (await clients.sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-tap` }))).QueueUrl!;
  await clients.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: await arnOf(tapUrl) }));
  dlqUrl = (await clients.sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-billing-dlq` }))).QueueUrl!;
  const queueUrl = (
    await clients.sqs.send(
      new CreateQueueCommand({
        QueueName: `${prefix}-billing`,
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await arnOf(dlqUrl), maxReceiveCount: 3 }) },
      }),
    )
  ).QueueUrl!;
  subscriptionArn = (
    await clients.sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: "sqs",
        Endpoint: await arnOf(queueUrl),
        Attributes: { RawMessageDelivery: "true" },
        ReturnSubscriptionArn: true,
      }),
    )
  ).SubscriptionArn!;
  await clients.sqs.send(
    new SendMessageCommand({
      QueueUrl: dlqUrl,
      MessageBody: JSON.stringify({ type: "order.paid", customer: { email: "dead@example.com" } }),
      MessageAttributes: { eventType: { DataType: "String", StringValue: "order.paid" } },
    }),
  );
  for (const type of ["order.placed", "order.paid", "order.cancelled"]) {
    await clients.sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: JSON.stringify({ type, customer: { email: `${type}@example.com` } }),
        MessageAttributes: {
          eventType: { DataType: "String", StringValue: type },
          amount: { DataType: "Number", StringValue: "12.5" },
        },
      }),
    );
  }
});

describe("real messages to test a filter policy with", () => {
  it("keeps the events the tap queue received, as published and masked, and drains the tap", async () => {
    let read = 0;
    for (let i = 0; i < 5 && read < 3; i++) read += await readTapOnce(ctx, 1);
    expect(read).toBe(3);
    expect(await depth(tapUrl)).toBe(0);

    const { samples } = await recentEventSamples(ctx, subscriptionArn);
    expect(samples).toHaveLength(3);
    const types = samples.map((s) => (JSON.parse(s.body) as { type: string }).type);
    expect(types.sort()).toEqual(["order.cancelled", "order.paid", "order.placed"]);
    for (const s of samples) {
      expect(s.attributes.amount).toEqual({ Type: "Number", Value: "12.5" });
      expect(s.attributes.eventType!.Type).toBe("String");
      expect(s.body).not.toContain("@example.com");
    }
  });

  it("masks recent events as they are served, with the rules in force then: one stored before a rule existed too", async () => {
    await addRecentEvents(await getStore(), scopeOfContext(ctx), [
      {
        messageId: `old-${prefix}`,
        topicArn,
        body: JSON.stringify({ type: "order.old", customer: { email: "stored-raw@example.com" } }),
        attributes: {},
      },
      { messageId: `txt-${prefix}`, topicArn, body: "corrupted order event stored-raw@example.com {", attributes: {} },
    ]);
    const { samples } = await recentEventSamples(ctx, subscriptionArn);
    const old = samples.find((s) => s.body.includes("order.old"))!;
    expect(JSON.parse(old.body)).toEqual({ type: "order.old", customer: { email: "••••" } });
    expect(JSON.stringify(samples)).not.toContain("stored-raw@example.com");
    expect(samples.some((s) => s.body.startsWith("[withheld: this 46-byte body is not JSON"))).toBe(true);
  });

  it("reads the subscription's dead letters and leaves them in the DLQ", async () => {
    const { samples, notes } = await deadLetterSamples(ctx, subscriptionArn);
    expect(notes).toEqual([]);
    expect(samples).toHaveLength(1);
    expect(samples[0]!.name).toContain(`${prefix}-billing-dlq`);
    expect(samples[0]!.attributes).toEqual({ eventType: { Type: "String", Value: "order.paid" } });
    expect(samples[0]!.body).not.toContain("dead@example.com");
    expect(await depth(dlqUrl)).toBe(1);
  });
});
