import { afterEach, describe, expect, it, vi } from "vitest";
import { sharedResult } from "./shared-result";

afterEach(() => vi.useRealTimers());

describe("sharedResult", () => {
  it("shares one computation among concurrent callers and keeps it for the TTL, counted from when it started", async () => {
    vi.useFakeTimers({ now: 0, toFake: ["Date"] });
    let calls = 0;
    let release: (v: number) => void = () => {};
    const shared = sharedResult(`t1-${Math.random()}`, 1000, () => {
      calls++;
      return new Promise<number>((r) => (release = r));
    });
    const a = shared.get("k");
    const b = shared.get("k");
    vi.setSystemTime(400); // the computation took 400 ms
    release(42);
    expect(await Promise.all([a, b])).toEqual([42, 42]);
    expect(calls).toBe(1);
    vi.setSystemTime(999);
    expect(await shared.get("k")).toBe(42);
    expect(calls).toBe(1);
    vi.setSystemTime(1000); // 1000 ms after it started, not after it ended
    const c = shared.get("k");
    release(43);
    expect(await c).toBe(43);
    expect(calls).toBe(2);
  });

  it("with staleForMs, answers a value past its TTL at once while one new computation runs behind it", async () => {
    vi.useFakeTimers({ now: 0, toFake: ["Date"] });
    let calls = 0;
    let release: (v: number) => void = () => {};
    let fail: (e: Error) => void = () => {};
    const shared = sharedResult(`t5-${Math.random()}`, 1000, () => {
      calls++;
      return new Promise<number>((resolve, reject) => {
        release = resolve;
        fail = reject;
      });
    });
    const first = shared.get("k", undefined, { staleForMs: 5000 });
    release(1);
    expect(await first).toBe(1); // nothing kept yet: it waits
    vi.setSystemTime(1500);
    expect(await shared.get("k", undefined, { staleForMs: 5000 })).toBe(1);
    expect(await shared.get("k", undefined, { staleForMs: 5000 })).toBe(1);
    expect(calls).toBe(2); // one computation behind both
    const waiting = shared.get("k"); // without staleForMs: the new one
    release(2);
    expect(await waiting).toBe(2);
    expect(await shared.get("k", undefined, { staleForMs: 5000 })).toBe(2);
    // A failure behind a stale answer reaches nobody who had their answer, and the stale value stays.
    vi.setSystemTime(3000);
    expect(await shared.get("k", undefined, { staleForMs: 5000 })).toBe(2);
    fail(new Error("AWS said no"));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls).toBe(3);
    // Older than staleForMs: it waits for a new one. `fresh` always does.
    vi.setSystemTime(7000);
    const late = shared.get("k", undefined, { staleForMs: 5000 });
    release(4);
    expect(await late).toBe(4);
    expect(calls).toBe(4);
    const forced = shared.get("k", undefined, { fresh: true, staleForMs: 5000 });
    release(5);
    expect(await forced).toBe(5);
  });

  it("keeps neither a failure nor a value the keep test refuses, and separates keys", async () => {
    let n = 0;
    const shared = sharedResult(
      `t2-${Math.random()}`,
      60_000,
      async (key) => {
        n++;
        if (key === "bad" && n === 1) throw new Error("AWS said no");
        return `${key}:${n}`;
      },
      (v) => !v.startsWith("partial"),
    );
    await expect(shared.get("bad")).rejects.toThrow("AWS said no");
    expect(await shared.get("bad")).toBe("bad:2");
    expect(await shared.get("bad")).toBe("bad:2");
    expect(await shared.get("partial")).toBe("partial:3");
    expect(await shared.get("partial")).toBe("partial:4");
    shared.invalidate();
    expect(await shared.get("bad")).toBe("bad:5");
  });

  it("peeks at a fresh kept value without computing, and at nothing once it is stale or under way", async () => {
    vi.useFakeTimers({ now: 0, toFake: ["Date"] });
    let calls = 0;
    const shared = sharedResult(`t3-${Math.random()}`, 1000, async (key) => `${key}:${++calls}`);
    expect(shared.peek("k")).toBeUndefined();
    const pending = shared.get("k");
    expect(shared.peek("k")).toBeUndefined();
    await pending;
    expect(shared.peek("k")).toBe("k:1");
    vi.setSystemTime(1000);
    expect(shared.peek("k")).toBeUndefined();
    expect(calls).toBe(1);
  });

  it("after an invalidation, a computation started before it is neither kept nor shared: the next caller reads anew", async () => {
    let calls = 0;
    const gates: Array<() => void> = [];
    const shared = sharedResult(`t4-${Math.random()}`, 60_000, async (key) => {
      const call = ++calls;
      await new Promise<void>((resolve) => gates.push(resolve));
      return `${key}:${call}`;
    });
    const before = shared.get("k");
    shared.invalidate("k");
    const after = shared.get("k");
    expect(calls).toBe(2);
    gates.forEach((open) => open());
    expect(await before).toBe("k:1");
    expect(await after).toBe("k:2");
    expect(shared.peek("k")).toBe("k:2");
  });
});
