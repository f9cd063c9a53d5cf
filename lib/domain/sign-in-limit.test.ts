import { describe, expect, it } from "vitest";
import { SignInLimiter } from "./sign-in-limit";

const limits = { perUser: 3, perAddress: 5, windowMs: 60_000 };

describe("SignInLimiter", () => {
  it("refuses a user after the limit of failures, until the oldest leaves the window", () => {
    const l = new SignInLimiter(limits);
    for (const t of [0, 10_000, 20_000]) l.recordFailure("ada", "10.0.0.1", t);
    expect(l.check("ada", "10.0.0.2", 30_000)).toEqual({ allowed: false, by: "user", retryAfterMs: 30_000 });
    expect(l.check("ADA ", "10.0.0.3", 59_999)).toMatchObject({ allowed: false, by: "user" });
    expect(l.check("ada", "10.0.0.2", 60_001)).toEqual({ allowed: true });
    expect(l.check("grace", "10.0.0.9", 30_000)).toEqual({ allowed: true });
  });

  it("refuses an address trying many users", () => {
    const l = new SignInLimiter(limits);
    for (let i = 0; i < 5; i++) l.recordFailure(`user${i}`, "10.0.0.1", i);
    expect(l.check("someone-new", "10.0.0.1", 10)).toEqual({ allowed: false, by: "address", retryAfterMs: 60_000 - 10 });
    expect(l.check("someone-new", "10.0.0.2", 10)).toEqual({ allowed: true });
  });

  it("clears a user's failures on success, but not the address's", () => {
    const l = new SignInLimiter(limits);
    for (let i = 0; i < 3; i++) l.recordFailure("ada", "10.0.0.1", i);
    l.recordSuccess("ada");
    expect(l.check("ada", "10.0.0.1", 5)).toEqual({ allowed: true });
    l.recordFailure("ada", "10.0.0.1", 6);
    l.recordFailure("bob", "10.0.0.1", 7);
    expect(l.check("carol", "10.0.0.1", 8)).toMatchObject({ allowed: false, by: "address" });
  });

  it("does not count attempts from an unknown address together", () => {
    const l = new SignInLimiter(limits);
    for (let i = 0; i < 10; i++) l.recordFailure(`user${i}`, undefined, i);
    expect(l.check("someone-new", undefined, 20)).toEqual({ allowed: true });
  });

  it("forgets the oldest keys beyond its bound instead of growing without limit", () => {
    const l = new SignInLimiter({ perUser: 1, perAddress: 1_000_000, windowMs: 60_000 });
    l.recordFailure("first", "a", 0);
    for (let i = 0; i < 10_001; i++) l.recordFailure(`u${i}`, `b${i}`, 1);
    expect(l.check("first", "c", 2)).toEqual({ allowed: true });
    expect(l.check("u10000", "c", 2)).toMatchObject({ allowed: false });
  });
});
