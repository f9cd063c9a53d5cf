import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { advanceAlert, type AlertEvaluation } from "../domain/alerts/alert-state";
import type { DestinationPolicy } from "../domain/alerts/destination-url";
import { bodyFor, type AlertDestination } from "../domain/alerts/destinations";
import { MAX_RETRY_DELAY_MS } from "../domain/alerts/delivery-retry";
import { SIGNATURE_HEADER, verifySignature } from "../domain/alerts/signature";
import { openStore, type Store } from "../store/db";
import { listDeliveries, saveAlertState } from "../store";
import { startAlertReceiver, type AlertReceiver } from "../../test/alert-receiver";
import { DEFAULT_SCOPE as here, temporaryLocation, temporaryStore } from "../../test/store-fixtures";
import { deliverDueAlerts, type DeliveryOptions } from "./alert-delivery";

/**
 * Alert notifications delivered from the outbox to a real HTTP receiver on this machine: signed,
 * retried with backoff after a failure, never sent twice at once by two deliverers.
 */

let hook: AlertReceiver;

beforeAll(async () => {
  hook = await startAlertReceiver();
});

afterAll(() => hook.close());

beforeEach(() => {
  hook.received = [];
  hook.answers = [];
});

const SECRET = "alerts-webhook-secret";
const local: DestinationPolicy = { localMode: true, allowedHosts: [] };
const webhook = (path = "/hook"): AlertDestination => ({
  id: "hook",
  kind: "webhook",
  url: `${hook.url}${path}`,
  secret: SECRET,
});

const evaluation = (resource: string): AlertEvaluation => ({
  ...here,
  rule: "dead-letters-arrived",
  resource,
  firing: true,
  summary: `${resource} holds dead letters`,
  link: "http://127.0.0.1:3000/dlq",
  news: { count: 3, newestId: "m-3" },
});

/** A new alert fires at `now`: its state stored, its notification in the outbox for the webhook. */
async function fire(db: Store, resource: string, now: number): Promise<string> {
  const step = advanceAlert(undefined, evaluation(resource), { now, renotifyEveryMs: 3_600_000, silenced: false });
  const payload = bodyFor("webhook", step.notification!, now);
  expect(await saveAlertState(db, step.state!, [{ destination: "hook", payload }], now)).toBe(true);
  return payload;
}

const options = (clock: { now: number }, extra: Partial<DeliveryOptions> = {}): DeliveryOptions => ({
  owner: "replica-a",
  destinationOf: (id) => (id === "hook" ? webhook() : undefined),
  policy: local,
  timeoutMs: 2_000,
  now: () => clock.now,
  ...extra,
});

describe("delivering alert notifications", () => {
  it("POSTs the stored body, signed so that the receiver verifies it", async () => {
    const db = await temporaryStore("sqlite", "fanout-delivery-");
    const clock = { now: Date.now() };
    const payload = await fire(db, "arn:aws:sqs:us-east-1:1:orders-dlq", clock.now);
    expect(await deliverDueAlerts(db, options(clock))).toEqual({
      delivered: 1,
      retrying: 0,
      givenUp: 0,
      lostClaims: 0,
    });
    expect(hook.received).toHaveLength(1);
    const [request] = hook.received;
    expect(request!.path).toBe("/hook");
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.body).toBe(payload);
    expect(JSON.parse(request!.body)).toMatchObject({
      status: "firing",
      rule: "dead-letters-arrived",
      dedupKey: "default/us-east-1/dead-letters-arrived/arn:aws:sqs:us-east-1:1:orders-dlq",
    });
    const signature = request!.headers[SIGNATURE_HEADER.toLowerCase()] as string;
    expect(verifySignature(signature, request!.body, SECRET, clock.now / 1000)).toBe(true);
    expect(verifySignature(signature, request!.body, "another secret", clock.now / 1000)).toBe(false);
    expect(await listDeliveries(db, here)).toMatchObject([{ attempts: 1, deliveredAt: clock.now }]);
    // Delivered once: the next round sends nothing.
    expect(await deliverDueAlerts(db, options(clock))).toMatchObject({ delivered: 0 });
    expect(hook.received).toHaveLength(1);
    await db.destroy();
  });

  it("tries again after a 500, keeping the error meanwhile, and delivers", async () => {
    const db = await temporaryStore("sqlite", "fanout-delivery-");
    const clock = { now: Date.now() };
    await fire(db, "arn:aws:sqs:us-east-1:1:orders-dlq", clock.now);
    hook.answers = [{ status: 500, body: "the receiver fell over" }];
    expect(await deliverDueAlerts(db, options(clock))).toMatchObject({ delivered: 0, retrying: 1 });
    const [failed] = await listDeliveries(db, here);
    expect(failed).toMatchObject({ attempts: 1, lastError: "HTTP 500: the receiver fell over" });
    expect(failed!.deliveredAt).toBeUndefined();
    const wait = failed!.nextAttemptAt - clock.now;
    expect(wait).toBeGreaterThanOrEqual(5_000);
    expect(wait).toBeLessThanOrEqual(10_000);

    clock.now += wait - 1;
    expect(await deliverDueAlerts(db, options(clock))).toMatchObject({ delivered: 0, retrying: 0 });
    expect(hook.received).toHaveLength(1);
    clock.now += 1;
    expect(await deliverDueAlerts(db, options(clock))).toMatchObject({ delivered: 1 });
    expect(hook.received).toHaveLength(2);
    // The same body, each try signed at its own time.
    expect(hook.received[1]!.body).toBe(hook.received[0]!.body);
    const second = hook.received[1]!.headers[SIGNATURE_HEADER.toLowerCase()] as string;
    expect(second).toMatch(new RegExp(`^t=${Math.floor(clock.now / 1000)},`));
    expect(verifySignature(second, hook.received[1]!.body, SECRET, clock.now / 1000)).toBe(true);
    expect(await listDeliveries(db, here)).toMatchObject([{ attempts: 2, deliveredAt: clock.now }]);
    await db.destroy();
  });

  it("backs off exponentially while a destination keeps failing, never more than 5 minutes between tries", async () => {
    const db = await temporaryStore("sqlite", "fanout-delivery-");
    const clock = { now: Date.now() };
    await fire(db, "arn:aws:sqs:us-east-1:1:orders-dlq", clock.now);
    const gaps: number[] = [];
    for (let attempt = 1; attempt <= 12; attempt++) {
      hook.answers = [{ status: 503, headers: { "retry-after": "3600" } }];
      expect(await deliverDueAlerts(db, options(clock))).toMatchObject({ retrying: 1 });
      const [row] = await listDeliveries(db, here);
      gaps.push(row!.nextAttemptAt - clock.now);
      clock.now = row!.nextAttemptAt;
    }
    expect(hook.received).toHaveLength(12);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(MAX_RETRY_DELAY_MS);
    // The receiver asked for an hour: it gets the cap, not the hour.
    expect(gaps.every((gap) => gap === MAX_RETRY_DELAY_MS)).toBe(true);
    await db.destroy();
  });

  it("doubles the wait after each failure up to the cap when the destination names no time", async () => {
    const db = await temporaryStore("sqlite", "fanout-delivery-");
    const clock = { now: Date.now() };
    await fire(db, "arn:aws:sqs:us-east-1:1:orders-dlq", clock.now);
    const gaps: number[] = [];
    for (let attempt = 1; attempt <= 10; attempt++) {
      hook.answers = [{ status: 502 }];
      await deliverDueAlerts(db, options(clock));
      const [row] = await listDeliveries(db, here);
      gaps.push(row!.nextAttemptAt - clock.now);
      clock.now = row!.nextAttemptAt;
    }
    // Each wait is drawn from the upper half of its step: 10 s, 20 s, 40 s, … 5 min.
    gaps.forEach((gap, i) => {
      const step = Math.min(MAX_RETRY_DELAY_MS, 10_000 * 2 ** i);
      expect(gap).toBeGreaterThanOrEqual(step / 2);
      expect(gap).toBeLessThanOrEqual(step);
    });
    expect(gaps.at(-1)).toBeGreaterThan(MAX_RETRY_DELAY_MS / 2);
    await db.destroy();
  });

  it("tries again when the destination does not answer in time", async () => {
    const db = await temporaryStore("sqlite", "fanout-delivery-");
    const clock = { now: Date.now() };
    await fire(db, "arn:aws:sqs:us-east-1:1:orders-dlq", clock.now);
    hook.answers = [{ status: 200, delayMs: 1_500 }];
    expect(await deliverDueAlerts(db, options(clock, { timeoutMs: 300 }))).toMatchObject({ retrying: 1 });
    expect(await listDeliveries(db, here)).toMatchObject([{ lastError: "no answer within 300 ms" }]);
    await db.destroy();
  });

  it("gives up on an answer that refuses for good, and follows no redirect", async () => {
    const db = await temporaryStore("sqlite", "fanout-delivery-");
    const clock = { now: Date.now() };
    await fire(db, "arn:aws:sqs:us-east-1:1:a-dlq", clock.now);
    await fire(db, "arn:aws:sqs:us-east-1:1:b-dlq", clock.now);
    hook.answers = [
      { status: 404, body: "no_service" },
      { status: 302, headers: { location: `${hook.url}/elsewhere` } },
    ];
    expect(await deliverDueAlerts(db, options(clock))).toMatchObject({ givenUp: 2 });
    expect(hook.received.map((r) => r.path)).toEqual(["/hook", "/hook"]);
    const errors = (await listDeliveries(db, here)).map((d) => [d.lastError, d.givenUpAt]);
    expect(errors).toEqual(
      expect.arrayContaining([
        ["HTTP 404: no_service", clock.now],
        ["HTTP 302", clock.now],
      ]),
    );
    clock.now += 3_600_000;
    expect(await deliverDueAlerts(db, options(clock))).toMatchObject({ delivered: 0, retrying: 0, givenUp: 0 });
    expect(hook.received).toHaveLength(2);
    await db.destroy();
  });

  it("sends nothing to a destination off the allow-list, keeping why, and sends once it is allowed", async () => {
    const db = await temporaryStore("sqlite", "fanout-delivery-");
    const clock = { now: Date.now() };
    await fire(db, "arn:aws:sqs:us-east-1:1:orders-dlq", clock.now);
    const teamMode: DestinationPolicy = { localMode: false, allowedHosts: ["alerts.example.com"] };
    expect(await deliverDueAlerts(db, options(clock, { policy: teamMode }))).toMatchObject({ retrying: 1 });
    expect(hook.received).toEqual([]);
    const [refused] = await listDeliveries(db, here);
    expect(refused!.lastError).toBe("destination hook: its URL is on this machine, which only local mode allows");
    clock.now = refused!.nextAttemptAt;
    expect(await deliverDueAlerts(db, options(clock, { destinationOf: () => undefined }))).toMatchObject({
      retrying: 1,
    });
    expect((await listDeliveries(db, here))[0]!.lastError).toBe("destination hook is not configured");
    clock.now = (await listDeliveries(db, here))[0]!.nextAttemptAt;
    expect(await deliverDueAlerts(db, options(clock))).toMatchObject({ delivered: 1 });
    expect(hook.received).toHaveLength(1);
    await db.destroy();
  });
});

describe("two deliverers on one store", () => {
  it("send each notification once, racing round after round", { timeout: 60_000 }, async () => {
    const location = await temporaryLocation("postgresql", "fanout-delivery-");
    const [a, b] = [await openStore(location), await openStore(location)];
    const clock = { now: Date.now() };
    const payloads = new Set<string>();
    for (let i = 0; i < 20; i++) payloads.add(await fire(a!, `arn:aws:sqs:us-east-1:1:dlq-${i}`, clock.now));
    // Slow answers, so that each deliverer's round is still sending while the other claims.
    hook.answers = Array.from({ length: 20 }, () => ({ status: 200, delayMs: 150 }));
    const rounds = await Promise.all([
      ...[0, 1, 2].map(() => deliverDueAlerts(a!, options(clock, { owner: "replica-a", limit: 7 }))),
      ...[0, 1, 2].map(() => deliverDueAlerts(b!, options(clock, { owner: "replica-b", limit: 7 }))),
    ]);
    for (;;) {
      const more = await Promise.all([
        deliverDueAlerts(a!, options(clock, { owner: "replica-a" })),
        deliverDueAlerts(b!, options(clock, { owner: "replica-b" })),
      ]);
      rounds.push(...more);
      if (more.every((round) => round.delivered === 0)) break;
    }
    expect(hook.received).toHaveLength(20);
    expect(new Set(hook.received.map((r) => r.body))).toEqual(payloads);
    expect(rounds.reduce((n, round) => n + round.delivered, 0)).toBe(20);
    expect(rounds.every((round) => round.lostClaims === 0)).toBe(true);
    await Promise.all([a!.destroy(), b!.destroy()]);
  });

  it("leave a row a deliverer is still sending to it, however long the destination takes", async () => {
    const location = await temporaryLocation("postgresql", "fanout-delivery-");
    const [a, b] = [await openStore(location), await openStore(location)];
    const clock = { now: Date.now() };
    await fire(a!, "arn:aws:sqs:us-east-1:1:orders-dlq", clock.now);
    hook.answers = [{ status: 200, delayMs: 1_000 }];
    const slow = deliverDueAlerts(a!, options(clock, { owner: "replica-a" }));
    await expect.poll(() => hook.received.length).toBe(1);
    // Within the try's timeout, and later but within the claim: b finds nothing to send.
    expect(await deliverDueAlerts(b!, options(clock, { owner: "replica-b" }))).toMatchObject({ delivered: 0 });
    clock.now += 2_000;
    expect(await deliverDueAlerts(b!, options(clock, { owner: "replica-b" }))).toMatchObject({ delivered: 0 });
    expect(await slow).toMatchObject({ delivered: 1 });
    expect(hook.received).toHaveLength(1);
    await Promise.all([a!.destroy(), b!.destroy()]);
  });
});
