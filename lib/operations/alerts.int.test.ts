import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { AlertState } from "../domain/alerts/alert-state";
import type { BindingSpec } from "../domain/bindings";
import { loadConfig } from "../env";
import { actorIn, contextFromConfig } from "../request-context";
import { getStore, listAudit, saveAlertState } from "../store";
import { contextAs, userWith } from "../../test/context";
import { alertsView, createSilence, endSilence, firingAlertCount } from "./alerts";
import type { OperationContext } from "./context";

/**
 * The alerts page's operations against the store: alert states written as the evaluator writes
 * them, read back within each caller's bindings; silences made, listed, ended and audited.
 */

const id = randomUUID().slice(0, 8);
const arn = (name: string) => `arn:aws:sqs:us-east-1:123456789012:al-${id}-${name}`;
const payments = arn("payments-dlq");
const orders = arn("orders-dlq");
const MINUTE = 60_000;

const config = loadConfig({
  AWS_ENDPOINT_URL: process.env.AWS_ENDPOINT_URL,
  AWS_REGION: "us-east-1",
  FANOUT_DATA_DIR: process.env.FANOUT_DATA_DIR,
});

/** A context acting for a user with these bindings, as the route wrapper builds one. */
function contextWith(bindings: BindingSpec[]): OperationContext {
  const user = userWith(config, { name: `u-${randomUUID().slice(0, 6)}`, bindings });
  return contextFromConfig(config, actorIn(user, config.environments[0]!)!, randomUUID());
}

const firing = (resource: string, fields: Partial<AlertState> = {}): AlertState => ({
  environment: "default",
  region: "us-east-1",
  rule: "dead-letters-arrived",
  resource,
  status: "firing",
  since: Date.now() - 5 * MINUTE,
  summary: `${resource} holds 3 dead letters`,
  link: `/dead-letters?queue=${resource}`,
  evaluatedAt: Date.now(),
  version: 0,
  ...fields,
});

const mine = <T extends { resource?: string }>(items: readonly T[]) =>
  items.filter((item) => item.resource?.includes(`al-${id}-`));

describe("alerts through the operations", () => {
  it("lists firing and recently resolved alerts, each caller within their bindings", async () => {
    const store = await getStore();
    expect(await saveAlertState(store, firing(payments))).toBe(true);
    expect(await saveAlertState(store, firing(orders))).toBe(true);
    const resolved = arn("refunds-dlq");
    expect(await saveAlertState(store, firing(resolved, { status: "resolved", resolvedAt: Date.now() - MINUTE }))).toBe(
      true,
    );

    const everyone = await alertsView(contextAs("vera", "viewer"));
    expect(
      mine(everyone.firing)
        .map((a) => a.resource)
        .sort(),
    ).toEqual([orders, payments]);
    expect(mine(everyone.firing).find((a) => a.resource === payments)).toMatchObject({
      id: `default/us-east-1/dead-letters-arrived/${payments}`,
      rule: "dead-letters-arrived",
      summary: `${payments} holds 3 dead letters`,
      link: `/dead-letters?queue=${payments}`,
    });
    expect(mine(everyone.recent).map((a) => a.resource)).toEqual([resolved]);

    const paymentsTeam = contextWith([
      { role: "viewer", environments: ["*"], resources: [`arn:aws:sqs:*:*:al-${id}-pay*`] },
    ]);
    const theirs = await alertsView(paymentsTeam);
    expect(mine(theirs.firing).map((a) => a.resource)).toEqual([payments]);
    expect(mine(theirs.recent)).toEqual([]);
    // The overview's and the header's count is the same list's: this file's one alert, not the other team's.
    expect(await firingAlertCount(paymentsTeam)).toBe(1);
  });

  it("shows a notification that failed to arrive on its alert, until it is delivered", async () => {
    const store = await getStore();
    const failing = arn("failing-dlq");
    const now = Date.now();
    expect(await saveAlertState(store, firing(failing), [{ destination: `hook-${id}`, payload: "{}" }], now)).toBe(
      true,
    );
    // A failed try as the deliverer settles one, written to this row alone: claiming here would take
    // other tests' due rows in the shared store.
    await store
      .updateTable("alert_outbox")
      .set({
        attempts: 1,
        last_attempt_at: now,
        last_error: "HTTP 500 from the receiver",
        next_attempt_at: now + MINUTE,
      })
      .where("destination", "=", `hook-${id}`)
      .execute();
    const shown = mine((await alertsView(contextAs("vera", "viewer"))).firing).find((a) => a.resource === failing);
    expect(shown?.deliveryFailures).toEqual([
      { destination: `hook-${id}`, attempts: 1, error: "HTTP 500 from the receiver", nextAttemptAt: now + MINUTE },
    ]);
  });

  it("makes a silence, lists it, ends it, and audits both; a retry with the same key makes no second one", async () => {
    const otto = contextAs("otto", "operator");
    const request = {
      rule: "dead-letters-arrived" as const,
      resource: `arn:aws:sqs:*:*:al-${id}-orders-*`,
      minutes: 60,
      reason: "replaying after the fix",
      clientKey: `key-${id}`,
    };
    const silence = await createSilence(otto, request);
    expect(silence).toMatchObject({
      rule: "dead-letters-arrived",
      reason: "replaying after the fix",
      createdBy: "otto",
    });
    expect(silence.expiresAt - silence.createdAt).toBe(60 * MINUTE);
    expect(await createSilence(contextAs("otto", "operator"), request)).toEqual(silence);
    await expect(createSilence(otto, { ...request, minutes: 30 })).rejects.toMatchObject({ code: "conflict" });

    const listed = await alertsView(contextAs("vera", "viewer"));
    expect(listed.silences.filter((s) => s.id === silence.id)).toHaveLength(1);
    const held = mine(listed.firing).find((a) => a.resource === orders);
    expect(held?.silencedBy).toEqual({ id: silence.id, until: silence.expiresAt });

    const ending = contextAs("olga", "operator");
    expect(await endSilence(ending, silence.id)).toMatchObject({ ended: true, silence: { endedBy: "olga" } });
    expect(await endSilence(contextAs("olga", "operator"), silence.id)).toMatchObject({ ended: false });
    const after = await alertsView(contextAs("vera", "viewer"));
    expect(after.silences.map((s) => s.id)).not.toContain(silence.id);
    expect(mine(after.firing).find((a) => a.resource === orders)?.silencedBy).toBeUndefined();

    const trail = (await listAudit(await getStore(), { limit: 10_000 })).filter(
      (e) => e.target === `alert-silence:${silence.id}`,
    );
    expect(trail.map((e) => [e.action, e.actor, e.outcome])).toEqual([
      ["alert-silence.end", "olga", "success"],
      ["alert-silence.create", "otto", "success"],
    ]);
    expect(trail[0]!.after).toMatchObject({ endedBy: "olga" });
  });

  it("refuses a viewer, and an operator of some resources a silence beyond them", async () => {
    const request = { rule: "dead-letters-arrived" as const, minutes: 10, reason: "noisy" };
    await expect(createSilence(contextAs("vera", "viewer"), request)).rejects.toMatchObject({ code: "forbidden" });
    const silence = await createSilence(contextAs("otto", "operator"), { ...request, resource: payments });
    await expect(endSilence(contextAs("vera", "viewer"), silence.id)).rejects.toMatchObject({ code: "forbidden" });

    const paymentsTeam = contextWith([
      { role: "operator", environments: ["*"], resources: [`arn:aws:sqs:*:*:al-${id}-pay*`] },
    ]);
    await expect(createSilence(paymentsTeam, request)).rejects.toMatchObject({ code: "forbidden" });
    await expect(createSilence(paymentsTeam, { ...request, resource: orders })).rejects.toMatchObject({
      code: "forbidden",
    });
    const own = await createSilence(paymentsTeam, { ...request, resource: payments });
    expect(await endSilence(paymentsTeam, own.id)).toMatchObject({ ended: true });
    await expect(endSilence(paymentsTeam, "00000000-0000-0000-0000-000000000000")).rejects.toMatchObject({
      code: "not_found",
    });
  });
});
