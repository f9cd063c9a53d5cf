"use client";
import "@xyflow/react/dist/style.css";
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from "react";
import {
  Background,
  Controls,
  ReactFlow,
  useReactFlow,
  useStore,
  useStoreApi,
  type Edge,
  type Node,
  type NodeTypes,
} from "@xyflow/react";
import { GraphOverview } from "./graph-overview";

const LARGE_GRAPH = 150;

/** The nodes of the top rows of the layout, to open a large graph on. */
function firstRows(nodes: Node[]): Array<{ id: string }> {
  return [...nodes]
    .sort((a, b) => a.position.y - b.position.y || a.position.x - b.position.x)
    .slice(0, 24)
    .map((n) => ({ id: n.id }));
}

/**
 * Centres the node `id` when it becomes the selection while lying outside the canvas, wholly or in
 * part: opened from a link, a finding or a reload. Once per selection: panning afterwards is the
 * user's, and a refresh of the graph does not pull them back. It waits for the first fit (`fitted`)
 * and for the canvas to have its size (opening the panel narrows it), so it centres in the canvas
 * as it is drawn.
 */
function CentreOnSelection({ id, fitted }: { id: string | undefined; fitted: boolean }) {
  const store = useStoreApi();
  const ready = useStore((s) => fitted && !s.fitViewQueued && s.panZoom !== null && s.width > 0 && s.height > 0);
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const centredFor = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (id === undefined) {
      centredFor.current = undefined;
      return;
    }
    if (!ready || centredFor.current === id) return;
    const { nodeLookup, domNode, transform, setCenter } = store.getState();
    // The canvas has been resized but React Flow's observer has not reported it yet: wait for it.
    if (domNode && (domNode.offsetWidth !== width || domNode.offsetHeight !== height)) return;
    const node = nodeLookup.get(id);
    if (!node) return;
    centredFor.current = id;
    const [tx, ty, zoom] = transform;
    const { x, y } = node.internals.positionAbsolute;
    const w = node.measured.width ?? node.width ?? 0;
    const h = node.measured.height ?? node.height ?? 0;
    const left = x * zoom + tx;
    const top = y * zoom + ty;
    if (left >= 0 && top >= 0 && left + w * zoom <= width && top + h * zoom <= height) return;
    void setCenter(x + w / 2, y + h / 2, { zoom, duration: 300 });
  }, [id, ready, width, height, store]);
  return null;
}

/**
 * Fits the graph once, when the canvas has its size. React Flow's own `fitView` prop fits as soon as every
 * node has its size and handles, which, declared up front (the topology's cards), is before the canvas
 * is measured: the fit would be lost. A large graph fitted whole would be specks: it starts on its first
 * rows, readable; the overview shows the rest.
 */
function FitOnFirstDraw({ onFitted }: { onFitted(): void }) {
  const { fitView } = useReactFlow();
  const store = useStoreApi();
  const ready = useStore((s) => s.panZoom !== null && s.width > 0 && s.height > 0 && s.nodeLookup.size > 0);
  const done = useRef(false);
  useEffect(() => {
    if (!ready || done.current) return;
    done.current = true;
    const { nodes } = store.getState();
    void fitView({
      padding: 0.1,
      maxZoom: 1,
      ...(nodes.length > LARGE_GRAPH ? { nodes: firstRows(nodes) } : {}),
    }).then(onFitted);
  }, [ready, fitView, store, onFitted]);
  return null;
}

export interface FlowCanvasProps {
  nodes: Node[];
  edges: Edge[];
  nodeTypes: NodeTypes;
  onSelect?(id: string): void;
  miniMapColour(node: Node): string;
  /** False hides the overview, e.g. while a selected node could sit under it. */
  showMiniMap?: boolean;
  /** The selected node: brought into view when it changes (CentreOnSelection). */
  selectedId?: string | undefined;
}

/**
 * A read-only graph on a pannable canvas, laid out by the caller: the topology and the service map
 * both draw on it. Only what is on screen is rendered. A node opens on click, and on Enter or
 * Space when it has the focus (React Flow makes nodes focusable but only selects them on those keys).
 */
export function FlowCanvas({
  nodes,
  edges,
  nodeTypes,
  onSelect,
  miniMapColour,
  showMiniMap = true,
  selectedId,
}: FlowCanvasProps) {
  const [fitted, setFitted] = useState(false);
  const onFitted = useCallback(() => setFitted(true), []);
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
        minZoom={0.05}
        maxZoom={1.5}
      >
        <Background gap={24} />
        <Controls showInteractive={false} />
        <FitOnFirstDraw onFitted={onFitted} />
        <CentreOnSelection id={selectedId} fitted={fitted} />
        {showMiniMap ? (
          <GraphOverview nodes={nodes} colour={miniMapColour} ariaLabel="Overview of the whole graph" />
        ) : null}
      </ReactFlow>
    </div>
  );
}
