import { describe, expect, it } from "vitest";
import * as sla from "./index";

describe("lib/domain/sla index", () => {
  it("puts the pieces together: a path at its objective has no budget left and burns at 1", () => {
    const counts = sla.sumCounts([
      sla.pathCounts({ processed: 4995, deadLettered: 3, deliveryFailed: 2 }),
      sla.pathCounts({ processed: 4995, deadLettered: 5, deliveryFailed: 0 }),
    ]);
    expect(counts).toEqual({ good: 9990, bad: 10 });
    const value = sla.sli(counts);
    expect(sla.errorBudgetRemaining(value, 0.999)).toBeCloseTo(0, 12);
    expect(sla.burnRate(value, 0.999)).toBeCloseTo(1, 12);
  });
});
