import { describe, expect, it } from "vitest";
import { formatElapsed, startedAtFrom } from "./elapsed";

describe("startedAtFrom", () => {
  const now = 1_764_315_000_000;
  it("takes the time the first script of the run passed on", () => {
    expect(startedAtFrom(String(now - 95_000), now, now - 2_000)).toBe(now - 95_000);
  });
  it.each([
    ["unset", undefined],
    ["empty", ""],
    ["not a number", "soon"],
    ["a fraction", "1764314900000.5"],
    ["in the future", String(now + 1_000)],
    ["zero", "0"],
  ])("falls back to this process's start when the variable is %s", (_name, value) => {
    expect(startedAtFrom(value, now, now - 2_000)).toBe(now - 2_000);
  });
});

describe("formatElapsed", () => {
  it.each([
    [0, "0 s"],
    [400, "0 s"],
    [42_400, "42 s"],
    [59_600, "1 min"],
    [125_000, "2 min 5 s"],
    [180_000, "3 min"],
    [3_785_000, "1 h 3 min 5 s"],
    [-5_000, "0 s"],
  ])("%i ms is %s", (ms, text) => {
    expect(formatElapsed(ms)).toBe(text);
  });
});
