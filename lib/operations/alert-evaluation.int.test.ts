import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PutMetricDataCommand, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import { ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import type { AlertDestination } from "../domain/alerts/destinations";
import { SIGNATURE_HEADER, verifySignature } from "../domain/alerts/signature";
import type { WebhookPayload } from "../domain/alerts/webhook-payload";
import { forgetSharedResults } from "../shared-result";
import { getStore, listAlertStates, listDlqDepthReadings, saveDlqDepthReadings } from "../store";
import { startAlertReceiver, type AlertReceiver } from "../../test/alert-receiver";
import { contextAs, testContext } from "../../test/context";
import { deadLetterPair, putNotEmptyAlarm, sendLetters } from "../../test/queues";
import type { AlertRuleOverride } from "../domain/alerts/rules";
import { orderTraces, putSegments } from "../../test/trace-fixtures";
import { deliverDueAlerts } from "./alert-delivery";
import { evaluateAlerts } from "./alert-evaluation";
import { scopeOfContext } from "./context";
import { openLease } from "./dead-letter-browse";
import { getJob, startReplay } from "./redrive";

/**
 * Alerts evaluated against moto and delivered to a real HTTP receiver on this machine: dead letters
 * landing in a DLQ raise one signed notification naming the newest letter (and, when traced, the
 * error it failed with), more letters update it, and a replay by the console that empties the DLQ
 * resolves it without raising anything of its own. Arrivals are told from readings in the store.
 */

let hook: AlertReceiver;

beforeAll(async () => {
  hook = await startAlertReceiver();
});

afterAll(() => hook.close());

const SECRET = "alerts-evaluation-secret";
const webhook = (): AlertDestination => ({ id: "hook", kind: "webhook", url: `${hook.url}/hook`, secret: SECRET });

/** An evaluation a minute after the last, as the leader runs it, and the delivery of every notification due. */
function evaluator(ctx: ReturnType<typeof testContext>, overrides: AlertRuleOverride[] = []) {
  const clock = { now: Date.now() };
  const evaluate = async () => {
    // Each evaluation reads the account afresh, as a minute later the shared answers have expired.
    forgetSharedResults();
    clock.now += 60_000;
    const round = await evaluateAlerts(ctx, {
      now: clock.now,
      baseUrl: "http://127.0.0.1:3000",
      destinations: [{ id: "hook", kind: "webhook" }],
      overrides,
    });
    expect(round.conflicts).toBe(0);
    // Every due notification, not one round's worth: other tests' dead-letter queues in this
    // account fire too, and a round takes at most 20.
    const store = await getStore();
    const deliver = () =>
      deliverDueAlerts(store, {
        owner: "evaluation-test",
        destinationOf: (id) => (id === "hook" ? webhook() : undefined),
        policy: { localMode: true, allowedHosts: [] },
        now: () => clock.now,
      });
    while ((await deliver()).delivered > 0);
  };
  return { evaluate, clock };
}

/** What the receiver got for one alert, bodies parsed. */
const receivedFor = (dedupKey: string) =>
  hook.received
    .filter((r) => (JSON.parse(r.body) as WebhookPayload).dedupKey === dedupKey)
    .map((r) => ({ ...r, payload: JSON.parse(r.body) as WebhookPayload }));

/** The ids of the letters a queue holds, read as the evaluator peeks (they stay visible). */
async function idsIn(ctx: ReturnType<typeof testContext>, url: string): Promise<string[]> {
  const out = await ctx.aws.clients.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
  );
  return (out.Messages ?? []).map((m) => m.MessageId!);
}

describe("evaluating dead-letter alerts against moto", () => {
  it(
    "raises one signed alert as letters land, updates it with new ones, and resolves it after a replay empties the DLQ",
    { timeout: 150_000 },
    async () => {
      const ctx = testContext();
      const sqs = ctx.aws.clients.sqs;
      const pair = await deadLetterPair(sqs, "alerts");
      const { evaluate, clock } = evaluator(ctx);
      const mine = () => receivedFor(`default/us-east-1/dead-letters-arrived/${pair.dlqArn}`);

      // Empty: nothing to tell, and the evaluation knows the DLQ held nothing.
      await evaluate();
      expect(mine()).toEqual([]);

      await sendLetters(sqs, pair.dlqUrl, 3);
      const firstThree = await idsIn(ctx, pair.dlqUrl);
      await evaluate();
      expect(mine()).toHaveLength(1);
      const [first] = mine();
      // Untraced letters: the newest's id, no error or trace to tell.
      const newest = first!.payload.details!.newestMessageId!;
      expect(firstThree).toContain(newest);
      expect(first!.payload).toMatchObject({
        status: "firing",
        rule: "dead-letters-arrived",
        environment: "default",
        region: "us-east-1",
        resource: pair.dlqArn,
        summary: `${pair.dlq} holds 3 dead letters (3 new, newest ${newest})`,
        link: `http://127.0.0.1:3000/e/default/us-east-1/dead-letters/${pair.dlq}`,
        details: { arrived: 3, newestMessageId: newest },
      });
      expect(first!.payload.details).toEqual({ arrived: 3, newestMessageId: newest });
      const signature = first!.headers[SIGNATURE_HEADER.toLowerCase()] as string;
      expect(verifySignature(signature, first!.body, SECRET, clock.now / 1000)).toBe(true);

      // Nothing new: nothing told.
      await evaluate();
      expect(mine()).toHaveLength(1);

      await sendLetters(sqs, pair.dlqUrl, 2);
      const lastTwo = (await idsIn(ctx, pair.dlqUrl)).filter((id) => !firstThree.includes(id));
      expect(lastTwo).toHaveLength(2);
      await evaluate();
      expect(mine().map((r) => r.payload.status)).toEqual(["firing", "firing"]);
      const newer = mine()[1]!.payload.details!.newestMessageId!;
      expect(lastTwo).toContain(newer);
      expect(mine()[1]!.payload.summary).toBe(
        `${pair.dlq} holds 5 dead letters (2 new since the last notification, newest ${newer})`,
      );
      expect(mine()[1]!.payload.since).toBe(first!.payload.since);

      const replay = await startReplay(contextAs("otto", "operator"), pair.dlq, { all: true });
      await expect
        .poll(async () => (await getJob(ctx, replay.id)).status, { timeout: 90_000, interval: 300 })
        .toBe("completed");
      await evaluate();
      const told = mine();
      expect(told.map((r) => r.payload.status)).toEqual(["firing", "firing", "resolved"]);
      expect(told[2]!.payload.summary).toBe(`${pair.dlq} holds 0 dead letters`);
      expect(told[2]!.payload).not.toHaveProperty("details");
      // The replay moved 5 letters: no news of its own, then or later.
      await evaluate();
      expect(mine()).toHaveLength(3);
      const states = await listAlertStates(await getStore(), scopeOfContext(ctx));
      expect(states.find((s) => s.resource === pair.dlqArn && s.rule === "dead-letters-arrived")).toMatchObject({
        status: "resolved",
      });
    },
  );

  it(
    "names the newest letter, the first error of its failed invocation from its trace, and links to the trace",
    { timeout: 90_000 },
    async () => {
      const ctx = testContext();
      const sqs = ctx.aws.clients.sqs;
      const pair = await deadLetterPair(sqs, "alerts-traced");
      // A poison message as the demo's pipeline makes one: published traced, failed three times alike.
      const poison = orderTraces(Date.now() - 60_000);
      await putSegments(ctx.aws.clients.xray, poison.producer.segments);
      for (let i = 0; i < 3; i++)
        await putSegments(
          ctx.aws.clients.xray,
          poison.consume(
            poison.billing,
            poison.publishedAt + 1_000 + i * 1_000,
            [poison.producer.header],
            `order ${i + 17} has no amount`,
          ),
        );
      const { evaluate } = evaluator(ctx);
      await evaluate();
      await sendLetters(sqs, pair.dlqUrl, 1, "untraced");
      await new Promise((r) => setTimeout(r, 20));
      const { MessageId } = await sqs.send(
        new SendMessageCommand({
          QueueUrl: pair.dlqUrl,
          MessageBody: '{"order":17}',
          MessageSystemAttributes: { AWSTraceHeader: { DataType: "String", StringValue: poison.producer.header } },
        }),
      );
      await evaluate();
      const told = receivedFor(`default/us-east-1/dead-letters-arrived/${pair.dlqArn}`);
      expect(told).toHaveLength(1);
      const query = new URLSearchParams({ header: poison.producer.header, dlq: pair.dlq, message: MessageId! });
      expect(told[0]!.payload).toMatchObject({
        status: "firing",
        summary: `${pair.dlq} holds 2 dead letters (2 new, newest ${MessageId}: TypeError: order 17 has no amount)`,
        details: {
          arrived: 2,
          newestMessageId: MessageId,
          firstError: "TypeError: order 17 has no amount",
          traceLink: `http://127.0.0.1:3000/e/default/us-east-1/traces/${poison.producerId}?${query}`,
        },
      });
      // The peek left both letters where they were, visible.
      expect(await idsIn(ctx, pair.dlqUrl)).toHaveLength(2);
    },
  );

  it(
    "does not peek a DLQ while an operator's lease holds letters of it: the alert then only counts",
    { timeout: 60_000 },
    async () => {
      const ctx = testContext();
      const pair = await deadLetterPair(ctx.aws.clients.sqs, "alerts-leased");
      const { evaluate } = evaluator(ctx);
      await evaluate();
      await sendLetters(ctx.aws.clients.sqs, pair.dlqUrl, 2);
      const lease = await openLease(contextAs("otto", "operator"), pair.dlq, { max: 1, confirmSourceRead: false });
      expect(lease.messages).toHaveLength(1);
      await evaluate();
      const told = receivedFor(`default/us-east-1/dead-letters-arrived/${pair.dlqArn}`);
      expect(told.map((r) => [r.payload.summary, r.payload.details])).toEqual([
        [`${pair.dlq} holds 2 dead letters (2 new)`, { arrived: 2 }],
      ]);
    },
  );

  it(
    "tells arrivals from the last readings in the store, as a new leader does from the old one's last evaluation",
    { timeout: 60_000 },
    async () => {
      const ctx = testContext();
      const sqs = ctx.aws.clients.sqs;
      const pair = await deadLetterPair(sqs, "alerts-leader");
      const db = await getStore();
      const scope = scopeOfContext(ctx);
      const { evaluate } = evaluator(ctx);
      await sendLetters(sqs, pair.dlqUrl, 1);
      await evaluate();
      // No memory of the process: what the next evaluation knows of this one is in the store.
      expect((await listDlqDepthReadings(db, scope)).get(pair.dlqArn)).toEqual({ depth: 1, at: expect.any(Number) });
      const told = () => receivedFor(`default/us-east-1/dead-letters-arrived/${pair.dlqArn}`);
      expect(told().map((r) => r.payload.details)).toEqual([undefined]);

      await sendLetters(sqs, pair.dlqUrl, 3);
      await evaluate();
      expect(told()[1]!.payload.details).toMatchObject({ arrived: 3 });

      // Another replica's last evaluation read 2 letters, a minute ago: the next one, here, tells 2 new.
      const readings = await listDlqDepthReadings(db, scope);
      readings.set(pair.dlqArn, { depth: 2, at: Date.now() - 60_000 });
      await saveDlqDepthReadings(db, scope, readings);
      await evaluate();
      expect(told()[2]!.payload.details).toMatchObject({ arrived: 2 });
      expect((await listDlqDepthReadings(db, scope)).get(pair.dlqArn)).toMatchObject({ depth: 4 });
    },
  );

  it(
    "raises an alarm's alert while it is in ALARM, naming its reason and the DLQ, and resolves it when it leaves ALARM",
    { timeout: 60_000 },
    async () => {
      const ctx = testContext();
      const pair = await deadLetterPair(ctx.aws.clients.sqs, "alerts-alarm");
      const cloudwatch = ctx.aws.clients.cloudwatch;
      await putNotEmptyAlarm(cloudwatch, pair.dlq);
      const name = `${pair.dlq}-not-empty`;
      const setState = (StateValue: "ALARM" | "OK", StateReason: string) =>
        cloudwatch.send(new SetAlarmStateCommand({ AlarmName: name, StateValue, StateReason }));
      // Off by default: turned on here for this alarm alone, as other tests' alarms share the account.
      const { evaluate } = evaluator(ctx, [
        { rule: "alarm-state-changed", resources: [`arn:aws:cloudwatch:*:*:alarm:${name}`], enabled: true },
      ]);
      const told = () =>
        hook.received
          .map((r) => JSON.parse(r.body) as WebhookPayload)
          .filter((p) => p.resource.endsWith(`:alarm:${name}`));

      await evaluate();
      expect(told()).toEqual([]);
      await setState("ALARM", "Threshold Crossed: 1 datapoint [2.0] was greater than the threshold (0.0).");
      await evaluate();
      expect(told()).toEqual([
        expect.objectContaining({
          status: "firing",
          rule: "alarm-state-changed",
          summary: `The alarm ${name} on ${pair.dlq} is in ALARM: Threshold Crossed: 1 datapoint [2.0] was greater than the threshold (0.0).`,
          link: `http://127.0.0.1:3000/e/default/us-east-1/dashboards/resource?kind=queue&name=${pair.dlq}`,
        }),
      ]);
      await setState("OK", "Threshold Crossed: back to 0.");
      await evaluate();
      expect(told().map((p) => [p.status, p.summary])).toEqual([
        ["firing", expect.any(String)],
        ["resolved", `The alarm ${name} on ${pair.dlq} is in OK`],
      ]);
    },
  );

  it(
    "raises the expiry alert when the oldest letter is deleted by SQS within the rule's time",
    { timeout: 60_000 },
    async () => {
      const ctx = testContext();
      const pair = await deadLetterPair(ctx.aws.clients.sqs, "alerts-expiring", {
        dlqAttributes: { MessageRetentionPeriod: "7200" },
      });
      await sendLetters(ctx.aws.clients.sqs, pair.dlqUrl, 1);
      // CloudWatch's age of the oldest letter, as AWS would publish it: an hour of its two left.
      await ctx.aws.clients.cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: "AWS/SQS",
          MetricData: [
            {
              MetricName: "ApproximateAgeOfOldestMessage",
              Dimensions: [{ Name: "QueueName", Value: pair.dlq }],
              Value: 3600,
              Unit: "Seconds",
              Timestamp: new Date(Date.now() - 60_000),
            },
          ],
        }),
      );
      forgetSharedResults();
      const round = await evaluateAlerts(ctx, { now: Date.now(), baseUrl: "http://127.0.0.1:3000", destinations: [] });
      expect(round.unavailable).toEqual([]);
      const states = await listAlertStates(await getStore(), scopeOfContext(ctx), { status: "firing" });
      expect(states.filter((s) => s.resource === pair.dlqArn).map((s) => [s.rule, s.summary])).toEqual(
        expect.arrayContaining([
          ["dead-letters-arrived", `${pair.dlq} holds 1 dead letter`],
          ["dead-letters-expiring", `${pair.dlq}'s oldest dead letter is deleted by SQS in 1 h`],
        ]),
      );
    },
  );
});
