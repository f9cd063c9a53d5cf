"use client";
import "@xyflow/react/dist/style.css";
import type { KeyboardEvent } from "react";
import { Background, Controls, MiniMap, ReactFlow, type Edge, type Node, type NodeTypes } from "@xyflow/react";

const LARGE_GRAPH = 150;

/** The nodes of the top rows of the layout, to open a large graph on. */
function firstRows(nodes: Node[]): Array<{ id: string }> {
  return [...nodes]
    .sort((a, b) => a.position.y - b.position.y || a.position.x - b.position.x)
    .slice(0, 24)
    .map((n) => ({ id: n.id }));
}

export interface FlowCanvasProps {
  nodes: Node[];
  edges: Edge[];
  nodeTypes: NodeTypes;
  onSelect?(id: string): void;
  miniMapColour(node: Node): string;
  /** False hides the overview, e.g. while a selected node could sit under it. */
  showMiniMap?: boolean;
}

/**
 * A read-only graph on a pannable canvas, laid out by the caller: the topology and the service map
 * both draw on it. Only what is on screen is rendered. A node opens on click, and on Enter or
 * Space when it has the focus (React Flow makes nodes focusable but only selects them on those keys).
 */
export function FlowCanvas({ nodes, edges, nodeTypes, onSelect, miniMapColour, showMiniMap = true }: FlowCanvasProps) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!onSelect || (e.key !== "Enter" && e.key !== " ")) return;
    const node = e.target instanceof HTMLElement ? e.target.closest<HTMLElement>(".react-flow__node") : null;
    const id = node?.dataset.id;
    if (!id || node !== e.target) return;
    e.preventDefault();
    onSelect(id);
  };
  return (
    <div className="topo-canvas" onKeyDown={onKeyDown}>
      <ReactFlow
        colorMode="system"
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        {...(onSelect ? { onNodeClick: (_: unknown, node: Node) => onSelect(node.id) } : {})}
        nodesDraggable={false}
        nodesConnectable={false}
        onlyRenderVisibleElements
        fitView
        // A large graph fitted whole would be specks: start on its first rows, readable; the minimap shows the rest.
        fitViewOptions={{
          padding: 0.1,
          maxZoom: 1,
          ...(nodes.length > LARGE_GRAPH ? { nodes: firstRows(nodes) } : {}),
        }}
        minZoom={0.05}
        maxZoom={1.5}
      >
        <Background gap={24} />
        <Controls showInteractive={false} />
        {showMiniMap ? (
          <MiniMap pannable zoomable nodeColor={miniMapColour} ariaLabel="Overview of the whole graph" />
        ) : null}
      </ReactFlow>
    </div>
  );
}
