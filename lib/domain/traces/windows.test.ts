import { describe, expect, it } from "vitest";
import { DEFAULT_TRACE_WINDOW, isTraceWindow, TRACE_WINDOW_NAMES, TRACE_WINDOWS } from "./windows";

describe("trace windows", () => {
  it("are offered shortest first, the default among them", () => {
    expect(TRACE_WINDOW_NAMES).toEqual(["5m", "15m", "1h", "6h"]);
    const lengths = TRACE_WINDOW_NAMES.map((w) => TRACE_WINDOWS[w]);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
    expect(TRACE_WINDOW_NAMES).toContain(DEFAULT_TRACE_WINDOW);
  });

  it("recognises only their own names", () => {
    expect(isTraceWindow("1h")).toBe(true);
    expect(isTraceWindow("2h")).toBe(false);
    expect(isTraceWindow("toString")).toBe(false);
  });
});
