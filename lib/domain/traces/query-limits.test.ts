import { describe, expect, it } from "vitest";
import { traceId, T0 } from "../../../test/fixtures/traces";
import {
  MAX_RETRIEVAL_IDS,
  MAX_SUMMARY_WINDOW_MS,
  retrievalBatches,
  summaryWindows,
  transactionSearchNote,
  usesTransactionSearch,
} from "./query-limits";

const HOUR = 3_600_000;

describe("summaryWindows: GetTraceSummaries asked for 6 hours at most", () => {
  it("keeps a range of 6 hours or less whole", () => {
    expect(summaryWindows({ from: 0, to: 6 * HOUR })).toEqual([{ from: 0, to: 6 * HOUR }]);
    expect(summaryWindows({ from: 5, to: 5 })).toEqual([{ from: 5, to: 5 }]);
  });

  it("cuts 30 days into 120 consecutive windows, newest first, covering the range exactly", () => {
    const range = { from: 1_000, to: 1_000 + 30 * 24 * HOUR };
    const windows = summaryWindows(range);
    expect(windows).toHaveLength(120);
    expect(windows[0]).toEqual({ from: range.to - 6 * HOUR, to: range.to });
    expect(windows.at(-1)).toEqual({ from: range.from, to: range.from + 6 * HOUR });
    for (const [i, w] of windows.entries()) {
      expect(w.to - w.from).toBeLessThanOrEqual(MAX_SUMMARY_WINDOW_MS);
      if (i > 0) expect(w.to).toBe(windows[i - 1]!.from);
    }
  });

  it("leaves the remainder in the oldest window, or the newest when asked oldest first", () => {
    const range = { from: 0, to: 13 * HOUR };
    expect(summaryWindows(range)).toEqual([
      { from: 7 * HOUR, to: 13 * HOUR },
      { from: HOUR, to: 7 * HOUR },
      { from: 0, to: HOUR },
    ]);
    expect(summaryWindows(range, "oldest")).toEqual([
      { from: 0, to: 6 * HOUR },
      { from: 6 * HOUR, to: 12 * HOUR },
      { from: 12 * HOUR, to: 13 * HOUR },
    ]);
  });
});

describe("retrievalBatches: StartTraceRetrieval takes 100 ids and an hour of starts at most", () => {
  const now = (T0 + 10 * 86_400) * 1000;

  it("groups ids by start time, 100 at most, each with the range their spans lie in", () => {
    const ids = Array.from({ length: 250 }, (_, n) => traceId(n + 1, T0 + n));
    const batches = retrievalBatches([...ids].reverse(), now);
    expect(batches.map((b) => b.ids.length)).toEqual([100, 100, 50]);
    expect(batches[0]!.ids[0]).toBe(ids[0]);
    expect(batches[0]!.window).toEqual({ from: T0 * 1000 - 5_000, to: (T0 + 99) * 1000 + 20 * 60_000 });
    expect(batches.every((b) => b.ids.length <= MAX_RETRIEVAL_IDS)).toBe(true);
  });

  it("starts a new batch past an hour of start times, ends no window after now, and skips what is not a trace id", () => {
    const early = traceId(1, T0);
    const late = traceId(2, T0 + 3_601);
    const batches = retrievalBatches([late, "not-a-trace", early, early], (T0 + 3_700) * 1000);
    expect(batches.map((b) => b.ids)).toEqual([[early], [late]]);
    expect(batches[1]!.window.to).toBe((T0 + 3_700) * 1000);
  });
});

describe("Transaction Search", () => {
  it("is on only when the segment destination is CloudWatchLogs and active", () => {
    expect(usesTransactionSearch({ destination: "CloudWatchLogs", status: "ACTIVE" })).toBe(true);
    expect(usesTransactionSearch({ destination: "CloudWatchLogs", status: "PENDING" })).toBe(false);
    expect(usesTransactionSearch({ destination: "XRay", status: "ACTIVE" })).toBe(false);
    expect(usesTransactionSearch({})).toBe(false);
  });

  it("says what the indexed sample means for each view", () => {
    expect(transactionSearchNote("list")).toMatch(/1 % by default.*indexed sample, not every trace/);
    expect(transactionSearchNote("map")).toMatch(/request counts are a fraction/);
    expect(transactionSearchNote("story")).toMatch(/an invocation missing here may still have run/);
    expect(transactionSearchNote("trace")).toMatch(/StartTraceRetrieval/);
  });
});
