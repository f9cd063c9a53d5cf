import { describe, expect, it } from "vitest";
import type { AlertState } from "./alert-state";
import { alertLinkOf, alertsViewOf, RECENT_ALERTS_MS, type DeliveryRecord } from "./alerts-view";
import type { Silence } from "./silences";

const MINUTE = 60_000;
const NOW = 10 * RECENT_ALERTS_MS;
const where = { environment: "production", region: "eu-west-1" };
const payments = "arn:aws:sqs:eu-west-1:111111111111:payments-dlq";
const orders = "arn:aws:sqs:eu-west-1:111111111111:orders-dlq";

const state = (resource: string, fields: Partial<AlertState> = {}): AlertState => ({
  ...where,
  rule: "dead-letters-arrived",
  resource,
  status: "firing",
  since: NOW - 30 * MINUTE,
  summary: `${resource} holds dead letters`,
  link: "/dead-letters?queue=x",
  evaluatedAt: NOW - MINUTE,
  version: 1,
  ...fields,
});

const silence = (fields: Partial<Silence>): Silence => ({
  id: "s1",
  ...where,
  reason: "replaying after the fix",
  createdBy: "otto",
  createdAt: NOW - 10 * MINUTE,
  expiresAt: NOW + 50 * MINUTE,
  ...fields,
});

const delivery = (resource: string, fields: Partial<DeliveryRecord>): DeliveryRecord => ({
  dedupKey: `production/eu-west-1/dead-letters-arrived/${resource}`,
  destination: "hook",
  createdAt: NOW - 20 * MINUTE,
  attempts: 1,
  nextAttemptAt: NOW + MINUTE,
  ...fields,
});

describe("the alerts page's answer", () => {
  it("lists firing alerts newest first, with their id, rule, resource, since, summary and link", () => {
    const view = alertsViewOf([state(payments), state(orders, { since: NOW - 5 * MINUTE })], [], [], NOW);
    expect(view.firing).toEqual([
      {
        id: `production/eu-west-1/dead-letters-arrived/${orders}`,
        rule: "dead-letters-arrived",
        resource: orders,
        since: NOW - 5 * MINUTE,
        summary: `${orders} holds dead letters`,
        link: "/dead-letters?queue=x",
      },
      expect.objectContaining({ resource: payments }),
    ]);
    expect(view.recent).toEqual([]);
  });

  it("keeps resolved alerts for a day, the latest resolved first", () => {
    const view = alertsViewOf(
      [
        state(payments, { status: "resolved", resolvedAt: NOW - RECENT_ALERTS_MS - 1 }),
        state(orders, { status: "resolved", resolvedAt: NOW - MINUTE }),
        state("arn:aws:sqs:eu-west-1:111111111111:a", { status: "resolved", resolvedAt: NOW - 2 * MINUTE }),
      ],
      [],
      [],
      NOW,
    );
    expect(view.firing).toEqual([]);
    expect(view.recent.map((a) => [a.resource, a.resolvedAt])).toEqual([
      [orders, NOW - MINUTE],
      ["arn:aws:sqs:eu-west-1:111111111111:a", NOW - 2 * MINUTE],
    ]);
  });

  it("lists the silences that hold, and says which one holds a firing alert until when", () => {
    const holding = silence({ id: "holding", resource: "arn:aws:sqs:*:*:payments-*" });
    const ended = silence({ id: "ended", rule: "dead-letters-arrived", endedAt: NOW - MINUTE, endedBy: "otto" });
    const view = alertsViewOf([state(payments), state(orders)], [holding, ended], [], NOW);
    expect(view.silences.map((s) => s.id)).toEqual(["holding"]);
    expect(view.firing.find((a) => a.resource === payments)!.silencedBy).toEqual({
      id: "holding",
      until: holding.expiresAt,
    });
    expect(view.firing.find((a) => a.resource === orders)!.silencedBy).toBeUndefined();
  });

  it("shows a notification failing to arrive until a later one to that destination arrives", () => {
    const failing = [
      delivery(payments, { lastError: "HTTP 500 from the receiver", attempts: 3 }),
      delivery(payments, { destination: "slack", lastError: "timed out", givenUpAt: NOW - MINUTE }),
      delivery(orders, { lastError: "HTTP 500 from the receiver" }),
      delivery(orders, { createdAt: NOW - 2 * MINUTE, deliveredAt: NOW - MINUTE }),
    ];
    const view = alertsViewOf([state(payments), state(orders)], [], failing, NOW);
    expect(view.firing.find((a) => a.resource === payments)!.deliveryFailures).toEqual([
      { destination: "hook", attempts: 3, error: "HTTP 500 from the receiver", nextAttemptAt: NOW + MINUTE },
      { destination: "slack", attempts: 1, error: "timed out", givenUpAt: NOW - MINUTE },
    ]);
    expect(view.firing.find((a) => a.resource === orders)!.deliveryFailures).toBeUndefined();
  });
});

describe("an alert's link on the page", () => {
  it.each([
    ["/dead-letters?queue=orders-dlq", { kind: "console", href: "/dead-letters?queue=orders-dlq" }],
    ["/e/staging/eu-west-1/traces/1-abc", { kind: "scoped", href: "/e/staging/eu-west-1/traces/1-abc" }],
    ["http://127.0.0.1:3000/dead-letters", { kind: "absolute", href: "http://127.0.0.1:3000/dead-letters" }],
    ["javascript:alert(1)", undefined],
    ["//elsewhere.example/x", undefined],
    ["dead-letters", undefined],
  ])("%s", (link, expected) => {
    expect(alertLinkOf(link)).toEqual(expected);
  });
});
