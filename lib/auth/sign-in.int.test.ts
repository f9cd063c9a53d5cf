import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../env";
import { getStore, listAudit } from "../store";
import { signInWithPassword, TOO_MANY_ATTEMPTS } from "./sign-in";

/**
 * Password sign-in against the per-user limit (5 failures per 15 min), the audit trail and the
 * input rules. Each test uses its own user names, since the counts are kept in the file's store.
 */

const hash = bcrypt.hashSync("correct horse", 4);
const configWith = (...names: string[]) =>
  loadConfig({
    ...process.env,
    FANOUT_USERS: JSON.stringify(names.map((username) => ({ username, passwordHash: hash, role: "operator" }))),
  });

const signInRows = async (actor: string) =>
  listAudit(await getStore(), { action: "auth.sign-in", actor, limit: 10_000 });

describe("signInWithPassword", () => {
  it("lets at most the limit of wrong passwords sent together be checked", async () => {
    const config = configWith("racer");
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => signInWithPassword("racer", "wrong", undefined, config)),
    );
    const checked = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected" && (r.reason as Error).message === TOO_MANY_ATTEMPTS);
    expect(checked).toHaveLength(5);
    expect(refused).toHaveLength(15);
    expect((await signInRows("racer")).filter((e) => e.detail === "wrong username or password")).toHaveLength(5);
  });

  it("audits the refusals of a locked name once per window, with their number", async () => {
    const config = configWith("locked");
    let now = Date.parse("2026-12-02T10:00:00Z");
    const clock = () => now;
    for (let i = 0; i < 5; i++)
      expect(await signInWithPassword("locked", "wrong", undefined, config, clock)).toBeUndefined();
    for (let i = 0; i < 30; i++) {
      now += 1000;
      await expect(signInWithPassword("locked", "wrong", undefined, config, clock)).rejects.toThrow(TOO_MANY_ATTEMPTS);
    }
    const refusals = async () => (await signInRows("locked")).filter((e) => e.detail?.startsWith("refused"));
    const firstWindow = await refusals();
    expect(firstWindow).toHaveLength(1);
    expect(firstWindow[0]!.after).toMatchObject({ refused: 1 });

    // A window later, locked again by new failures: one more row, counting the 29 unaudited refusals and itself.
    now += 15 * 60_000;
    for (let i = 0; i < 5; i++)
      expect(await signInWithPassword("locked", "wrong", undefined, config, clock)).toBeUndefined();
    await expect(signInWithPassword("locked", "wrong", undefined, config, clock)).rejects.toThrow(TOO_MANY_ATTEMPTS);
    const secondWindow = await refusals();
    expect(secondWindow).toHaveLength(2);
    expect(secondWindow[0]!.after).toMatchObject({ refused: 30 });
  });

  it("a success gives its attempt back: four failures and a success leave the user five more", async () => {
    const config = configWith("forgetful");
    for (let i = 0; i < 4; i++) await signInWithPassword("forgetful", "wrong", undefined, config);
    expect(await signInWithPassword("forgetful", "correct horse", undefined, config)).toMatchObject({
      username: "forgetful",
    });
    for (let i = 0; i < 5; i++)
      expect(await signInWithPassword("forgetful", "wrong", undefined, config)).toBeUndefined();
    await expect(signInWithPassword("forgetful", "wrong", undefined, config)).rejects.toThrow(TOO_MANY_ATTEMPTS);
  });

  it("refuses a name no user can have or an oversized password before the limiter, keeping nothing", async () => {
    const config = configWith("ana");
    const counted = async () =>
      (await (await getStore()).selectFrom("sign_in_failures").select("key").execute()).length;
    const countedBefore = await counted();
    const longName = "n".repeat(100_000);
    for (let i = 0; i < 10; i++) expect(await signInWithPassword(longName, "x", "203.0.113.9", config)).toBeUndefined();
    expect(await signInWithPassword("has space", "x", "203.0.113.9", config)).toBeUndefined();
    expect(await signInWithPassword("ana", "p".repeat(2000), "203.0.113.9", config)).toBeUndefined();
    expect(await counted()).toBe(countedBefore);
    expect((await listAudit(await getStore(), { limit: 10_000 })).some((e) => e.actor.startsWith("nnnn"))).toBe(false);
    // The real user is not locked by any of it.
    expect(await signInWithPassword("ana", "correct horse", "203.0.113.9", config)).toMatchObject({ username: "ana" });
  });
});
