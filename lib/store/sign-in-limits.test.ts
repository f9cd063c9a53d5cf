import { describe, expect, it } from "vitest";
import { openStore, type Store } from "./db";
import { attemptSignIn, signInSucceeded } from "./sign-in-limits";
import { DEFAULT_SIGN_IN_LIMITS, type SignInLimits } from "../domain/sign-in-limit";
import { STORE_BACKENDS, temporaryLocation, temporaryStore } from "../../test/store-fixtures";

const limits = { perUser: 3, perAddress: 5, windowMs: 60_000 };
const allowed = { allowed: true, attempt: expect.anything() };

/** An attempt let through, and so counted as a failure until it succeeds. */
async function failure(db: Store, user: string, address: string | undefined, at: number, within = limits) {
  const verdict = await attemptSignIn(db, user, address, at, within);
  if (!verdict.allowed) throw new Error(`expected ${user}'s attempt at ${at} to be let through`);
  return verdict.attempt;
}

const rowsOf = (db: Store, table: "sign_in_failures" | "sign_in_refusals") =>
  db.selectFrom(table).selectAll().execute();

describe.each(STORE_BACKENDS)("sign-in limits in the store (%s)", (backend) => {
  const fresh = () => temporaryStore(backend, "fanout-sign-in-");
  const attempt = (db: Store, user: string, address: string | undefined, at: number, within: SignInLimits = limits) =>
    attemptSignIn(db, user, address, at, within);

  it("refuses a user after the limit of failures, until the oldest leaves the window", async () => {
    const db = await fresh();
    for (const t of [0, 10_000, 20_000]) await failure(db, "ada", "10.0.0.1", t);
    expect(await attempt(db, "ada", "10.0.0.2", 30_000)).toMatchObject({
      allowed: false,
      by: "user",
      retryAfterMs: 30_000,
    });
    expect(await attempt(db, "ADA ", "10.0.0.3", 59_999)).toMatchObject({ allowed: false, by: "user" });
    expect(await attempt(db, "grace", "10.0.0.9", 59_999)).toEqual(allowed);
    expect(await attempt(db, "ada", "10.0.0.2", 60_001)).toEqual(allowed);
  });

  it("refuses an address trying many users", async () => {
    const db = await fresh();
    for (let i = 0; i < 5; i++) await failure(db, `user${i}`, "10.0.0.1", i);
    expect(await attempt(db, "someone-new", "10.0.0.1", 10)).toMatchObject({
      allowed: false,
      by: "address",
      retryAfterMs: 60_000 - 10,
    });
    expect(await attempt(db, "someone-new", "10.0.0.2", 10)).toEqual(allowed);
  });

  it("counts an attempt when it is let through, so attempts made together cannot all pass", async () => {
    const db = await fresh();
    // 20 attempts arrive before any password check has finished: only the limit's worth get through.
    const verdicts = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(db, "ada", `10.0.0.${i}`, 100)));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(3);
  });

  it("gives a successful attempt's count back: the user's all, the address's this one", async () => {
    const db = await fresh();
    for (let i = 0; i < 2; i++) await failure(db, "ada", "10.0.0.1", i);
    // Another attempt from the address at the same moment: the success takes back its own count only.
    await failure(db, "eve", "10.0.0.1", 5);
    await signInSucceeded(db, await failure(db, "ada", "10.0.0.1", 5));
    for (let i = 0; i < 3; i++) expect(await attempt(db, "ada", "10.0.0.2", 6 + i)).toEqual(allowed);
    // The address keeps its 3 earlier failures (not the successful attempt): 2 more reach its 5.
    await failure(db, "bob", "10.0.0.1", 10);
    expect(await attempt(db, "carol", "10.0.0.1", 12)).toEqual(allowed);
    expect(await attempt(db, "dave", "10.0.0.1", 13)).toMatchObject({ allowed: false, by: "address" });
  });

  it("does not count attempts from an unknown address together", async () => {
    const db = await fresh();
    for (let i = 0; i < 10; i++) await failure(db, `user${i}`, undefined, i);
    expect(await attempt(db, "someone-new", undefined, 20)).toEqual(allowed);
    // One row per attempt, the user's: nothing is counted under an address.
    expect(await rowsOf(db, "sign_in_failures")).toHaveLength(11);
  });

  it("asks for one audit row per key and window, with the refusals counted since the last", async () => {
    const db = await fresh();
    for (let i = 0; i < 3; i++) await failure(db, "ada", undefined, 0);
    expect(await attempt(db, "ada", undefined, 1)).toMatchObject({ allowed: false, audit: { refused: 1, since: 1 } });
    for (let t = 2; t < 50; t++) {
      const verdict = await attempt(db, "ada", undefined, t);
      expect(verdict).toMatchObject({ allowed: false });
      expect(verdict).not.toHaveProperty("audit");
    }
    // Still locked a window later (fresh failures), the next refusal carries the 48 unaudited ones and itself.
    for (let i = 0; i < 3; i++) await failure(db, "ada", undefined, 60_000);
    expect(await attempt(db, "ada", undefined, 60_001)).toMatchObject({
      allowed: false,
      audit: { refused: 49, since: 1 },
    });
    expect(await attempt(db, "ada", undefined, 60_002)).not.toHaveProperty("audit");
    // An address's refusals are tallied apart from its users'.
    for (let i = 0; i < 5; i++) await failure(db, `user${i}`, "10.0.0.1", 60_010);
    const byUser = await attempt(db, "ada", "10.0.0.1", 60_011);
    expect(byUser).toMatchObject({ allowed: false, by: "user" });
    expect(byUser).not.toHaveProperty("audit");
    expect(await attempt(db, "bob", "10.0.0.1", 60_012)).toMatchObject({
      by: "address",
      audit: { refused: 1, since: 60_012 },
    });
  });

  it("keys by a fixed-size digest, not the name itself", async () => {
    const db = await fresh();
    await failure(db, "x".repeat(100_000), "y".repeat(100_000), 0);
    const keys = (await rowsOf(db, "sign_in_failures")).map((f) => f.key);
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(key.length).toBeLessThan(64);
  });

  it("forgets failures that left the window and tallies with nothing left to report", async () => {
    const db = await fresh();
    const oneEach = { perUser: 1, perAddress: 1_000_000, windowMs: 60_000 };
    for (let i = 0; i < 50; i++) await failure(db, `u${i}`, `b${i}`, 0, oneEach);
    // u0 is refused twice (one refusal unreported), u1 once (reported).
    for (const [user, at] of [
      ["u0", 1],
      ["u0", 2],
      ["u1", 2],
    ] as const)
      expect(await attempt(db, user, "c", at, oneEach)).toMatchObject({ allowed: false });
    await failure(db, "late", "c", 60_002, oneEach);
    expect(await rowsOf(db, "sign_in_failures")).toHaveLength(2);
    expect((await rowsOf(db, "sign_in_refusals")).map((r) => r.count)).toEqual([2]);
    // u0's next refusal reports the unreported one; u1's opens a tally of its own.
    await failure(db, "u0", "d", 60_003, oneEach);
    expect(await attempt(db, "u0", "d", 60_004, oneEach)).toMatchObject({ audit: { refused: 2, since: 1 } });
    await failure(db, "u1", "d", 60_003, oneEach);
    expect(await attempt(db, "u1", "d", 60_004, oneEach)).toMatchObject({ audit: { refused: 1, since: 60_004 } });
  });
});

describe("sign-in limits of replicas sharing one PostgreSQL", () => {
  it("lets exactly the limit through when two replicas race for the last attempt", async () => {
    const location = await temporaryLocation("postgresql");
    const replicas = [await openStore(location), await openStore(location)];
    const replica = (i: number) => replicas[i % replicas.length]!;
    const { perUser } = DEFAULT_SIGN_IN_LIMITS;
    // Several users, one after the other, so that the later races run on connections already open.
    for (const user of ["ada", "bob", "cy", "dee"]) {
      await Promise.all(
        Array.from({ length: perUser - 1 }, (_, i) =>
          failure(replica(i), user, `10.0.0.${i}`, i, DEFAULT_SIGN_IN_LIMITS),
        ),
      );
      const verdicts = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          attemptSignIn(replica(i), user, `10.0.1.${i}`, 100, DEFAULT_SIGN_IN_LIMITS),
        ),
      );
      expect(
        verdicts.filter((v) => v.allowed),
        user,
      ).toHaveLength(1);
      // Either replica now refuses the user: both read the same count.
      for (const store of replicas)
        expect(await attemptSignIn(store, user, "10.0.2.1", 200, DEFAULT_SIGN_IN_LIMITS)).toMatchObject({
          allowed: false,
          by: "user",
        });
    }
    await Promise.all(replicas.map((r) => r.destroy()));
  });
});
