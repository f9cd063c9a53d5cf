import { describe, expect, it } from "vitest";
import { DEFAULT_SLA_WINDOW, parseWindow, SLA_WINDOW_PRESETS } from "./window";

describe("parseWindow", () => {
  it.each([
    ["1h", 3600],
    ["6h", 21_600],
    ["24h", 86_400],
    ["7d", 604_800],
    ["30d", 2_592_000],
    ["720h", 2_592_000],
  ])("reads %s as %i seconds", (text, seconds) => expect(parseWindow(text)).toBe(seconds));

  it.each(["", "0h", "31d", "721h", "1w", "1.5h", "h", "-1h", "01h", "1 h", "1000h"])("refuses %j", (text) =>
    expect(parseWindow(text)).toBeUndefined(),
  );
});

describe("SLA_WINDOW_PRESETS", () => {
  it("are valid windows, shortest first, the default among them", () => {
    const seconds = SLA_WINDOW_PRESETS.map((w) => parseWindow(w));
    expect(seconds.every((s) => s !== undefined)).toBe(true);
    expect(seconds).toEqual([...seconds].sort((a, b) => a! - b!));
    expect(SLA_WINDOW_PRESETS).toContain(DEFAULT_SLA_WINDOW);
  });
});
