import type { Topology, TopologyEdge, TopologyNode } from "./model";

/** Questions asked of a built topology by the SLA, metrics and traces code. */

type Graph = Pick<Topology, "nodes" | "edges">;

/** The redrive edges of queues whose own RedrivePolicy names this DLQ (not subscriptions' DLQs: SNS has no receives). */
export function queueRedrivesInto(graph: Graph, dlqId: string): TopologyEdge[] {
  return graph.edges.filter((e) => e.kind === "redrive" && e.redrive?.via === "queue" && e.to === dlqId);
}

/** The dead-letter queue a queue's RedrivePolicy names, when it is in the graph. */
export function deadLetterQueueOf(graph: Graph, queueId: string): TopologyNode | undefined {
  const edge = graph.edges.find((e) => e.from === queueId && e.kind === "redrive" && e.redrive?.via === "queue");
  return edge ? graph.nodes.find((n) => n.id === edge.to) : undefined;
}

/** The names of the functions whose event source mappings read any of these queues, one per mapping. */
export function consumersOf(graph: Graph, queueIds: Iterable<string>): string[] {
  const queues = new Set(queueIds);
  const names = new Map(graph.nodes.map((n) => [n.id, n.name]));
  return graph.edges.flatMap((e) => (e.kind === "event-source" && queues.has(e.from) ? [names.get(e.to) ?? e.to] : []));
}
