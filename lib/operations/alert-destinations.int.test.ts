import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { destinationOf, destinationsOfEnvironment } from "../alerts-config";
import { AppError } from "../domain/app-error";
import { loadConfig } from "../env";
import { forgetSharedResults } from "../shared-result";
import { getAlertDestination, getStore, listAudit } from "../store";
import { startAlertReceiver, type AlertReceiver } from "../../test/alert-receiver";
import { contextAs, testContext } from "../../test/context";
import { deadLetterPair, sendLetters } from "../../test/queues";
import { addDestination, listDestinations, removeDestination, revealWebhookSecret } from "./alert-destinations";
import { deliverDueAlerts } from "./alert-delivery";
import { evaluateAlerts } from "./alert-evaluation";

/**
 * Destinations an admin adds on the alerts page: kept with their secrets sealed, listed without
 * them, sent to by the evaluator and the deliverer like configured ones, and removed, all audited.
 */

let receiver: AlertReceiver;

beforeAll(async () => {
  receiver = await startAlertReceiver();
});

afterAll(() => receiver.close());

const ROUTING_KEY = "routing-key-added-on-the-page";

describe("alert destinations added on the alerts page", () => {
  it("are sealed, listed without secrets, sent to, and removed, each change audited", { timeout: 60_000 }, async () => {
    const ctx = testContext();
    const { destination } = await addDestination(ctx, {
      name: "page-on-call",
      kind: "pagerduty",
      routingKey: ROUTING_KEY,
      url: `${receiver.url}/pagerduty`,
    });
    expect(destination).toMatchObject({
      name: "page-on-call",
      kind: "pagerduty",
      source: "console",
      createdBy: "tester",
    });
    expect(destination.where).toBe(receiver.url);
    const id = destination.id.replace(/^db:/, "");
    const stored = await getAlertDestination(await getStore(), id);
    expect(stored?.sealed).not.toContain(ROUTING_KEY);
    expect(JSON.stringify(await listDestinations(ctx))).not.toContain(ROUTING_KEY);
    expect((await listDestinations(ctx)).destinations.map((d) => d.id)).toContain(destination.id);

    // Each destination's name once in an environment.
    await expect(
      addDestination(ctx, { name: "page-on-call", kind: "slack", url: `${receiver.url}/slack` }),
    ).rejects.toMatchObject({ code: "conflict" });
    // The allow-list, before anything is written.
    await expect(
      addDestination(ctx, { name: "elsewhere", kind: "slack", url: "https://hooks.example.net/x" }),
    ).rejects.toMatchObject({
      code: "validation",
      issues: [{ path: "url", message: expect.stringContaining("allow-list") }],
    });
    await expect(listDestinations(contextAs("otto", "operator"))).rejects.toBeInstanceOf(AppError);

    const config = loadConfig({
      AWS_ENDPOINT_URL: process.env.AWS_ENDPOINT_URL,
      FANOUT_DATA_DIR: process.env.FANOUT_DATA_DIR,
    });
    const destinations = await destinationsOfEnvironment(config, config.environments[0]!);
    expect(destinations).toContainEqual({ id: destination.id, kind: "pagerduty" });
    expect(await destinationOf(config, destination.id)).toMatchObject({ kind: "pagerduty", routingKey: ROUTING_KEY });

    const pair = await deadLetterPair(ctx.aws.clients.sqs, "alerts-added");
    await sendLetters(ctx.aws.clients.sqs, pair.dlqUrl, 1);
    forgetSharedResults();
    const now = Date.now();
    await evaluateAlerts(ctx, { now, baseUrl: "http://127.0.0.1:3000", destinations });
    const store = await getStore();
    const deliver = () =>
      deliverDueAlerts(store, {
        owner: "added-destinations-test",
        destinationOf: (outboxId) => destinationOf(config, outboxId),
        policy: { localMode: true, allowedHosts: [] },
        now: () => now,
      });
    while ((await deliver()).delivered > 0);
    const events = receiver.received.map((r) => JSON.parse(r.body) as { routing_key: string; dedup_key: string });
    expect(events.filter((e) => e.dedup_key === `default/us-east-1/dead-letters-arrived/${pair.dlqArn}`)).toEqual([
      expect.objectContaining({ routing_key: ROUTING_KEY, event_action: "trigger" }),
    ]);

    expect(await removeDestination(ctx, id)).toMatchObject({ removed: { id: destination.id } });
    await expect(removeDestination(ctx, id)).rejects.toMatchObject({ code: "not_found" });
    expect(await destinationOf(config, destination.id)).toBeUndefined();
    expect((await listDestinations(ctx)).destinations.map((d) => d.id)).not.toContain(destination.id);

    const secret = await revealWebhookSecret(ctx);
    expect(secret).toMatchObject({
      secret: expect.stringMatching(/^.{32,}$/),
      generated: true,
      header: "X-Fanout-Signature",
    });
    const audit = await listAudit(store, { target: `alert-destination:${id}` });
    expect(audit.map((e) => [e.action, e.actor])).toEqual(
      expect.arrayContaining([
        ["alert-destination.create", "tester"],
        ["alert-destination.remove", "tester"],
      ]),
    );
    expect(JSON.stringify(audit)).not.toContain(ROUTING_KEY);
  });
});
