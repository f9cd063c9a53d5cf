import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PagerDutyEvent } from "./domain/alerts/pagerduty-event";
import type { SlackMessage } from "./domain/alerts/slack-message";
import { loadConfig } from "./env";
import { forgetSharedResults } from "./shared-result";
import { getStore, listAlertStates } from "./store";
import { startAlertReceiver, type AlertReceiver } from "../test/alert-receiver";
import { testContext } from "../test/context";
import { deadLetterPair, sendLetters } from "../test/queues";
import { configuredDestinations, destinationOf, destinationPolicyOf, ruleOverridesOf } from "./alerts-config";
import { deliverDueAlerts } from "./operations/alert-delivery";
import { evaluateAlerts } from "./operations/alert-evaluation";
import { scopeOfContext } from "./operations/context";

/**
 * An environment's own alert destinations and rule overrides, from the environments file, against
 * moto and a real HTTP receiver on this machine: its Slack webhook gets the message, its PagerDuty
 * destination the event with the routing key, and a rule switched off for some queues stays quiet.
 */

let receiver: AlertReceiver;

beforeAll(async () => {
  receiver = await startAlertReceiver();
});

afterAll(() => receiver.close());

const ROUTING_KEY = "routing-key-of-the-alerting-service";

describe("an environment's destinations and rule overrides", () => {
  it("send the Slack message and the PagerDuty event, and keep a muted DLQ quiet", { timeout: 60_000 }, async () => {
    const sqs = testContext().aws.clients.sqs;
    const heard = await deadLetterPair(sqs, "alerts-heard");
    const muted = await deadLetterPair(sqs, "alerts-muted");
    const environments = JSON.stringify([
      {
        id: "alerting",
        name: "Alerting",
        accountId: "123456789012",
        regions: ["us-east-1"],
        credentials: { source: "default" },
        endpoint: process.env.AWS_ENDPOINT_URL,
        alerts: {
          destinations: [
            { name: "team", kind: "slack", url: `${receiver.url}/slack` },
            { name: "on-call", kind: "pagerduty", routingKey: ROUTING_KEY, url: `${receiver.url}/pagerduty` },
          ],
          rules: [{ rule: "dead-letters-arrived", resources: [`arn:aws:sqs:*:*:${muted.dlq}`], enabled: false }],
        },
      },
    ]);
    const env = { FANOUT_ENVIRONMENTS: environments };
    const config = loadConfig({
      AWS_ENDPOINT_URL: process.env.AWS_ENDPOINT_URL,
      FANOUT_DATA_DIR: process.env.FANOUT_DATA_DIR,
      ...env,
    });
    const ctx = testContext({ env, scope: { environment: "alerting", region: "us-east-1" } });
    const [environment] = config.environments;

    await sendLetters(sqs, heard.dlqUrl, 2);
    await sendLetters(sqs, muted.dlqUrl, 2);
    forgetSharedResults();
    const now = Date.now();
    await evaluateAlerts(ctx, {
      now,
      baseUrl: "http://127.0.0.1:3000",
      destinations: configuredDestinations(config, environment),
      overrides: ruleOverridesOf(environment),
    });
    const store = await getStore();
    const deliver = () =>
      deliverDueAlerts(store, {
        owner: "destinations-test",
        destinationOf: (id) => destinationOf(config, id),
        policy: destinationPolicyOf(config),
        now: () => now,
      });
    while ((await deliver()).delivered > 0);

    const slack = receiver.received
      .filter((r) => r.path === "/slack")
      .map((r) => (JSON.parse(r.body) as SlackMessage).text)
      .filter((text) => text.includes("dead-letters-arrived"));
    expect(slack.filter((text) => text.includes(heard.dlqArn))).toEqual([
      expect.stringContaining(`${heard.dlq} holds 2 dead letters`),
    ]);
    expect(slack.filter((text) => text.includes(muted.dlqArn))).toEqual([]);

    const events = receiver.received
      .filter((r) => r.path === "/pagerduty")
      .map((r) => JSON.parse(r.body) as PagerDutyEvent & { routing_key: string });
    expect(events.every((event) => event.routing_key === ROUTING_KEY)).toBe(true);
    const arrived = (arn: string) =>
      events.filter((e) => e.dedup_key === `alerting/us-east-1/dead-letters-arrived/${arn}`);
    expect(arrived(heard.dlqArn)).toEqual([
      expect.objectContaining({ event_action: "trigger", routing_key: ROUTING_KEY }),
    ]);
    expect(arrived(muted.dlqArn)).toEqual([]);

    const states = await listAlertStates(store, scopeOfContext(ctx), { status: "firing" });
    expect(states.filter((s) => s.rule === "dead-letters-arrived").map((s) => s.resource)).toEqual(
      expect.arrayContaining([heard.dlqArn]),
    );
    expect(states.some((s) => s.rule === "dead-letters-arrived" && s.resource === muted.dlqArn)).toBe(false);
  });
});
