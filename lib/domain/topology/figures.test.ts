import { describe, expect, it } from "vitest";
import { nodeFigures } from "./figures";
import type { TopologyNode } from "./model";

const base = { id: "x", name: "x", arn: "arn:x", health: "ok" as const, reasons: [], topics: [] };
const queueFacts = { visible: 3, inFlight: 2, delayed: 0, retentionSeconds: 60, isDlq: false, isSource: true };

describe("nodeFigures", () => {
  it("a dead-letter queue leads with what entered it in 5 minutes, not its NumberOfMessagesSent", () => {
    const dlq: TopologyNode = {
      ...base,
      kind: "dlq",
      queue: { ...queueFacts, isDlq: true, isSource: false },
      metrics: { throughput5m: 0, dlqInflow5m: 20 },
    };
    expect(nodeFigures(dlq)).toEqual(["+20 in 5 min", "holds 5 messages (2 leased)"]);
  });

  it("a dead-letter queue without depth figures says nothing of its inflow", () => {
    const dlq: TopologyNode = { ...base, kind: "dlq", queue: { ...queueFacts, visible: 1, inFlight: 0 } };
    expect(nodeFigures(dlq)).toEqual(["holds 1 message (0 leased)"]);
  });

  it("a queue: its messages, its DLQ's, and what was sent to it in 5 minutes", () => {
    const queue: TopologyNode = {
      ...base,
      kind: "queue",
      queue: { ...queueFacts, dlqDepth: 4 },
      metrics: { throughput5m: 12.4 },
    };
    expect(nodeFigures(queue)).toEqual(["3 messages visible", "2 in flight", "DLQ holds 4", "12 sent in 5 min"]);
  });

  it("a function: invocations, and its records apart from them", () => {
    const fn: TopologyNode = {
      ...base,
      kind: "function",
      metrics: { throughput5m: 1, records5m: { processed: 92, deadLettered: 8 } },
    };
    expect(nodeFigures(fn)).toEqual(["1 invocation in 5 min", "8 of 100 records dead-lettered in 5 min"]);
  });

  it("a topic and an alarm", () => {
    expect(nodeFigures({ ...base, kind: "topic", metrics: { throughput5m: 7 } })).toEqual(["7 published in 5 min"]);
    expect(nodeFigures({ ...base, kind: "alarm", alarm: { state: "ALARM" } })).toEqual(["ALARM"]);
  });
});
