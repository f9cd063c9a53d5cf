import { describe, expect, it } from "vitest";
import { nodeHealth, topicMembership } from "./build";
import type { NodeKind, TopologyEdge, TopologyNode } from "./model";

function graphNode(id: string, kind: NodeKind, arn = id): TopologyNode {
  return { id, kind, name: id, arn, health: "ok", reasons: [], topics: [] };
}

function graphEdge(from: string, to: string, kind: TopologyEdge["kind"]): TopologyEdge {
  return { id: `${kind}:${from}->${to}`, from, to, kind };
}

describe("topicMembership", () => {
  const nodes = [
    graphNode("t1", "topic", "arn:t1"),
    graphNode("t2", "topic", "arn:t2"),
    graphNode("q", "queue"),
    graphNode("dlq", "dlq"),
    graphNode("f", "function"),
    graphNode("lonely", "queue"),
    graphNode("a", "alarm"),
  ];

  it("puts everything downstream of a topic in it, through subscriptions, mappings and redrives", () => {
    const edges = [
      graphEdge("t1", "q", "subscription"),
      graphEdge("q", "f", "event-source"),
      graphEdge("q", "dlq", "redrive"),
    ];
    const memberOf = topicMembership(nodes, edges, new Map());
    for (const id of ["t1", "q", "f", "dlq"]) expect([...memberOf.get(id)!]).toEqual(["arn:t1"]);
    expect([...memberOf.get("t2")!]).toEqual(["arn:t2"]);
    expect(memberOf.has("lonely")).toBe(false);
  });

  it("gives a node fed by two topics both, and stops at a cycle", () => {
    const edges = [
      graphEdge("t1", "q", "subscription"),
      graphEdge("t2", "q", "subscription"),
      graphEdge("q", "dlq", "redrive"),
      graphEdge("dlq", "q", "redrive"),
    ];
    const memberOf = topicMembership(nodes, edges, new Map());
    expect([...memberOf.get("dlq")!].sort()).toEqual(["arn:t1", "arn:t2"]);
  });

  it("does not follow alarm edges; an alarm belongs to the topics of what it watches", () => {
    const edges = [
      graphEdge("t1", "q", "subscription"),
      graphEdge("a", "lonely", "alarm"),
      graphEdge("a", "q", "alarm"),
    ];
    const memberOf = topicMembership(nodes, edges, new Map([["a", ["q", "lonely"]]]));
    expect([...memberOf.get("a")!]).toEqual(["arn:t1"]);
    expect(memberOf.has("lonely")).toBe(false);
  });
});

describe("nodeHealth", () => {
  const none = new Map();

  it("is critical over warning, listing critical reasons first and each reason once", () => {
    const found = [
      { level: "warning" as const, reason: "w" },
      { level: "critical" as const, reason: "c" },
      { level: "warning" as const, reason: "w" },
    ];
    expect(nodeHealth({ kind: "queue" }, found, none)).toEqual({ health: "critical", reasons: ["c", "w"] });
    expect(nodeHealth({ kind: "queue" }, found.slice(0, 1), none)).toEqual({ health: "warning", reasons: ["w"] });
  });

  it("is ok with nothing found, and unknown when the node's part could not be collected", () => {
    expect(nodeHealth({ kind: "function" }, [], none)).toEqual({ health: "ok", reasons: [] });
    const failed = new Map([["lambda" as const, "AccessDenied"]]);
    expect(nodeHealth({ kind: "function" }, [], failed)).toEqual({
      health: "unknown",
      reasons: ["Lambda details could not be collected: AccessDenied"],
    });
    // What was found still counts: a failed part does not hide a known problem.
    expect(nodeHealth({ kind: "function" }, [{ level: "warning", reason: "w" }], failed).health).toBe("warning");
    expect(nodeHealth({ kind: "queue" }, [], failed).health).toBe("ok");
  });

  it("is unknown for an alarm with insufficient data", () => {
    const alarm = { kind: "alarm" as const, alarm: { state: "INSUFFICIENT_DATA" } };
    expect(nodeHealth(alarm, [], none)).toEqual({ health: "unknown", reasons: ["the alarm has insufficient data"] });
  });
});
