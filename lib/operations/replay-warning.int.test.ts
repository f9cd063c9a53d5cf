import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalLambda, startLambdaApi } from "../../infra/local";
import type { ReceivedMessage } from "../domain/dead-letter-message";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { checkReplay } from "./replay-warning";
import { getJob, startReplay } from "./redrive";
import { deadLetterPair } from "../../test/queues";
import { contextAs, testContext } from "../../test/context";
import { orderTraces, putSegments } from "../../test/trace-fixtures";

/**
 * The replay check against moto's X-Ray and the local Lambda API: one message failed three times
 * alike in a function older than its attempts (a replay would fail again), another failed in a
 * function changed since (worth a try), a third was never traced.
 */

const steady = orderTraces(Date.now() - 60_000);
const fixed = orderTraces(Date.now() - 60_000);
let lambdaApi: Awaited<ReturnType<typeof startLambdaApi>>;

const letter = (messageId: string, header?: string): ReceivedMessage => ({
  messageId,
  receiptHandle: `rh-${messageId}`,
  body: "{}",
  attributes: header ? { AWSTraceHeader: header } : {},
  messageAttributes: {},
});

beforeAll(async () => {
  const lambda = new LocalLambda("us-east-1", "123456789012");
  const create = (name: string) =>
    lambda.createFunction({
      FunctionName: name,
      Role: "arn:aws:iam::123456789012:role/r",
      Handler: "h.handler",
      Code: {},
    });
  create(steady.billing);
  lambdaApi = await startLambdaApi(lambda, 0);
  const ctx = testContext();
  const put = (segments: Parameters<typeof putSegments>[1]) => putSegments(ctx.aws.clients.xray, segments);

  // The steady message's attempts come after its function's LastModified (now), in the same second's neighbourhood.
  const created = Date.now();
  await new Promise((r) => setTimeout(r, 1_200));
  await put(steady.producer.segments);
  for (let i = 0; i < 3; i++)
    await put(
      steady.consume(
        steady.billing,
        created + 100 + i * 300,
        [steady.producer.header],
        `order ${i + 17} has no amount`,
      ),
    );
  // The other message failed a minute ago, in a function deployed since.
  await put(fixed.producer.segments);
  for (let i = 0; i < 3; i++)
    await put(
      fixed.consume(
        fixed.billing,
        fixed.publishedAt + 1_000 + i * 1_000,
        [fixed.producer.header],
        "amount is undefined",
      ),
    );
  create(fixed.billing);
});
afterAll(() => lambdaApi?.close());

describe("the replay check", () => {
  it(
    "warns of letters whose last attempts failed alike in code unchanged since, with the count and the error",
    { timeout: 60_000 },
    async () => {
      const ctx = testContext({ env: { AWS_ENDPOINT_URL_LAMBDA: lambdaApi.url } });
      const check = await checkReplay(ctx, "no-such-dlq", () => [
        letter("steady", steady.producer.header),
        letter("fixed", fixed.producer.header),
        letter("untraced"),
      ]);
      expect(check.sampled).toBe(2);
      expect(check.total).toBe(3);
      expect(check.unavailable).toBeUndefined();
      expect(check.warning).toMatchObject({
        count: 1,
        examined: 2,
        total: 3,
        error: "TypeError: order <n> has no amount",
        consumers: [{ functionName: steady.billing }],
      });
      expect(check.warning!.message).toMatch(
        /^1 of the 2 letters examined \(of 3\) failed their last attempts with TypeError: order <n> has no amount, and billing-\w+ has not changed since\./,
      );
    },
  );

  it(
    "says nothing when the functions changed since, and says why when Lambda does not answer",
    { timeout: 60_000 },
    async () => {
      const ctx = testContext({ env: { AWS_ENDPOINT_URL_LAMBDA: lambdaApi.url } });
      const changed = await checkReplay(ctx, "no-such-dlq", () => [letter("fixed", fixed.producer.header)]);
      expect(changed).toEqual({ warning: null, total: 1, sampled: 1 });

      const closed = await startLambdaApi(new LocalLambda("us-east-1", "123456789012"), 0);
      await closed.close();
      const down = await checkReplay(
        testContext({ env: { AWS_ENDPOINT_URL_LAMBDA: closed.url } }),
        "no-such-dlq",
        () => [letter("steady", steady.producer.header)],
      );
      expect(down.warning).toBeNull();
      expect(down.unavailable).toMatch(/Lambda/i);
    },
  );

  it(
    "puts the warning on the job a replay of the whole DLQ starts, read from a peek, and replays all the same",
    { timeout: 90_000 },
    async () => {
      const operator = contextAs("otto", "operator", { env: { AWS_ENDPOINT_URL_LAMBDA: lambdaApi.url } });
      const { dlq, dlqUrl } = await deadLetterPair(operator.aws.clients.sqs, "warned");
      await operator.aws.clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: dlqUrl,
          MessageBody: "{}",
          MessageSystemAttributes: { AWSTraceHeader: { DataType: "String", StringValue: steady.producer.header } },
        }),
      );
      const job = await startReplay(operator, dlq, { all: true });
      expect(job.warning).toMatchObject({ count: 1, error: "TypeError: order <n> has no amount" });
      await expect
        .poll(async () => (await getJob(operator, job.id)).status, { timeout: 60_000, interval: 300 })
        .toBe("completed");
      expect(await getJob(operator, job.id)).toMatchObject({ moved: 1, warning: { count: 1 } });
    },
  );
});
