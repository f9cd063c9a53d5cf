import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RecordFailure } from "../tracing/trace-segments";
import { ExpectedFailureTally, startFailureLog } from "./failure-log";

const failure = (messageId: string, message: string): RecordFailure => ({
  messageId,
  at: 0,
  error: { type: "Error", message },
});

describe("ExpectedFailureTally", () => {
  it("counts distinct messages and attempts per function over the time since the last drain", () => {
    const tally = new ExpectedFailureTally(1_000);
    tally.add("fanout-demo-payment", "m-1");
    tally.add("fanout-demo-payment", "m-1");
    tally.add("fanout-demo-payment", "m-2");
    tally.add("fanout-demo-inventory", "m-9");
    expect(tally.drain(31_000)).toEqual([
      {
        functionName: "fanout-demo-payment",
        line: "2 poison messages failed as expected (3 attempts in the last 30 s)",
      },
      {
        functionName: "fanout-demo-inventory",
        line: "1 poison message failed as expected (1 attempt in the last 30 s)",
      },
    ]);
  });

  it("starts over after a drain and says nothing for a quiet window", () => {
    const tally = new ExpectedFailureTally(0);
    tally.add("f", "m-1");
    tally.drain(30_000);
    expect(tally.drain(60_000)).toEqual([]);
    tally.add("f", "m-2");
    expect(tally.drain(150_000)).toEqual([
      { functionName: "f", line: "1 poison message failed as expected (1 attempt in the last 1 min)" },
    ]);
  });
});

describe("startFailureLog", () => {
  beforeEach(() => void vi.useFakeTimers({ now: 0 }));
  afterEach(() => void vi.useRealTimers());

  function started() {
    const lines: string[] = [];
    const failureLog = startFailureLog({
      log: (component, line) => lines.push(`[${component}] ${line}`),
      intervalMs: 30_000,
      isExpected: (f) => f.error.message.startsWith("poison message: "),
    });
    return { lines, failureLog };
  }

  it("logs an unexpected failure at once and expected ones as one line per function per interval", () => {
    const { lines, failureLog } = started();
    failureLog.report("payment", failure("m-1", "poison message: e-1"));
    failureLog.report("payment", failure("m-2", "poison message: e-2"));
    failureLog.report("payment", failure("m-3", "invalid order event: amount: too small"));
    expect(lines).toEqual(["[fn payment] message m-3 failed: Error: invalid order event: amount: too small"]);

    vi.advanceTimersByTime(30_000);
    expect(lines.slice(1)).toEqual(["[fn payment] 2 poison messages failed as expected (2 attempts in the last 30 s)"]);
    vi.advanceTimersByTime(30_000);
    expect(lines).toHaveLength(2);
    failureLog.stop();
  });

  it("reports what was counted when it stops, and nothing after", () => {
    const { lines, failureLog } = started();
    vi.advanceTimersByTime(30_000);
    failureLog.report("inventory", failure("m-1", "poison message: e-1"));
    vi.advanceTimersByTime(12_000);
    failureLog.stop();
    expect(lines).toEqual(["[fn inventory] 1 poison message failed as expected (1 attempt in the last 12 s)"]);
    failureLog.report("inventory", failure("m-2", "poison message: e-2"));
    vi.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(1);
  });
});
