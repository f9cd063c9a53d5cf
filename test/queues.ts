import { randomUUID } from "node:crypto";
import { PutMetricAlarmCommand, type CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { SNSClient } from "@aws-sdk/client-sns";
import { SubscribeCommand } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
  type SQSClient,
} from "@aws-sdk/client-sqs";

/**
 * Queues and subscriptions for the tests against the local endpoint, through the SDK alone (the
 * end-to-end seed uses them too, outside vitest and the console's modules).
 */

export async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  return (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes!
    .QueueArn!;
}

/** Messages a receive can get now (`visible`) and those received and not yet deleted (`inFlight`). */
export async function queueDepth(sqs: SQSClient, url: string): Promise<{ visible: number; inFlight: number }> {
  const a = (
    await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    )
  ).Attributes!;
  return { visible: Number(a.ApproximateNumberOfMessages), inFlight: Number(a.ApproximateNumberOfMessagesNotVisible) };
}

/** Receives and deletes everything in a queue, in the order SQS hands it out, with every attribute. */
export async function drain(sqs: SQSClient, url: string): Promise<Message[]> {
  const all: Message[] = [];
  for (let empty = 0; empty < 2;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 60,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ["All"],
        MessageSystemAttributeNames: ["All"],
      }),
    );
    empty = Messages.length ? 0 : empty + 1;
    all.push(...Messages);
    if (Messages.length)
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: url,
          Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
  }
  return all;
}

/** Sends `n` messages "<body> <i>" to a standard queue, ten a request (SendMessageBatch's limit). */
export async function sendLetters(sqs: SQSClient, url: string, n: number, body = "letter"): Promise<void> {
  for (let start = 0; start < n; start += 10) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: Array.from({ length: Math.min(10, n - start) }, (_, i) => ({
          Id: `e${i}`,
          MessageBody: `${body} ${start + i}`,
        })),
      }),
    );
  }
}

/** An alarm `<queue>-not-empty` on the queue's visible messages above 0 for a minute: a dead-letter queue's usual alarm. */
export async function putNotEmptyAlarm(cloudwatch: CloudWatchClient, queueName: string): Promise<void> {
  await cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: `${queueName}-not-empty`,
      Namespace: "AWS/SQS",
      MetricName: "ApproximateNumberOfMessagesVisible",
      Dimensions: [{ Name: "QueueName", Value: queueName }],
      Statistic: "Maximum",
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
    }),
  );
}

export interface DeadLetterPairOptions {
  /** The pair's name instead of `<prefix>-<random>` (the same names in two accounts). */
  name?: string;
  /** The source queue's name after `<prefix>-<random>`: "" (the default) or e.g. "-src". */
  sourceSuffix?: string;
  /** The source's RedrivePolicy maxReceiveCount; 3 unless given. */
  maxReceiveCount?: number;
  /** Both queues FIFO (names ending in .fifo). */
  fifo?: boolean;
  /** More attributes for both queues, and for each one. */
  attributes?: Record<string, string>;
  dlqAttributes?: Record<string, string>;
  sourceAttributes?: Record<string, string>;
}

/** A DLQ `<prefix>-<random>-dlq` and its source queue, whose RedrivePolicy names it; both empty. */
export async function deadLetterPair(sqs: SQSClient, prefix: string, options: DeadLetterPairOptions = {}) {
  const name = options.name ?? `${prefix}-${randomUUID().slice(0, 8)}`;
  const fifo = options.fifo ? { FifoQueue: "true" } : {};
  const suffix = options.fifo ? ".fifo" : "";
  const dlq = `${name}-dlq${suffix}`;
  const source = `${name}${options.sourceSuffix ?? ""}${suffix}`;
  const dlqUrl = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: dlq,
        Attributes: { ...fifo, ...options.attributes, ...options.dlqAttributes },
      }),
    )
  ).QueueUrl!;
  const dlqArn = await queueArn(sqs, dlqUrl);
  const redrivePolicy = { deadLetterTargetArn: dlqArn, maxReceiveCount: options.maxReceiveCount ?? 3 };
  const sourceUrl = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: source,
        Attributes: {
          ...fifo,
          ...options.attributes,
          ...options.sourceAttributes,
          RedrivePolicy: JSON.stringify(redrivePolicy),
        },
      }),
    )
  ).QueueUrl!;
  return { name, dlq, dlqUrl, dlqArn, source, sourceUrl };
}

/** A standard DLQ `<prefix>-<random>-dlq` with its source queue (maxReceiveCount 3), holding `n` letters "<body> <i>". */
export async function deadLetterQueueWith(sqs: SQSClient, prefix: string, n: number, body = "letter") {
  const pair = await deadLetterPair(sqs, prefix);
  await sendLetters(sqs, pair.dlqUrl, n, body);
  return pair;
}

/**
 * Creates the queue `queueName` (with `queueAttributes`) and subscribes it to the topic with the
 * subscription's `attributes`; returns the subscription's ARN.
 */
export async function subscribeQueue(
  clients: { sns: SNSClient; sqs: SQSClient },
  topicArn: string,
  queueName: string,
  attributes: Record<string, string>,
  queueAttributes?: Record<string, string>,
): Promise<string> {
  const { QueueUrl } = await clients.sqs.send(
    new CreateQueueCommand({ QueueName: queueName, Attributes: queueAttributes }),
  );
  const { SubscriptionArn } = await clients.sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: "sqs",
      Endpoint: await queueArn(clients.sqs, QueueUrl!),
      Attributes: attributes,
      ReturnSubscriptionArn: true,
    }),
  );
  return SubscriptionArn!;
}
