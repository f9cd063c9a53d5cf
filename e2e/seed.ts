import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { queueArn, subscribeQueue } from "../test/queues";

/** A small pipeline for the end-to-end tests: one topic, two queues, one of them filtered and with a DLQ holding one dead letter. */
export async function seedPipeline(endpoint: string) {
  const common = { region: "us-east-1", endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } };
  const sns = new SNSClient(common);
  const sqs = new SQSClient(common);
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: "e2e-orders" }))).TopicArn!;
  const arnOf = (url: string) => queueArn(sqs, url);
  const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "e2e-inventory-dlq" }))).QueueUrl!;
  const redrive = {
    "e2e-inventory": {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await arnOf(dlqUrl), maxReceiveCount: 1 }),
      VisibilityTimeout: "0",
    },
  } as Record<string, Record<string, string>>;
  const subscribe = (name: string, attributes: Record<string, string>) =>
    subscribeQueue({ sns, sqs }, topicArn, name, { RawMessageDelivery: "true", ...attributes }, redrive[name]);
  const inventory = await subscribe("e2e-inventory", {
    FilterPolicy: JSON.stringify({ eventType: ["order.placed", "order.cancelled"] }),
  });
  // One dead letter: a receive is allowed, the next moves the message to the DLQ.
  const inventoryUrl = dlqUrl.replace("e2e-inventory-dlq", "e2e-inventory");
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: inventoryUrl,
      MessageBody: '{"type":"order.placed","poison":true}',
      MessageAttributes: { eventType: { DataType: "String", StringValue: "order.placed" } },
    }),
  );
  await sqs.send(new ReceiveMessageCommand({ QueueUrl: inventoryUrl }));
  await sqs.send(new ReceiveMessageCommand({ QueueUrl: inventoryUrl }));
  const audit = await subscribe("e2e-audit", {});

  // A second DLQ for the replay tests, holding three dead letters: one with a masked field, one
  // whose body is hostile HTML, one plain. Its source queue has no consumer, so a replay stays there.
  const paymentsDlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "e2e-payments-dlq" }))).QueueUrl!;
  await sqs.send(
    new CreateQueueCommand({
      QueueName: "e2e-payments",
      Attributes: {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await arnOf(paymentsDlqUrl), maxReceiveCount: 3 }),
      },
    }),
  );
  const deadLetters = [
    {
      body: JSON.stringify({ type: "order.paid", orderId: "ord-masked", customer: { email: "ada@example.com" } }),
      eventType: "order.paid",
    },
    { body: '<img src=x onerror="window.__xss=1">', eventType: "order.refunded" },
    { body: JSON.stringify({ type: "order.paid", orderId: "ord-plain", amount: 12.5 }), eventType: "order.paid" },
  ];
  for (const d of deadLetters) {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: paymentsDlqUrl,
        MessageBody: d.body,
        MessageAttributes: { eventType: { DataType: "String", StringValue: d.eventType } },
      }),
    );
  }
  return { topicArn, inventorySubscriptionArn: inventory, auditSubscriptionArn: audit };
}
