import { describe, expect, it } from "vitest";
import { RefusalTally } from "./refusal-tally";

describe("RefusalTally", () => {
  it("asks to audit the first refusal of a key in a window, then counts the rest into the next audited one", () => {
    const tally = new RefusalTally(60_000);
    expect(tally.note("k", 0)).toEqual({ refused: 1, since: 0 });
    expect(tally.note("k", 10_000)).toBeUndefined();
    expect(tally.note("k", 59_999)).toBeUndefined();
    // A new window: its audit carries the three of the last one.
    expect(tally.note("k", 60_000)).toEqual({ refused: 3, since: 0 });
    expect(tally.note("k", 60_001)).toBeUndefined();
  });

  it("keeps keys apart", () => {
    const tally = new RefusalTally(60_000);
    expect(tally.note("a", 0)).toEqual({ refused: 1, since: 0 });
    expect(tally.note("b", 1)).toEqual({ refused: 1, since: 1 });
    expect(tally.note("a", 2)).toBeUndefined();
  });
});
