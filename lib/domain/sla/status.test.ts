import { describe, expect, it } from "vitest";
import { SLO_STATUS_LABELS, chartsTarget, sloStatus, worseStatus } from "./status";

const quiet = { fast: false, slow: false, ticket: false };

describe("sloStatus", () => {
  it("is no-data without events, whatever else is set", () => {
    expect(sloStatus({ sli: null, target: 0.999, errorBudgetRemaining: -1, alerts: { ...quiet, fast: true } })).toBe(
      "no-data",
    );
  });

  it("is breached when the 30-day budget is overspent", () => {
    expect(sloStatus({ sli: 0.9999, target: 0.999, errorBudgetRemaining: -0.01, alerts: quiet })).toBe("breached");
  });

  it("is at risk below the objective, or when any tier fires, the ticket tier included", () => {
    expect(sloStatus({ sli: 0.998, target: 0.999, errorBudgetRemaining: 0.5, alerts: quiet })).toBe("at-risk");
    expect(sloStatus({ sli: 0.9995, target: 0.999, errorBudgetRemaining: 0.5, alerts: { ...quiet, fast: true } })).toBe(
      "at-risk",
    );
    expect(sloStatus({ sli: 0.9995, target: 0.999, errorBudgetRemaining: 0.5, alerts: { ...quiet, slow: true } })).toBe(
      "at-risk",
    );
    expect(
      sloStatus({ sli: 0.9995, target: 0.999, errorBudgetRemaining: 0.5, alerts: { ...quiet, ticket: true } }),
    ).toBe("at-risk");
  });

  it("is ok at or above the objective with nothing firing", () => {
    expect(sloStatus({ sli: 0.999, target: 0.999, errorBudgetRemaining: 0, alerts: quiet })).toBe("ok");
    expect(SLO_STATUS_LABELS.ok).toBe("meeting objective");
  });
});

describe("chartsTarget", () => {
  it("is the resource itself for topics, queues and functions", () => {
    expect(chartsTarget({ kind: "topic", resource: "orders" })).toEqual({ kind: "topic", name: "orders" });
    expect(chartsTarget({ kind: "function", resource: "billing" })).toEqual({ kind: "function", name: "billing" });
  });

  it("is the queue of a subscription path, named by the topology, not parsed out of its label", () => {
    // A queue name cannot hold "→ ", but a label could be anything: the path carries its queue.
    expect(chartsTarget({ kind: "path", resource: "orders → billing", queue: "billing" })).toEqual({
      kind: "queue",
      name: "billing",
    });
  });
});

describe("worseStatus", () => {
  it("orders breached over at risk over ok over no traffic, either way round", () => {
    expect(worseStatus("ok", "breached")).toBe("breached");
    expect(worseStatus("breached", "at-risk")).toBe("breached");
    expect(worseStatus("at-risk", "ok")).toBe("at-risk");
    expect(worseStatus("no-data", "ok")).toBe("ok");
    expect(worseStatus("no-data", "no-data")).toBe("no-data");
  });
});
