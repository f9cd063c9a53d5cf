"use client";
import { memo } from "react";
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { nodeFigures, type TopologyNode } from "@/lib/domain/topology";
import { kindLabel } from "./kind-label";

const healthLabel = { ok: "healthy", warning: "warning", critical: "critical", unknown: "unknown" } as const;

export type NodeCardData = {
  node: TopologyNode;
  dimmed: boolean;
  selected: boolean;
  /** What its subscriptions let through, for queues and endpoints. */ filter?: string;
};

/** One node of the graph: kind, name, health and its figures; the health is also in words, not only colour. */
export const NodeCard = memo(function NodeCard({ data }: NodeProps) {
  const { node, dimmed, selected, filter } = data as NodeCardData;
  return (
    <div
      className={`topo-card topo-${node.kind} topo-health-${node.health}${dimmed ? " topo-dimmed" : ""}${selected ? " topo-selected" : ""}`}
      title={node.reasons.join("\n") || healthLabel[node.health]}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="topo-card-head">
        <span className="topo-kind">
          {kindLabel[node.kind]}
          {node.fifo ? " · FIFO" : ""}
        </span>
        <span className={`topo-health topo-health-badge-${node.health}`}>{healthLabel[node.health]}</span>
      </div>
      <div className="topo-name">{node.name}</div>
      <div className="topo-figures">{nodeFigures(node).join(" · ")}</div>
      {node.reasons[0] ? (
        <div className="topo-reason">{node.reasons[0]}</div>
      ) : filter ? (
        <div className="topo-filter" title={filter}>
          filter: {filter}
        </div>
      ) : null}
      <Handle type="source" position={Position.Right} isConnectable={false} />
      <Handle type="source" id="below" position={Position.Bottom} isConnectable={false} />
      <Handle type="target" id="above" position={Position.Top} isConnectable={false} />
    </div>
  );
});
