import { describe, expect, it } from "vitest";
import type { TopologyEdge, TopologyNode } from "./model";
import { consumersOf, deadLetterQueueOf, queueRedrivesInto } from "./queries";

const node = (id: string, kind: TopologyNode["kind"], name: string): TopologyNode =>
  ({ id, kind, name, arn: id, health: "ok", reasons: [], topics: [] }) as unknown as TopologyNode;
const edge = (
  from: string,
  to: string,
  kind: TopologyEdge["kind"],
  extra: Partial<TopologyEdge> = {},
): TopologyEdge => ({
  id: `${from}->${to}`,
  from,
  to,
  kind,
  ...extra,
});

// orders → orders-dlq by its RedrivePolicy; a subscription's DLQ (sub-dlq) is not a queue redrive.
const graph = {
  nodes: [
    node("q:orders", "queue", "orders"),
    node("q:billing", "queue", "billing"),
    node("q:orders-dlq", "dlq", "orders-dlq"),
    node("q:sub-dlq", "dlq", "sub-dlq"),
    node("t:events", "topic", "events"),
    node("f:ship", "function", "ship"),
    node("f:audit", "function", "audit"),
  ],
  edges: [
    edge("q:orders", "q:orders-dlq", "redrive", { redrive: { maxReceiveCount: 3, via: "queue" } }),
    edge("q:billing", "q:orders-dlq", "redrive", { redrive: { maxReceiveCount: 5, via: "queue" } }),
    edge("t:events", "q:sub-dlq", "redrive", { redrive: { maxReceiveCount: 0, via: "subscription" } }),
    edge("q:orders", "f:ship", "event-source"),
    edge("q:orders", "f:audit", "event-source"),
    edge("q:billing", "f:gone", "event-source"),
    edge("t:events", "q:orders", "subscription"),
  ],
};

describe("topology queries", () => {
  it("finds the DLQ a queue's own redrive policy names", () => {
    expect(deadLetterQueueOf(graph, "q:orders")?.name).toBe("orders-dlq");
    expect(deadLetterQueueOf(graph, "q:orders-dlq")).toBeUndefined();
    expect(deadLetterQueueOf(graph, "t:events")).toBeUndefined();
  });

  it("lists the queue redrives into a DLQ, not a subscription's", () => {
    expect(queueRedrivesInto(graph, "q:orders-dlq").map((e) => e.from)).toEqual(["q:orders", "q:billing"]);
    expect(queueRedrivesInto(graph, "q:sub-dlq")).toEqual([]);
  });

  it("names the consumers of queues, by id when the function is not in the graph", () => {
    expect(consumersOf(graph, ["q:orders"])).toEqual(["ship", "audit"]);
    expect(consumersOf(graph, ["q:orders", "q:billing"])).toEqual(["ship", "audit", "f:gone"]);
    expect(consumersOf(graph, ["q:orders-dlq"])).toEqual([]);
  });
});
