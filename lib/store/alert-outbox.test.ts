import { describe, expect, it } from "vitest";
import { openStore, type Store } from "./db";
import { claimDueDeliveries, listDeliveries, pruneDeliveries, settleDelivery } from "./alert-outbox";
import { saveAlertState } from "./alerts";
import type { AlertState } from "../domain/alerts/alert-state";
import { DEFAULT_SCOPE as here, STORE_BACKENDS, temporaryLocation, temporaryStore } from "../../test/store-fixtures";

const claimFor = { limit: 10, claimMs: 40_000 };

const state = (resource: string, version = 0): AlertState => ({
  ...here,
  rule: "dead-letters-arrived",
  resource,
  status: "firing",
  since: 0,
  summary: "s",
  link: "l",
  evaluatedAt: 0,
  version,
});

/** Puts notifications of one alert in the outbox, one per destination, at `now`. */
async function enqueue(db: Store, resource: string, destinations: string[], now: number, version = 0) {
  const deliveries = destinations.map((destination) => ({ destination, payload: `{"to":"${destination}"}` }));
  expect(await saveAlertState(db, state(resource, version), deliveries, now)).toBe(true);
}

describe.each(STORE_BACKENDS)("the alert outbox (%s)", (backend) => {
  it("gives a due row to one claim at a time, until it is settled or the claim runs out", async () => {
    const db = await temporaryStore(backend, "fanout-outbox-");
    await enqueue(db, "arn:q", ["hook"], 1_000);
    expect(await claimDueDeliveries(db, "a", 999, claimFor)).toEqual([]);
    const [row] = await claimDueDeliveries(db, "a", 1_000, claimFor);
    expect(row).toMatchObject({ destination: "hook", payload: '{"to":"hook"}', attempts: 0, claim: { owner: "a" } });
    expect(await claimDueDeliveries(db, "b", 40_999, claimFor)).toEqual([]);
    // a's claim ran out: b takes the row under a higher token, and a can no longer settle it.
    const [taken] = await claimDueDeliveries(db, "b", 41_000, claimFor);
    expect(taken!.claim.token).toBeGreaterThan(row!.claim.token);
    expect(await settleDelivery(db, row!, { kind: "delivered" }, 41_001)).toBe(false);
    expect(await settleDelivery(db, taken!, { kind: "delivered" }, 41_002)).toBe(true);
    expect(await claimDueDeliveries(db, "c", 999_999, claimFor)).toEqual([]);
    expect(await listDeliveries(db, here)).toMatchObject([{ attempts: 1, deliveredAt: 41_002 }]);
    await db.destroy();
  });

  it("keeps a failed try's error and next time; a row given up is tried no more", async () => {
    const db = await temporaryStore(backend, "fanout-outbox-");
    await enqueue(db, "arn:q", ["hook", "slack"], 1_000);
    const [hook, slack] = await claimDueDeliveries(db, "a", 1_000, claimFor);
    await settleDelivery(db, hook!, { kind: "retry", error: "HTTP 500: boom", nextAttemptAt: 11_000 }, 1_100);
    await settleDelivery(db, slack!, { kind: "give-up", error: "HTTP 404: no_service" }, 1_100);
    expect(await listDeliveries(db, here, { undelivered: true })).toMatchObject([
      { destination: "slack", attempts: 1, lastError: "HTTP 404: no_service", givenUpAt: 1_100 },
      { destination: "hook", attempts: 1, lastError: "HTTP 500: boom", nextAttemptAt: 11_000, lastAttemptAt: 1_100 },
    ]);
    // Due again at its next time, claimable at once (the failed try let go of its claim).
    expect(await claimDueDeliveries(db, "b", 10_999, claimFor)).toEqual([]);
    const [again] = await claimDueDeliveries(db, "b", 11_000, claimFor);
    expect(again).toMatchObject({ destination: "hook", attempts: 1, lastError: "HTTP 500: boom" });
    await settleDelivery(db, again!, { kind: "delivered" }, 11_100);
    expect(await listDeliveries(db, here, { undelivered: true })).toMatchObject([{ destination: "slack" }]);
    // Settled rows go when they are old enough; nothing waiting goes with them.
    expect(await pruneDeliveries(db, 11_100)).toBe(1);
    expect(await pruneDeliveries(db, 11_101)).toBe(1);
    expect(await listDeliveries(db, here)).toEqual([]);
    await db.destroy();
  });

  it("never lets a later notification of an alert to a destination overtake an earlier one", async () => {
    const db = await temporaryStore(backend, "fanout-outbox-");
    await enqueue(db, "arn:q", ["hook", "slack"], 1_000);
    await enqueue(db, "arn:q", ["hook"], 2_000, 1);
    await enqueue(db, "arn:other", ["hook"], 2_000);
    const first = await claimDueDeliveries(db, "a", 2_000, claimFor);
    expect(first.map((d) => [d.destination, d.dedupKey.split("/").pop(), d.createdAt])).toEqual([
      ["hook", "arn:q", 1_000],
      ["slack", "arn:q", 1_000],
      ["hook", "arn:other", 2_000],
    ]);
    const hookFirst = first[0]!;
    await settleDelivery(db, hookFirst, { kind: "retry", error: "HTTP 503", nextAttemptAt: 5_000 }, 2_000);
    // The later one waits while the earlier one waits for its next try...
    expect(await claimDueDeliveries(db, "a", 3_000, claimFor)).toEqual([]);
    const [retried] = await claimDueDeliveries(db, "a", 5_000, claimFor);
    expect(retried!.id).toBe(hookFirst.id);
    await settleDelivery(db, retried!, { kind: "delivered" }, 5_000);
    // ... and goes once it is delivered.
    expect(await claimDueDeliveries(db, "a", 5_000, claimFor)).toMatchObject([
      { destination: "hook", createdAt: 2_000 },
    ]);
    await db.destroy();
  });
});

describe("the alert outbox across replicas", () => {
  it("gives each due row to exactly one of several replicas claiming at once", async () => {
    const location = await temporaryLocation("postgresql", "fanout-outbox-");
    const replicas = await Promise.all(Array.from({ length: 4 }, () => openStore(location)));
    for (let i = 0; i < 30; i++) await enqueue(replicas[0]!, `arn:q-${i}`, ["hook", "slack"], 1_000);
    // Round after round, as their ticks would, until nothing is left: every row claimed, none twice.
    const ids: number[] = [];
    let rounds = 0;
    for (;;) {
      const claims = await Promise.all(
        replicas.map((db, i) => claimDueDeliveries(db, `replica-${i}`, 1_000, { limit: 25, claimMs: 40_000 })),
      );
      if (!claims.flat().length) break;
      ids.push(...claims.flat().map((d) => d.id));
      rounds++;
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(60);
    // Passing over what others are claiming, four replicas of 25 share 60 rows in one or two rounds.
    expect(rounds).toBeLessThanOrEqual(2);
    await Promise.all(replicas.map((db) => db.destroy()));
  });
});
