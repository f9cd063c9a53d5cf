import { resourceChartsHref, type ChartsTarget } from "../sla/status";
import type { Topology, TopologyNode } from "./model";

/** A page the side panel links a node to. */
export interface NodeLink {
  label: string;
  href: string;
}

/** The resource kind whose charts a node has; alarms and non-SQS endpoints have none of their own. */
function chartsKind(kind: TopologyNode["kind"]): ChartsTarget["kind"] | undefined {
  if (kind === "topic" || kind === "function") return kind;
  if (kind === "queue" || kind === "dlq") return "queue";
  return undefined;
}

/**
 * Where to go from a selected node: each subscription delivering to it opens its filter policy, a
 * topic opens "who gets this event?" for all its subscriptions, and a topic, queue or function opens
 * its charts. A subscription still pending confirmation has no ARN yet ("PendingConfirmation"), so
 * no policy page (SNS API reference, Subscribe: "the response includes … PendingConfirmation").
 */
export function nodeLinks(topology: Topology, node: TopologyNode): NodeLink[] {
  const links: NodeLink[] = [];
  const byId = new Map(topology.nodes.map((n) => [n.id, n]));
  for (const e of topology.edges) {
    if (e.to !== node.id || !e.subscription?.arn.startsWith("arn:")) continue;
    const topic = byId.get(e.from)?.name ?? e.from;
    links.push({
      label: `Filter policy from ${topic}`,
      href: `/filter-policies/${encodeURIComponent(e.subscription.arn)}`,
    });
  }
  if (node.kind === "topic" && node.arn.startsWith("arn:"))
    links.push({ label: "Who gets this event?", href: `/topics/${encodeURIComponent(node.arn)}` });
  const kind = chartsKind(node.kind);
  if (kind && !node.missing) links.push({ label: "Charts", href: resourceChartsHref({ kind, name: node.name }) });
  return links;
}
