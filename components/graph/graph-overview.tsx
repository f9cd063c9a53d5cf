"use client";
import { useEffect, useMemo, useRef, type PointerEvent } from "react";
import { Panel, useReactFlow, useStore, type Node } from "@xyflow/react";

const WIDTH = 200;
const HEIGHT = 150;
/** Room around the drawing, in overview pixels. */
const MARGIN = 5;

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Overview pixels a node is drawn with at least, each way: in a tall graph a card is narrower than a pixel. */
const MIN_NODE_PIXELS = 2;

/** A node's rectangle, when it is drawn. */
const boxOf = (node: Node): Rect | undefined => {
  const width = node.width ?? node.measured?.width ?? 0;
  const height = node.height ?? node.measured?.height ?? 0;
  return node.hidden || !width || !height ? undefined : { ...node.position, width, height };
};

/** Every node as one SVG path per colour, and the rectangle they cover (positions are absolute: no parent nodes). */
function drawNodes(nodes: Node[], colour: (node: Node) => string): { bounds?: Rect; paths: Array<[string, string]> } {
  const boxes: Array<[Node, Rect]> = [];
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const node of nodes) {
    const box = boxOf(node);
    if (!box) continue;
    boxes.push([node, box]);
    x1 = Math.min(x1, box.x);
    y1 = Math.min(y1, box.y);
    x2 = Math.max(x2, box.x + box.width);
    y2 = Math.max(y2, box.y + box.height);
  }
  if (boxes.length === 0) return { paths: [] };
  const bounds = { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
  // The graph's own scale in the overview (the view, framed with it, rarely widens it much).
  const least = MIN_NODE_PIXELS * Math.max(bounds.width / WIDTH, bounds.height / HEIGHT);
  const paths = new Map<string, string[]>();
  for (const [node, box] of boxes) {
    const width = Math.max(box.width, least);
    const height = Math.max(box.height, least);
    const fill = colour(node);
    let parts = paths.get(fill);
    if (!parts) paths.set(fill, (parts = []));
    parts.push(`M${box.x},${box.y}h${width}v${height}h${-width}z`);
  }
  return { bounds, paths: [...paths].map(([fill, parts]) => [fill, parts.join("")]) };
}

function union(a: Rect, b: Rect): Rect {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
}

/**
 * The whole graph in a corner, with the part on screen outlined: pressing or dragging in it centres the
 * view there, the wheel zooms the view. React Flow's own minimap draws each node as a component that
 * follows the store, thousands in a big account, all mounted with the page and asked again on every
 * change of the view; this one draws one path per colour, made again only when the nodes change.
 */
export function GraphOverview({
  nodes,
  colour,
  ariaLabel,
}: {
  nodes: Node[];
  colour(node: Node): string;
  ariaLabel: string;
}) {
  const { setCenter, zoomTo, getZoom } = useReactFlow();
  const svg = useRef<SVGSVGElement>(null);
  const drawn = useMemo(() => drawNodes(nodes, colour), [nodes, colour]);
  const tx = useStore((s) => s.transform[0]);
  const ty = useStore((s) => s.transform[1]);
  const zoom = useStore((s) => s.transform[2]);
  const paneWidth = useStore((s) => s.width);
  const paneHeight = useStore((s) => s.height);
  const view: Rect = { x: -tx / zoom, y: -ty / zoom, width: paneWidth / zoom, height: paneHeight / zoom };
  // As React Flow's minimap frames it: the nodes and the view together, centred, with a margin.
  const shown = drawn.bounds ? union(drawn.bounds, view) : view;
  const scale = Math.max(shown.width / WIDTH, shown.height / HEIGHT) || 1;
  const margin = MARGIN * scale;
  const box = {
    x: shown.x - (scale * WIDTH - shown.width) / 2 - margin,
    y: shown.y - (scale * HEIGHT - shown.height) / 2 - margin,
    width: scale * WIDTH + 2 * margin,
    height: scale * HEIGHT + 2 * margin,
  };

  // A wheel over the overview zooms the view, and neither scrolls the page nor zooms around the pointer.
  useEffect(() => {
    const element = svg.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      event.stopPropagation();
      if (event.deltaY === 0) return;
      // In proportion to the wheel's travel, as d3-zoom (React Flow's own zoom) scales it: a trackpad sends many small steps.
      const perUnit = event.deltaMode === WheelEvent.DOM_DELTA_LINE ? 0.05 : event.deltaMode ? 1 : 0.002;
      void zoomTo(getZoom() * 2 ** (-event.deltaY * perUnit));
    };
    element.addEventListener("wheel", onWheel, { passive: false });
    return () => element.removeEventListener("wheel", onWheel);
  }, [zoomTo, getZoom]);

  const centreAt = (event: PointerEvent<SVGSVGElement>) => {
    const element = svg.current;
    const screen = element?.getScreenCTM();
    if (!element || !screen) return;
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(screen.inverse());
    void setCenter(point.x, point.y, { zoom: getZoom() });
  };

  return (
    <Panel position="bottom-right" className="react-flow__minimap nopan nowheel">
      <svg
        ref={svg}
        width={WIDTH}
        height={HEIGHT}
        viewBox={`${box.x} ${box.y} ${box.width} ${box.height}`}
        className="react-flow__minimap-svg"
        role="img"
        aria-label={ariaLabel}
        // A touch drags the view here instead of scrolling the page.
        style={{ touchAction: "none" }}
        onPointerDown={(event) => {
          if (event.button !== 0) return;
          event.currentTarget.setPointerCapture(event.pointerId);
          centreAt(event);
        }}
        onPointerMove={(event) => {
          if (event.buttons & 1) centreAt(event);
        }}
      >
        {drawn.paths.map(([fill, d]) => (
          <path key={fill} d={d} fill={fill} shapeRendering="crispEdges" />
        ))}
        <path
          className="react-flow__minimap-mask"
          d={`M${box.x - margin},${box.y - margin}h${box.width + 2 * margin}v${box.height + 2 * margin}h${-box.width - 2 * margin}z
M${view.x},${view.y}h${view.width}v${view.height}h${-view.width}z`}
          fillRule="evenodd"
          pointerEvents="none"
        />
      </svg>
    </Panel>
  );
}
