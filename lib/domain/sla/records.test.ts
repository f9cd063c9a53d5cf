import { describe, expect, it } from "vitest";
import { consumerRecordCounts, recordFailureHealth } from "./records";

describe("consumerRecordCounts", () => {
  it("counts processed records as good and dead-lettered ones as bad, over every queue consumed", () => {
    expect(
      consumerRecordCounts([
        { processed: 90, deadLettered: 8 },
        { processed: 10, deadLettered: 0 },
      ]),
    ).toEqual({ good: 100, bad: 8 });
  });
});

describe("recordFailureHealth", () => {
  const target = 0.999; // a budget of 0.1 % of records
  it.each([
    ["no records: nothing to judge", { good: 0, bad: 0 }, "ok", null],
    ["no failures", { good: 1000, bad: 0 }, "ok", 0],
    ["exactly the budget", { good: 999, bad: 1 }, "ok", 1],
    ["twice the budget: a warning", { good: 998, bad: 2 }, "warning", 2],
    ["at the paging rate of 14.4× still a warning", { good: 9856, bad: 144 }, "warning", 14.4],
    ["8 % of records: critical", { good: 92, bad: 8 }, "critical", 80],
  ] as const)("%s", (_name, counts, health, burn) => {
    const judged = recordFailureHealth(counts, target);
    expect(judged.health).toBe(health);
    if (burn === null) expect(judged.burnRate).toBeNull();
    else expect(judged.burnRate).toBeCloseTo(burn, 9);
  });
});
