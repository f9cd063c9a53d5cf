import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import type { AlertDestination } from "../domain/alerts/destinations";
import { SIGNATURE_HEADER, verifySignature } from "../domain/alerts/signature";
import type { WebhookPayload } from "../domain/alerts/webhook-payload";
import { forgetSharedResults } from "../shared-result";
import { getStore, listAlertStates } from "../store";
import { startAlertReceiver, type AlertReceiver } from "../../test/alert-receiver";
import { contextAs, testContext } from "../../test/context";
import { deadLetterPair, sendLetters } from "../../test/queues";
import { deliverDueAlerts } from "./alert-delivery";
import { evaluateAlerts } from "./alert-evaluation";
import { scopeOfContext } from "./context";
import { getJob, startReplay } from "./redrive";

/**
 * Alerts evaluated against moto and delivered to a real HTTP receiver on this machine: dead letters
 * landing in a DLQ raise one signed notification, more letters update it, and a replay by the
 * console that empties the DLQ resolves it without raising anything of its own.
 */

let hook: AlertReceiver;

beforeAll(async () => {
  hook = await startAlertReceiver();
});

afterAll(() => hook.close());

const SECRET = "alerts-evaluation-secret";
const webhook = (): AlertDestination => ({ id: "hook", kind: "webhook", url: `${hook.url}/hook`, secret: SECRET });

describe("evaluating dead-letter alerts against moto", () => {
  it(
    "raises one signed alert as letters land, updates it with new ones, and resolves it after a replay empties the DLQ",
    { timeout: 150_000 },
    async () => {
      const ctx = testContext();
      const sqs = ctx.aws.clients.sqs;
      const pair = await deadLetterPair(sqs, "alerts");
      const clock = { now: Date.now() };
      // Each evaluation reads the account afresh, as a minute later the shared answers have expired.
      const evaluate = async () => {
        forgetSharedResults();
        clock.now += 60_000;
        const round = await evaluateAlerts(ctx, {
          now: clock.now,
          baseUrl: "http://127.0.0.1:3000",
          destinations: [{ id: "hook", kind: "webhook" }],
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
      const dedupKey = `default/us-east-1/dead-letters-arrived/${pair.dlqArn}`;
      const mine = () =>
        hook.received
          .filter((r) => (JSON.parse(r.body) as WebhookPayload).dedupKey === dedupKey)
          .map((r) => ({ ...r, payload: JSON.parse(r.body) as WebhookPayload }));

      // Empty: nothing to tell, and the evaluation knows the DLQ held nothing.
      await evaluate();
      expect(mine()).toEqual([]);

      await sendLetters(sqs, pair.dlqUrl, 3);
      await evaluate();
      expect(mine()).toHaveLength(1);
      const [first] = mine();
      expect(first!.payload).toMatchObject({
        status: "firing",
        rule: "dead-letters-arrived",
        environment: "default",
        region: "us-east-1",
        resource: pair.dlqArn,
        summary: `${pair.dlq} holds 3 dead letters (3 new)`,
        link: `http://127.0.0.1:3000/e/default/us-east-1/dead-letters/${pair.dlq}`,
      });
      const signature = first!.headers[SIGNATURE_HEADER.toLowerCase()] as string;
      expect(verifySignature(signature, first!.body, SECRET, clock.now / 1000)).toBe(true);

      // Nothing new: nothing told.
      await evaluate();
      expect(mine()).toHaveLength(1);

      await sendLetters(sqs, pair.dlqUrl, 2);
      await evaluate();
      expect(mine().map((r) => r.payload.status)).toEqual(["firing", "firing"]);
      expect(mine()[1]!.payload.summary).toBe(`${pair.dlq} holds 5 dead letters (2 new since the last notification)`);
      expect(mine()[1]!.payload.since).toBe(first!.payload.since);

      const replay = await startReplay(contextAs("otto", "operator"), pair.dlq, { all: true });
      await expect
        .poll(async () => (await getJob(ctx, replay.id)).status, { timeout: 90_000, interval: 300 })
        .toBe("completed");
      await evaluate();
      const told = mine();
      expect(told.map((r) => r.payload.status)).toEqual(["firing", "firing", "resolved"]);
      expect(told[2]!.payload.summary).toBe(`${pair.dlq} holds 0 dead letters`);
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
