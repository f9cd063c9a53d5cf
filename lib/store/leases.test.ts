import { describe, expect, it } from "vitest";
import { openStore } from "./db";
import { acquireLease, leaseHolder, releaseLease } from "./leases";
import { STORE_BACKENDS, temporaryLocation, temporaryStore } from "../../test/store-fixtures";

describe.each(STORE_BACKENDS)("named leases (%s)", (backend) => {
  it("gives a lease to one holder until it expires, then to the next with a higher token", async () => {
    const db = await temporaryStore(backend, "fanout-leases-");
    expect(await acquireLease(db, "leader", "a", 20_000, 1_000)).toEqual({ token: 1, expiresAt: 21_000 });
    expect(await acquireLease(db, "leader", "b", 20_000, 2_000)).toBeUndefined();
    // The holder renews without a new token; another name is another lease.
    expect(await acquireLease(db, "leader", "a", 20_000, 10_000)).toEqual({ token: 1, expiresAt: 30_000 });
    expect(await acquireLease(db, "other", "b", 20_000, 10_000)).toEqual({ token: 1, expiresAt: 30_000 });
    expect(await leaseHolder(db, "leader", 29_999)).toBe("a");
    expect(await acquireLease(db, "leader", "b", 20_000, 29_999)).toBeUndefined();
    expect(await acquireLease(db, "leader", "b", 20_000, 30_000)).toEqual({ token: 2, expiresAt: 50_000 });
    expect(await leaseHolder(db, "leader", 30_001)).toBe("b");
    // Given back, it is free at once; a non-holder gives nothing back.
    await releaseLease(db, "leader", "a");
    expect(await leaseHolder(db, "leader", 30_001)).toBe("b");
    await releaseLease(db, "leader", "b");
    expect(await leaseHolder(db, "leader", 30_001)).toBeUndefined();
    expect(await acquireLease(db, "leader", "a", 20_000, 30_001)).toMatchObject({ token: 1 });
    await db.destroy();
  });
});

describe("named leases across replicas", () => {
  it("goes to exactly one of several replicas asking at once", async () => {
    const location = await temporaryLocation("postgresql", "fanout-leases-");
    const replicas = await Promise.all(Array.from({ length: 5 }, () => openStore(location)));
    const held = await Promise.all(replicas.map((db, i) => acquireLease(db, "leader", `replica-${i}`, 20_000, 1_000)));
    expect(held.filter(Boolean)).toHaveLength(1);
    await Promise.all(replicas.map((db) => db.destroy()));
  });
});
