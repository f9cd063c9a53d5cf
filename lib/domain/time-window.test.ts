import { describe, expect, it } from "vitest";
import { chosenWindowSeconds, DEFAULT_WINDOW, slaWindowFor, traceWindowFor, windowFitNote } from "./time-window";

describe("the shared time window", () => {
  it("opens every page on 1 h, which both APIs take as it is", () => {
    expect(slaWindowFor(DEFAULT_WINDOW)).toBe("1h");
    expect(traceWindowFor(DEFAULT_WINDOW)).toBe("1h");
  });

  it.each([
    ["5m", "1h", "5m"],
    ["15m", "1h", "15m"],
    ["1h", "1h", "1h"],
    ["2h", "2h", "1h"],
    ["4h", "4h", "6h"],
    ["24h", "24h", "6h"],
    ["7d", "7d", "6h"],
    ["30d", "30d", "6h"],
    // not a window at all: the default's
    ["soon", "1h", "1h"],
  ])("%s reads as %s on the SLA pages and %s on the traces page", (chosen, sla, traces) => {
    expect(slaWindowFor(chosen)).toBe(sla);
    expect(traceWindowFor(chosen)).toBe(traces);
  });

  it("reads minutes, hours and days", () => {
    expect(chosenWindowSeconds("15m")).toBe(900);
    expect(chosenWindowSeconds("24h")).toBe(86_400);
    expect(chosenWindowSeconds("7d")).toBe(604_800);
    expect(chosenWindowSeconds("0h")).toBeUndefined();
    expect(chosenWindowSeconds("1w")).toBeUndefined();
  });

  it("names the window used only when it is not the one chosen", () => {
    expect(windowFitNote("24h", "24h")).toBeUndefined();
    expect(windowFitNote("24h", "6h")).toBe("24h chosen; this page shows the nearest window it can: 6h");
  });
});
