import { describe, expect, it } from "vitest";
import type { TemporaryCredentials } from "./clients";
import { REFRESH_BEFORE_EXPIRY_MS, refreshingCredentials } from "./credentials";

const HOUR = 3_600_000;

/** A fetcher that hands out numbered credentials valid for an hour from the clock's now. */
function rotatingFetcher(clock: { now: number }) {
  // `gate` holds an answer back until the test opens it.
  const state = { calls: 0, fail: false, gate: Promise.resolve() };
  const fetch = async (): Promise<TemporaryCredentials> => {
    state.calls += 1;
    const call = state.calls;
    await state.gate;
    if (state.fail) throw new Error("AssumeRole failed");
    return { accessKeyId: `key-${call}`, secretAccessKey: "s", expiration: new Date(clock.now + HOUR) };
  };
  return { state, fetch };
}

describe("refreshingCredentials", () => {
  it("keeps the credentials until 5 minutes before they expire, then fetches new ones", async () => {
    const clock = { now: 1_000_000 };
    const { state, fetch } = rotatingFetcher(clock);
    const provider = refreshingCredentials(fetch, () => clock.now);

    expect((await provider()).accessKeyId).toBe("key-1");
    clock.now += HOUR - REFRESH_BEFORE_EXPIRY_MS - 1;
    expect((await provider()).accessKeyId).toBe("key-1");
    expect(state.calls).toBe(1);

    clock.now += 1;
    expect((await provider()).accessKeyId).toBe("key-2");
    expect(state.calls).toBe(2);
  });

  it("has one refresh in flight whoever asks", async () => {
    const clock = { now: 0 };
    const { state, fetch } = rotatingFetcher(clock);
    let open!: () => void;
    state.gate = new Promise((resolve) => (open = resolve));
    const provider = refreshingCredentials(fetch, () => clock.now);

    const asked = [provider(), provider(), provider()];
    await Promise.resolve();
    expect(state.calls).toBe(1);
    open();
    const answers = await Promise.all(asked);
    expect(answers.map((c) => c.accessKeyId)).toEqual(["key-1", "key-1", "key-1"]);
  });

  it("falls back to the current credentials while they last when a refresh fails, and not after", async () => {
    const clock = { now: 0 };
    const { state, fetch } = rotatingFetcher(clock);
    const provider = refreshingCredentials(fetch, () => clock.now);
    await provider();

    state.fail = true;
    clock.now = HOUR - 60_000;
    expect((await provider()).accessKeyId).toBe("key-1");
    expect(state.calls).toBe(2);

    clock.now = HOUR;
    await expect(provider()).rejects.toThrow("AssumeRole failed");
    expect(state.calls).toBe(3);

    state.fail = false;
    expect((await provider()).accessKeyId).toBe("key-4");
  });

  it("asks again after a first fetch fails", async () => {
    const clock = { now: 0 };
    const { state, fetch } = rotatingFetcher(clock);
    const provider = refreshingCredentials(fetch, () => clock.now);
    state.fail = true;
    await expect(provider()).rejects.toThrow("AssumeRole failed");
    state.fail = false;
    expect((await provider()).accessKeyId).toBe("key-2");
  });
});
