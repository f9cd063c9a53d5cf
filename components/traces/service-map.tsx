"use client";
import { usePagePath } from "@/lib/queries/scope";
import { memo, useMemo } from "react";
import { useRouter } from "next/navigation";
import { Handle, Position, type Edge, type Node, type NodeProps } from "@xyflow/react";
import { FlowCanvas } from "@/components/graph/flow-canvas";
import { percent } from "@/lib/domain/format";
import type { CallStats, ServiceMapNode } from "@/lib/domain/traces";
import { useServiceMap } from "@/lib/queries/traces";
import { EmptyState } from "../ui/empty-state";
import { ErrorState } from "../ui/error-state";
import { Skeleton } from "../ui/skeleton";
import { DerivationNote, formatMs } from "./trace-bits";

const typeLabel = (type: string) =>
  ({
    application: "application",
    "AWS::Lambda": "Lambda service",
    "AWS::Lambda::Function": "Lambda function",
    "AWS::SNS::Topic": "SNS topic",
    "AWS::SQS::Queue": "SQS queue",
    remote: "remote",
  })[type] ?? type;

/** Health of a node or edge by its rates: faults are the service's own failures. */
function health(s: CallStats): "ok" | "warning" | "critical" | "unknown" {
  if (s.requests === 0) return "unknown";
  if (s.faultRate > 0) return "critical";
  if (s.errorRate > 0 || s.throttleRate > 0 || s.innerFaults > 0) return "warning";
  return "ok";
}

/** "12 req · 8 % fault · p99 340 ms": what an edge or node did, in a line. */
export function statsLine(s: CallStats): string {
  const parts = [`${s.requests} req`];
  if (s.faults) parts.push(`${percent(s.faultRate)} fault`);
  if (s.errors) parts.push(`${percent(s.errorRate)} error`);
  if (s.throttles) parts.push(`${percent(s.throttleRate)} throttled`);
  if (s.innerFaults) parts.push(`${s.innerFaults} failed inside`);
  if (s.latency.p99Ms !== null) parts.push(`p50 ${formatMs(s.latency.p50Ms)} · p99 ${formatMs(s.latency.p99Ms)}`);
  return parts.join(" · ");
}

/** An edge's line, short enough to sit between two columns: requests, failures, p99. */
function edgeLine(kind: "call" | "link", s: CallStats): string {
  const parts = [kind === "link" ? `${s.requests} delivered` : `${s.requests} req`];
  if (s.faults) parts.push(`${percent(s.faultRate)} fault`);
  if (s.errors + s.throttles) parts.push(`${percent(s.errorRate + s.throttleRate)} err`);
  if (s.latency.p99Ms !== null) parts.push(`p99 ${formatMs(s.latency.p99Ms)}`);
  return parts.join(" · ");
}

type ServiceCardData = { node: ServiceMapNode };

const ServiceCard = memo(function ServiceCard({ data }: NodeProps) {
  const { node } = data as ServiceCardData;
  const h = health(node.stats);
  return (
    <div className={`topo-card topo-health-${h}`} title={statsLine(node.stats)}>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="topo-card-head">
        <span className="topo-kind">
          {typeLabel(node.type)}
          {node.inferred ? " · inferred" : ""}
        </span>
        <span className={`topo-health topo-health-badge-${h}`}>
          {h === "critical"
            ? "faults"
            : h === "warning"
              ? node.stats.innerFaults && !node.stats.errors && !node.stats.throttles
                ? "failed inside"
                : "errors"
              : h === "ok"
                ? "OK"
                : "no calls"}
        </span>
      </div>
      <div className="topo-name">{node.name}</div>
      <div className="topo-figures">{statsLine(node.stats)}</div>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
});

const nodeTypes = { service: ServiceCard };
const colour = { ok: "#3ccf6e", warning: "#e8a200", critical: "#d93025", unknown: "#9aa4b2" };

/** The service map of a window: services and resources, edges with their request counts, rates and latency. */
export function ServiceMapPanel({ window, end }: { window: string; end?: string }) {
  const query = useServiceMap(window, end);
  const router = useRouter();
  const pagePath = usePagePath();
  const graph = useMemo(() => {
    if (!query.data) return undefined;
    const { map, positions } = query.data;
    const nodes: Node[] = map.nodes.map((n) => ({
      id: n.id,
      type: "service",
      position: positions[n.id] ?? { x: 0, y: 0 },
      width: 250,
      height: 78,
      data: { node: n } satisfies ServiceCardData,
      draggable: false,
      connectable: false,
      ariaLabel: `${typeLabel(n.type)} ${n.name}: ${statsLine(n.stats)}`,
    }));
    const edges: Edge[] = map.edges.map((e) => ({
      id: e.id,
      source: e.from,
      target: e.to,
      label: edgeLine(e.kind, e.stats),
      className: `topo-edge trace-edge-${e.kind} trace-edge-${health(e.stats)}`,
      labelBgPadding: [4, 2] as [number, number],
      focusable: false,
    }));
    return { nodes, edges };
  }, [query.data]);

  if (query.isPending) return <Skeleton rows={6} label="Building the service map" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const d = query.data;
  return (
    <>
      <DerivationNote d={d} what="Service map" />
      {d.map.unresolvedLinks > 0 ? (
        <p className="muted">
          {d.map.unresolvedLinks} links point to producer traces outside the traces read; those deliveries are not
          drawn.
        </p>
      ) : null}
      <ul className="topo-legend" aria-label="Legend">
        <li>solid edge: a call, its p99 duration</li>
        <li>
          dashed edge: messages delivered to a consumer through SQS, linked by their trace header; p99 from publish to
          invocation
        </li>
        <li>
          <span className="topo-swatch topo-health-critical" /> faults ·{" "}
          <span className="topo-swatch topo-health-warning" /> errors, throttling, or work that failed inside an
          answered call (a batch record the handler caught) · <span className="topo-swatch topo-health-ok" /> all OK
        </li>
        <li>click a node for its traces</li>
      </ul>
      {d.map.nodes.length === 0 || !graph ? (
        <EmptyState title="No traced calls in this window">
          <p className="muted">
            Choose a longer window, or check that the pipeline&apos;s functions have active tracing.
          </p>
        </EmptyState>
      ) : (
        <FlowCanvas
          nodes={graph.nodes}
          edges={graph.edges}
          nodeTypes={nodeTypes}
          onSelect={(id) => {
            const n = d.map.nodes.find((x) => x.id === id);
            if (n)
              router.push(
                pagePath(`/traces?${new URLSearchParams({ window, ...(end ? { end } : {}), service: n.name })}`),
              );
          }}
          miniMapColour={(n) => colour[health((n.data as ServiceCardData).node.stats)]}
        />
      )}
    </>
  );
}
