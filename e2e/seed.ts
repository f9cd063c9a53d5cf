import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
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

/** The e2e's second environment: account 222222222222 in eu-west-1, reached as the console reaches it (sts:AssumeRole). */
export const stagingEnvironment = {
  id: "staging",
  name: "Staging",
  accountId: "222222222222",
  region: "eu-west-1",
  roleArn: "arn:aws:iam::222222222222:role/fanout-console",
  tapQueue: "stg-orders-tap",
} as const;

/** Staging's e2e-inventory policy as seeded: other than production's, so that the two compare as different. */
export const stagingInventoryPolicy = { eventType: ["order.placed"], region: ["eu"] };

/**
 * A smaller pipeline in the staging environment, named apart from production's so that a resource of
 * one environment in the other's answer is caught (by its account and region, and by the stg- names):
 * a topic, a queue with a DLQ holding two dead letters. Beside it, production's e2e-orders topic with
 * its e2e-inventory subscription under the same names, so that a filter policy has a counterpart to
 * compare with and copy to.
 */
export async function seedStaging(endpoint: string) {
  const sts = new STSClient({
    region: "us-east-1",
    endpoint,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  const assumed = await sts.send(
    new AssumeRoleCommand({ RoleArn: stagingEnvironment.roleArn, RoleSessionName: "fanout-e2e-seed" }),
  );
  const c = assumed.Credentials!;
  const common = {
    region: stagingEnvironment.region,
    endpoint,
    credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken },
  };
  const sns = new SNSClient(common);
  const sqs = new SQSClient(common);
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: "stg-orders" }))).TopicArn!;
  const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "stg-shipping-dlq" }))).QueueUrl!;
  const redrive = {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await queueArn(sqs, dlqUrl), maxReceiveCount: 3 }),
  };
  const subscriptionArn = await subscribeQueue(
    { sns, sqs },
    topicArn,
    "stg-shipping",
    { RawMessageDelivery: "true" },
    redrive,
  );
  for (const orderId of ["stg-ord-1", "stg-ord-2"]) {
    await sqs.send(
      new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: JSON.stringify({ type: "order.shipped", orderId }) }),
    );
  }
  const ordersArn = (await sns.send(new CreateTopicCommand({ Name: "e2e-orders" }))).TopicArn!;
  const inventorySubscriptionArn = await subscribeQueue({ sns, sqs }, ordersArn, "e2e-inventory", {
    RawMessageDelivery: "true",
    FilterPolicy: JSON.stringify(stagingInventoryPolicy),
  });
  // Staging's tap (stagingEnvironment.tapQueue): the console keeps what e2e-orders published, for
  // the impact of a filter-policy change. One event's body is hostile HTML, shown as text.
  const tapUrl = (await sqs.send(new CreateQueueCommand({ QueueName: stagingEnvironment.tapQueue }))).QueueUrl!;
  await sns.send(new SubscribeCommand({ TopicArn: ordersArn, Protocol: "sqs", Endpoint: await queueArn(sqs, tapUrl) }));
  for (const event of stagingTapEvents) {
    await sns.send(
      new PublishCommand({
        TopicArn: ordersArn,
        Message: JSON.stringify(event),
        MessageAttributes: {
          eventType: { DataType: "String", StringValue: event.type },
          region: { DataType: "String", StringValue: event.region },
        },
      }),
    );
  }
  return { topicArn, subscriptionArn, inventorySubscriptionArn };
}

/** What staging's e2e-orders published, as its tap keeps it. */
export const stagingTapEvents = [
  { type: "order.placed", region: "eu", orderId: "stg-tap-1" },
  { type: "order.placed", region: "us", orderId: "stg-tap-2" },
  { type: "order.cancelled", region: "eu", orderId: "stg-tap-3" },
  { type: "order.placed", region: "eu", orderId: "stg-tap-4", note: '<img src=x onerror="window.__impactXss=1">' },
];

/** FANOUT_ENVIRONMENTS for the e2e console: production (moto's default account, us-east-1) first, then staging. */
export function e2eEnvironments(endpoint: string, lambdaEndpoint: string): string {
  const endpoints = { endpoint, serviceEndpoints: { lambda: lambdaEndpoint } };
  return JSON.stringify([
    {
      id: "production",
      name: "Production",
      kind: "production",
      accountId: "123456789012",
      regions: ["us-east-1"],
      credentials: { source: "default" },
      ...endpoints,
    },
    {
      id: stagingEnvironment.id,
      name: stagingEnvironment.name,
      kind: "staging",
      accountId: stagingEnvironment.accountId,
      regions: [stagingEnvironment.region],
      credentials: { source: "assume-role", roleArn: stagingEnvironment.roleArn, externalId: "fanout-e2e" },
      tapQueue: stagingEnvironment.tapQueue,
      endpoint,
    },
  ]);
}
