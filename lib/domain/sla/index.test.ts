import { describe, expect, it } from "vitest";
import * as sla from "./index";

describe("lib/domain/sla index", () => {
  it("re-exports the API", () => {
    for (const name of [
      "SLO_WINDOW_DAYS",
      "defaultObjectives",
      "parseObjectives",
      "sli",
      "snsDeliveryCounts",
      "lambdaInvocationCounts",
      "pathCounts",
      "sumCounts",
      "dlqInflow",
      "errorBudgetRemaining",
      "burnRate",
      "BURN_WINDOWS",
      "burnWindowSeconds",
      "burnAlerts",
      "periodFor",
      "getMetricDataCallsNeeded",
      "chunkQueries",
      "percentile",
      "latencyStatus",
    ]) {
      expect(sla, name).toHaveProperty(name);
    }
  });

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
