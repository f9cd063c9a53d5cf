"use client";
import { useMemo } from "react";
import { Position, type Edge, type Node, type NodeHandle } from "@xyflow/react";
import { FlowCanvas } from "@/components/graph/flow-canvas";
import type { Topology, TopologyEdge, TopologyNode } from "@/lib/domain/topology";
import { CARD_HEIGHT, CARD_WIDTH } from "./graph-layout";
import { NodeCard, type NodeCardData } from "./node-card";

/**
 * Where a card's four handles sit (6-px squares centred on its edges, as React Flow's stylesheet places
 * them), declared so that React Flow need not draw every card of the graph once to measure them: with
 * `onlyRenderVisibleElements` it otherwise mounts all of them on the first render, thousands in a big account.
 * A card on screen is still measured, and its measurement replaces these.
 */
const CARD_HANDLES: NodeHandle[] = [
  { type: "target", position: Position.Left, x: -3, y: CARD_HEIGHT / 2 - 3, width: 6, height: 6 },
  { type: "source", position: Position.Right, x: CARD_WIDTH - 3, y: CARD_HEIGHT / 2 - 3, width: 6, height: 6 },
  {
    type: "source",
    id: "below",
    position: Position.Bottom,
    x: CARD_WIDTH / 2 - 3,
    y: CARD_HEIGHT - 3,
    width: 6,
    height: 6,
  },
  { type: "target", id: "above", position: Position.Top, x: CARD_WIDTH / 2 - 3, y: -3, width: 6, height: 6 },
];

const nodeTypes = { card: NodeCard };
/** What a node's incoming subscriptions let through; on the card, where it does not collide with other labels. */
function filtersByNode(edges: TopologyEdge[]): Map<string, string> {
  const byNode = new Map<string, string[]>();
  for (const e of edges) {
    if (!e.subscription) continue;
    const summary = `${e.subscription.filterPolicySummary ?? "everything"}${e.subscription.pendingConfirmation ? " (pending)" : ""}`;
    byNode.set(e.to, [...(byNode.get(e.to) ?? []), summary]);
  }
  return new Map(
    [...byNode].map(([id, summaries]) => [
      id,
      summaries.length === 1 ? summaries[0]! : `${summaries.length} subscriptions`,
    ]),
  );
}

/** Redrive and consumer edges say how; subscription edges leave it to the target's card. */
function edgeLabel(e: TopologyEdge): string | undefined {
  if (e.redrive)
    return e.redrive.via === "subscription" ? "undeliverable" : `after ${e.redrive.maxReceiveCount} receives`;
  if (e.eventSource) return `batch ${e.eventSource.batchSize ?? "?"}${e.eventSource.enabled ? "" : " · disabled"}`;
  return undefined;
}

const miniMapColour = (n: Node) => {
  const health = (n.data as NodeCardData).node.health;
  return health === "critical"
    ? "#d93025"
    : health === "warning"
      ? "#e8a200"
      : health === "unknown"
        ? "#9aa4b2"
        : "#3ccf6e";
};

export interface TopologyGraphProps {
  topology: Topology;
  positions: Record<string, { x: number; y: number }>;
  hidden: ReadonlySet<string>;
  /** Nodes that match the search and filters; the rest are dimmed. Undefined: no filter. */
  matches?: ReadonlySet<string>;
  selectedId?: string;
  onSelect(id: string): void;
}

/**
 * The graph, laid out by the domain's layered layout; only what is on screen is rendered. Each card's
 * object is made once per graph (plain and dimmed) and kept while the graph stands: React Flow redoes
 * a node only when its object changes, so a click or a search touches the cards it changes, not all.
 */
export function TopologyGraph({ topology, positions, hidden, matches, selectedId, onSelect }: TopologyGraphProps) {
  const cards = useMemo(() => {
    const filters = filtersByNode(topology.edges);
    return topology.nodes
      .filter((n: TopologyNode) => !hidden.has(n.id) && positions[n.id])
      .map((n) => {
        const plain: Node = {
          id: n.id,
          type: "card",
          position: positions[n.id]!,
          // Known before measuring: the minimap, on-screen culling and the first fit need sizes from the start,
          // and a card off screen is never measured.
          width: CARD_WIDTH,
          height: CARD_HEIGHT,
          measured: { width: CARD_WIDTH, height: CARD_HEIGHT },
          handles: CARD_HANDLES,
          data: {
            node: n,
            dimmed: false,
            selected: false,
            ...(filters.has(n.id) ? { filter: filters.get(n.id)! } : {}),
          } satisfies NodeCardData,
          draggable: false,
          connectable: false,
          ariaLabel: `${n.kind} ${n.name}, ${n.health}`,
        };
        return { plain, dimmed: { ...plain, data: { ...plain.data, dimmed: true } } };
      });
  }, [topology, positions, hidden]);
  const nodes = useMemo<Node[]>(
    () =>
      cards.map(({ plain, dimmed }) => {
        const card = matches && !matches.has(plain.id) ? dimmed : plain;
        return card.id === selectedId ? { ...card, data: { ...card.data, selected: true } } : card;
      }),
    [cards, matches, selectedId],
  );
  const edges = useMemo<Edge[]>(
    () =>
      topology.edges
        .filter((e) => !hidden.has(e.from) && !hidden.has(e.to))
        .map((e) => {
          const dimmed = matches ? !(matches.has(e.from) && matches.has(e.to)) : false;
          const label = edgeLabel(e);
          return {
            id: e.id,
            source: e.from,
            target: e.to,
            ...(e.kind === "redrive" ? { sourceHandle: "below", targetHandle: "above" } : {}),
            ...(label ? { label } : {}),
            className: `topo-edge topo-edge-${e.kind}${dimmed ? " topo-dimmed" : ""}${e.eventSource && !e.eventSource.enabled ? " topo-edge-disabled" : ""}`,
            labelBgPadding: [4, 2] as [number, number],
            focusable: false,
          };
        }),
    [topology, hidden, matches],
  );
  // The minimap sits in a corner of the canvas, which the panel narrows: any node may end up under it. While a node
  // is open the operator looks at it, not at the overview, so the overview steps aside until the panel closes.
  const selectedDrawn = selectedId !== undefined && nodes.some((n) => n.id === selectedId);
  return (
    <FlowCanvas
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      onSelect={onSelect}
      miniMapColour={miniMapColour}
      showMiniMap={!selectedDrawn}
      selectedId={selectedId}
    />
  );
}
