import type { ResourceRef } from "../bindings";
import { plural } from "../format";
import type { Topology, TopologyNode } from "./model";

/**
 * The topology as one caller may see it (role bindings, lib/domain/bindings.ts). The graph is
 * collected once for every viewer; each caller's answer then leaves out the nodes none of their
 * bindings reaches, the edges and findings that touch them, and counts what it left out, so that
 * the page can say so rather than pretend those resources do not exist.
 */

/** Whether the caller may view a resource: some binding of theirs reaches it. */
export type MayView = (resource: ResourceRef) => boolean;

/** A graph without the nodes the caller may not view; `hidden` is how many it leaves out. */
export type VisibleTopology<T extends Topology> = T & { hidden: number };

/**
 * A node as its bindings see it: its ARN and, when the model carries them, its tags (unknown tags
 * match no tag binding). An endpoint node stands for its subscription, whose ARNs are its own and
 * its endpoint's, as for a route on the subscription (resource-access's subscriptionResource); SNS
 * subscriptions have no tags, and its endpoint is never a queue of this account (that is a queue node).
 */
export function nodeResource(node: TopologyNode): ResourceRef {
  if (node.kind === "subscription-endpoint") {
    const endpoint = node.endpoint?.endpoint;
    return { arns: endpoint ? [node.arn, endpoint] : [node.arn], tags: {} };
  }
  return { arns: [node.arn], ...(node.tags ? { tags: node.tags } : {}) };
}

/**
 * The nodes the caller may view, the edges between two of them, and the findings about them only.
 * An alarm shows with any resource it watches (it is part of that resource's picture, as the SLA's
 * rows list the alarms on theirs) or on its own ARN. A subscription edge needs no check of its own:
 * the subscription's ARNs include its endpoint's, so a binding that reaches the endpoint reaches it.
 * A node's topics keep only the topics shown. A shown node's health and reasons stay as the whole
 * graph judged them: they are about that node, even where a neighbour left out is the cause.
 */
export function visibleTopology<T extends Topology>(topology: T, mayView: MayView): VisibleTopology<T> {
  const shown = new Set(topology.nodes.filter((n) => n.kind !== "alarm" && mayView(nodeResource(n))).map((n) => n.id));
  const watching = new Set(topology.edges.filter((e) => e.kind === "alarm" && shown.has(e.to)).map((e) => e.from));
  for (const alarm of topology.nodes.filter((n) => n.kind === "alarm"))
    if (watching.has(alarm.id) || mayView(nodeResource(alarm))) shown.add(alarm.id);

  const edges = topology.edges.filter((e) => shown.has(e.from) && shown.has(e.to));
  const edgeIds = new Set(edges.map((e) => e.id));
  const topics = new Set(topology.nodes.filter((n) => n.kind === "topic" && shown.has(n.id)).map((n) => n.arn));
  const nodes = topology.nodes
    .filter((n) => shown.has(n.id))
    .map((n) => (n.topics.every((t) => topics.has(t)) ? n : { ...n, topics: n.topics.filter((t) => topics.has(t)) }));
  return {
    ...topology,
    nodes,
    edges,
    warnings: topology.warnings.filter(
      (w) => (w.nodeId === undefined || shown.has(w.nodeId)) && (w.edgeId === undefined || edgeIds.has(w.edgeId)),
    ),
    hidden: topology.nodes.length - nodes.length,
  };
}

/** What the page says of the nodes left out ("3 resources are outside your bindings."), nothing when none are. */
export function outsideBindings(hidden: number | undefined): string | undefined {
  if (!hidden) return undefined;
  return `${plural(hidden, "resource")} ${hidden === 1 ? "is" : "are"} outside your bindings.`;
}
