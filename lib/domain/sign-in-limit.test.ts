import { describe, expect, it } from "vitest";
import { SignInLimiter } from "./sign-in-limit";

const limits = { perUser: 3, perAddress: 5, windowMs: 60_000 };
const allowed = { allowed: true, attempt: expect.anything() };

describe("SignInLimiter", () => {
  it("refuses a user after the limit of failures, until the oldest leaves the window", () => {
    const l = new SignInLimiter(limits);
    for (const t of [0, 10_000, 20_000]) l.recordFailure("ada", "10.0.0.1", t);
    expect(l.attempt("ada", "10.0.0.2", 30_000)).toMatchObject({ allowed: false, by: "user", retryAfterMs: 30_000 });
    expect(l.attempt("ADA ", "10.0.0.3", 59_999)).toMatchObject({ allowed: false, by: "user" });
    expect(l.attempt("ada", "10.0.0.2", 60_001)).toEqual(allowed);
    expect(l.attempt("grace", "10.0.0.9", 30_000)).toEqual(allowed);
  });

  it("refuses an address trying many users", () => {
    const l = new SignInLimiter(limits);
    for (let i = 0; i < 5; i++) l.recordFailure(`user${i}`, "10.0.0.1", i);
    expect(l.attempt("someone-new", "10.0.0.1", 10)).toMatchObject({
      allowed: false,
      by: "address",
      retryAfterMs: 60_000 - 10,
    });
    expect(l.attempt("someone-new", "10.0.0.2", 10)).toEqual(allowed);
  });

  it("counts an attempt when it is let through, so attempts made together cannot all pass", () => {
    const l = new SignInLimiter(limits);
    // 20 attempts arrive before any password check has finished: only the limit's worth get through.
    const verdicts = Array.from({ length: 20 }, (_, i) => l.attempt("ada", `10.0.0.${i}`, 100));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(3);
  });

  it("gives a successful attempt's count back: the user's all, the address's this one", () => {
    const l = new SignInLimiter(limits);
    for (let i = 0; i < 2; i++) l.recordFailure("ada", "10.0.0.1", i);
    const verdict = l.attempt("ada", "10.0.0.1", 5);
    if (!verdict.allowed) throw new Error("expected the attempt to be let through");
    l.succeeded(verdict.attempt);
    for (let i = 0; i < 3; i++) expect(l.attempt("ada", "10.0.0.2", 6 + i).allowed).toBe(true);
    // The address keeps its 2 earlier failures (not the successful attempt): 3 more reach its 5.
    l.recordFailure("bob", "10.0.0.1", 10);
    l.recordFailure("bob", "10.0.0.1", 11);
    expect(l.attempt("carol", "10.0.0.1", 12)).toMatchObject({ allowed: true });
    expect(l.attempt("dave", "10.0.0.1", 13)).toMatchObject({ allowed: false, by: "address" });
  });

  it("does not count attempts from an unknown address together", () => {
    const l = new SignInLimiter(limits);
    for (let i = 0; i < 10; i++) l.recordFailure(`user${i}`, undefined, i);
    expect(l.attempt("someone-new", undefined, 20)).toEqual(allowed);
  });

  it("asks for one audit row per key and window, with the refusals counted since the last", () => {
    const l = new SignInLimiter(limits);
    for (let i = 0; i < 3; i++) l.recordFailure("ada", undefined, 0);
    expect(l.attempt("ada", undefined, 1)).toMatchObject({ allowed: false, audit: { refused: 1, since: 1 } });
    for (let t = 2; t < 50; t++) expect(l.attempt("ada", undefined, t)).not.toHaveProperty("audit");
    // Still locked a window later (fresh failures), the next refusal carries the 48 unaudited ones and itself.
    for (let i = 0; i < 3; i++) l.recordFailure("ada", undefined, 60_000);
    expect(l.attempt("ada", undefined, 60_001)).toMatchObject({ allowed: false, audit: { refused: 49, since: 1 } });
    expect(l.attempt("ada", undefined, 60_002)).not.toHaveProperty("audit");
  });

  it("keys by a fixed-size digest, not the name itself", () => {
    const l = new SignInLimiter(limits);
    l.recordFailure("x".repeat(100_000), "y".repeat(100_000), 0);
    const keys = [...(l as unknown as { failures: Map<string, number[]> }).failures.keys()];
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(key.length).toBeLessThan(64);
  });

  it("forgets the oldest keys beyond its bound instead of growing without limit", () => {
    const l = new SignInLimiter({ perUser: 1, perAddress: 1_000_000, windowMs: 60_000 });
    l.recordFailure("first", "a", 0);
    for (let i = 0; i < 10_001; i++) l.recordFailure(`u${i}`, `b${i}`, 1);
    expect(l.attempt("first", "c", 2)).toEqual(allowed);
    expect(l.attempt("u10000", "c", 2)).toMatchObject({ allowed: false });
  });
});
