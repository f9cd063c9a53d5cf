import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { LocalLambda, startLambdaApi } from "../../infra/local";
import { testContext } from "../../test/context";
import { collectIncidents } from "./incidents";

/**
 * The start page's list against moto: a dead-letter queue holding a letter that arrived in the last
 * minutes, and a queue whose consumer (an event source mapping on the local Lambda API) is disabled.
 */

const prefix = `inc-${randomUUID().slice(0, 8)}`;
const clients = testContext().aws.clients;
let lambdaApi: Awaited<ReturnType<typeof startLambdaApi>>;
let pausedQueueArn: string;

const arnOf = async (url: string) =>
  (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes!
    .QueueArn!;

beforeAll(async () => {
  const dlqUrl = (await clients.sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-dlq` }))).QueueUrl!;
  const sourceUrl = (
    await clients.sqs.send(
      new CreateQueueCommand({
        QueueName: `${prefix}-orders`,
        Attributes: {
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await arnOf(dlqUrl), maxReceiveCount: 1 }),
          VisibilityTimeout: "0",
        },
      }),
    )
  ).QueueUrl!;
  // One receive is allowed; the next one moves the message to the DLQ, as SQS does.
  await clients.sqs.send(new SendMessageCommand({ QueueUrl: sourceUrl, MessageBody: "poison" }));
  await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: sourceUrl }));
  await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: sourceUrl }));
  // What AWS would publish for the DLQ: empty five minutes ago, one letter a minute ago.
  await clients.cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: "AWS/SQS",
      MetricData: [0, 1].map((value, i) => ({
        MetricName: "ApproximateNumberOfMessagesVisible",
        Dimensions: [{ Name: "QueueName", Value: `${prefix}-dlq` }],
        Value: value,
        Timestamp: new Date(Date.now() - (i === 0 ? 5 : 1) * 60_000),
      })),
    }),
  );

  const pausedUrl = (await clients.sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-paused` }))).QueueUrl!;
  pausedQueueArn = await arnOf(pausedUrl);
  for (const body of ["a", "b"])
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: pausedUrl, MessageBody: body }));
  const lambda = new LocalLambda("us-east-1", "123456789012");
  lambda.createFunction({
    FunctionName: `${prefix}-worker`,
    Role: "arn:aws:iam::123456789012:role/r",
    Handler: "h.handler",
    Code: {},
  });
  lambda.createEventSourceMapping({ FunctionName: `${prefix}-worker`, EventSourceArn: pausedQueueArn, Enabled: false });
  lambdaApi = await startLambdaApi(lambda, 0);
});
afterAll(() => lambdaApi?.close());

describe("incidents against moto", () => {
  it(
    "lists dead letters arriving and a paused consumer, each linked to its page, with every source read",
    { timeout: 60_000 },
    async () => {
      const ctx = testContext({ env: { AWS_ENDPOINT_URL_LAMBDA: lambdaApi.url } });
      const view = await collectIncidents(ctx);
      expect(view.failed).toEqual([]);
      const mine = view.incidents.filter((i) => i.title.includes(prefix));

      const deadLetters = mine.find((i) => i.kind === "dead-letters");
      expect(deadLetters).toMatchObject({
        severity: "critical",
        title: `Dead letters arriving in ${prefix}-dlq`,
        link: { href: `/dead-letters/${prefix}-dlq` },
      });
      expect(deadLetters!.detail).toMatch(
        /^1 dead letter; 1 arrived in the last 15 min; .*from queue .*-orders after 1 receive\.$/,
      );

      const paused = mine.find((i) => i.kind === "paused-consumer");
      expect(paused).toMatchObject({
        severity: "warning",
        title: `Consumer ${prefix}-worker is paused on queue ${prefix}-paused`,
        detail: `Lambda is not polling ${prefix}-paused (mapping Disabled); 2 messages waiting there now.`,
        link: { href: `/topology?node=${encodeURIComponent(`queue:${pausedQueueArn}`)}` },
      });
      // The local Lambda API gives LastModified, as AWS does: the pause began moments ago.
      expect(Date.now() - Date.parse(paused!.since!)).toBeLessThan(60_000);
      // Most severe first: the arriving dead letters come before the paused consumer.
      expect(mine.indexOf(deadLetters!)).toBeLessThan(mine.indexOf(paused!));
    },
  );

  it(
    "names the consumers as not read when Lambda does not answer, and still lists the dead letters",
    { timeout: 60_000 },
    async () => {
      const closed = await startLambdaApi(new LocalLambda("us-east-1", "123456789012"), 0);
      await closed.close();
      const view = await collectIncidents(testContext({ env: { AWS_ENDPOINT_URL_LAMBDA: closed.url } }));
      expect(view.failed.map((f) => f.source)).toEqual(["consumers", "configuration"]);
      expect(view.failed[0]!.reason).toMatch(/^Lambda: /);
      expect(view.incidents.some((i) => i.title === `Dead letters arriving in ${prefix}-dlq`)).toBe(true);
      expect(view.incidents.some((i) => i.kind === "paused-consumer" && i.title.includes(prefix))).toBe(false);
    },
  );
});
