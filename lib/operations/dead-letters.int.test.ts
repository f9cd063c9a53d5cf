import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { CreateTopicCommand, SubscribeCommand } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { deadLetterOverview } from "./dead-letters";
import { testContext } from "../../test/context";

const prefix = `dl-${randomUUID().slice(0, 8)}`;
const clients = testContext().aws.clients;
const arnOf = async (url: string) =>
  (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes!
    .QueueArn!;

beforeAll(async () => {
  const dlqUrl = (
    await clients.sqs.send(
      new CreateQueueCommand({ QueueName: `${prefix}-dlq`, Attributes: { MessageRetentionPeriod: "1209600" } }),
    )
  ).QueueUrl!;
  const dlqArn = await arnOf(dlqUrl);
  const sourceUrl = (
    await clients.sqs.send(
      new CreateQueueCommand({
        QueueName: `${prefix}-orders`,
        Attributes: {
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }),
          VisibilityTimeout: "0",
        },
      }),
    )
  ).QueueUrl!;
  // One receive is allowed; the next one moves the message to the DLQ, as SQS does.
  await clients.sqs.send(new SendMessageCommand({ QueueUrl: sourceUrl, MessageBody: "poison" }));
  await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: sourceUrl }));
  await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: sourceUrl }));

  const snsDlqUrl = (await clients.sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-sns-dlq` }))).QueueUrl!;
  const target = await arnOf(
    (await clients.sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-target` }))).QueueUrl!,
  );
  const topicArn = (await clients.sns.send(new CreateTopicCommand({ Name: `${prefix}-topic` }))).TopicArn!;
  await clients.sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: "sqs",
      Endpoint: target,
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await arnOf(snsDlqUrl) }) },
    }),
  );

  // The start of the previous minute: datapoints in it fall in one period.
  const lastMinute = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);
  await clients.cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: "AWS/SQS",
      MetricData: [
        {
          MetricName: "ApproximateAgeOfOldestMessage",
          Dimensions: [{ Name: "QueueName", Value: `${prefix}-dlq` }],
          Value: 3600,
          Unit: "Seconds",
          Timestamp: new Date(Date.now() - 60_000),
        },
        {
          MetricName: "ApproximateNumberOfMessagesVisible",
          Dimensions: [{ Name: "QueueName", Value: `${prefix}-dlq` }],
          Value: 0,
          Timestamp: new Date(Date.now() - 5 * 60_000),
        },
        {
          MetricName: "ApproximateNumberOfMessagesVisible",
          Dimensions: [{ Name: "QueueName", Value: `${prefix}-dlq` }],
          Value: 1,
          Timestamp: lastMinute,
        },
        // Within the same minute a view leased the letter: it is in both that minute's Maximum of
        // visible and of in flight, and still counts once.
        ...[0, 1].map((inFlight, k) => ({
          MetricName: "ApproximateNumberOfMessagesNotVisible",
          Dimensions: [{ Name: "QueueName", Value: `${prefix}-dlq` }],
          Value: inFlight,
          Timestamp: new Date(lastMinute.getTime() + (k + 1) * 10_000),
        })),
        {
          MetricName: "ApproximateNumberOfMessagesVisible",
          Dimensions: [{ Name: "QueueName", Value: `${prefix}-dlq` }],
          Value: 0,
          Timestamp: new Date(lastMinute.getTime() + 20_000),
        },
      ],
    }),
  );
});

describe("the dead-letter overview against moto", () => {
  it("finds queue and subscription DLQs with their sources, depth, age, growth and arrivals", async () => {
    const { deadLetterQueues, metricsUnavailable } = await deadLetterOverview(testContext());
    expect(metricsUnavailable).toBeUndefined();
    const mine = deadLetterQueues.filter((d) => d.name.startsWith(prefix));
    expect(mine.map((d) => d.name)).toEqual([`${prefix}-dlq`, `${prefix}-sns-dlq`]);
    const [dlq, snsDlq] = mine;
    expect(dlq).toMatchObject({
      visible: 1,
      retentionSeconds: 1_209_600,
      oldestAgeSeconds: 3600,
      oldestExpiresInSeconds: 1_209_600 - 3600,
      growth: 1,
      growthWindowMinutes: 4,
      inflow: 1,
      inflowWindowMinutes: 15,
    });
    expect(dlq!.sources).toEqual([
      expect.objectContaining({ kind: "queue", name: `${prefix}-orders`, maxReceiveCount: 1 }),
    ]);
    expect(snsDlq!.sources).toEqual([
      expect.objectContaining({ kind: "subscription", topicArn: expect.stringContaining(`${prefix}-topic`) }),
    ]);
    // No datapoints: no age and no growth, rather than zeros.
    expect(snsDlq!.oldestAgeSeconds).toBeUndefined();
    expect(snsDlq!.growth).toBeUndefined();
    expect(snsDlq!.inflow).toBeUndefined();
  });
});
