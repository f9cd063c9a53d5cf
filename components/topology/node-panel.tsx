"use client";
import { ScopedLink } from "@/components/ui/scoped-link";
import { useEffect, useRef } from "react";
import Link from "next/link";
import {
  nodeFigures,
  nodeId,
  nodeLinks,
  unqualifiedFunctionArn,
  type Topology,
  type TopologyEdge,
  type TopologyNode,
} from "@/lib/domain/topology";
import type { RemoteEndpoint } from "@/lib/domain/topology/model";
import { scopedPagePath } from "@/lib/domain/scope";
import { formatDuration } from "@/lib/domain/dead-letters";
import { QueueConsumers } from "../dlq/queue-consumers";
import { kindLabel } from "./kind-label";

/** Where a cross-account or cross-region endpoint is, and a link to it in its own environment when the console knows it. */
function RemoteEndpointLink({ remote }: { remote: RemoteEndpoint }) {
  const where = `account ${remote.account}, ${remote.region}`;
  if (!remote.env) return <> · in {where}, not an environment of this console</>;
  const node = remote.arn.includes(":lambda:")
    ? nodeId("function", unqualifiedFunctionArn(remote.arn))
    : nodeId("queue", remote.arn);
  const href = scopedPagePath(
    { environment: remote.env, region: remote.region },
    `/topology?node=${encodeURIComponent(node)}`,
  );
  return (
    <>
      {" "}
      · in {where}: <Link href={href}>open it in {remote.env}</Link>
    </>
  );
}

function EdgeFacts({ edge, other, outgoing }: { edge: TopologyEdge; other?: TopologyNode; outgoing: boolean }) {
  const otherName = other ? other.name : outgoing ? edge.to : edge.from;
  return (
    <li>
      <span className="muted">{outgoing ? "→" : "←"}</span> <strong>{otherName}</strong>{" "}
      <span className="muted">({edge.kind})</span>
      {edge.subscription ? (
        <div className="muted">
          filter: {edge.subscription.filterPolicySummary ?? "none: receives everything"} · scope{" "}
          {edge.subscription.scope} · {edge.subscription.rawMessageDelivery ? "raw delivery" : "SNS envelope"}
          {edge.subscription.pendingConfirmation ? " · pending confirmation" : ""}
          {edge.subscription.deadLetterTargetArn ? " · has its own DLQ" : ""}
          {edge.subscription.remote ? <RemoteEndpointLink remote={edge.subscription.remote} /> : null}{" "}
          {edge.subscription.arn.startsWith("arn:") ? (
            <ScopedLink href={`/filter-policies/${encodeURIComponent(edge.subscription.arn)}`}>
              edit filter policy
            </ScopedLink>
          ) : null}
        </div>
      ) : null}
      {edge.redrive ? (
        <div className="muted">
          {edge.redrive.via === "subscription"
            ? "messages SNS could not deliver"
            : `after ${edge.redrive.maxReceiveCount} receives`}
        </div>
      ) : null}
      {edge.eventSource ? (
        <div className="muted">
          {edge.eventSource.enabled ? "enabled" : `not consuming (${edge.eventSource.state})`} · batch{" "}
          {edge.eventSource.batchSize ?? "?"}
          {edge.eventSource.maximumConcurrency
            ? ` · max concurrency ${edge.eventSource.maximumConcurrency}`
            : ""} ·{" "}
          {edge.eventSource.reportBatchItemFailures ? "reports batch item failures" : "no partial batch responses"}
        </div>
      ) : null}
    </li>
  );
}

/** The selected node in full: why it is (un)healthy, its connections, and where to go next. */
export function NodePanel({
  topology,
  node,
  canOperate,
  onClose,
}: {
  topology: Topology;
  node: TopologyNode;
  canOperate: boolean;
  onClose(): void;
}) {
  const byId = new Map(topology.nodes.map((n) => [n.id, n]));
  const outgoing = topology.edges.filter((e) => e.from === node.id);
  const incoming = topology.edges.filter((e) => e.to === node.id);
  const warnings = topology.warnings.filter(
    (w) => w.nodeId === node.id || [...outgoing, ...incoming].some((e) => e.id === w.edgeId),
  );
  const dlqEdge = outgoing.find((e) => e.kind === "redrive");
  const dlq = dlqEdge ? byId.get(dlqEdge.to) : undefined;
  const isQueue = node.kind === "queue" || node.kind === "dlq";
  const panel = useRef<HTMLElement>(null);
  // Opening a node takes the focus to its details, so keyboard users land on what they opened.
  useEffect(() => panel.current?.focus(), [node.id]);
  return (
    <aside className="panel topo-panel" aria-labelledby="node-panel-heading" ref={panel} tabIndex={-1}>
      <div className="panel-header">
        <h2 id="node-panel-heading">{node.name}</h2>
        <button type="button" className="icon-button" aria-label="Close details" onClick={onClose}>
          ×
        </button>
      </div>
      <p>
        <span className="topo-kind">{kindLabel[node.kind]}</span> ·{" "}
        <span className={`topo-health topo-health-badge-${node.health}`}>{node.health}</span>
      </p>
      {node.reasons.length ? (
        <ul className="notes">
          {node.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
      <dl className="facts">
        <dt>ARN</dt>
        <dd className="mono">{node.arn || "—"}</dd>
        {nodeFigures(node).length ? (
          <>
            <dt>Now</dt>
            <dd>{nodeFigures(node).join(" · ")}</dd>
          </>
        ) : null}
        {node.queue ? (
          <>
            <dt>Keeps messages</dt>
            <dd>{formatDuration(node.queue.retentionSeconds)}</dd>
          </>
        ) : null}
        {node.queue?.visibilityTimeoutSeconds !== undefined ? (
          <>
            <dt>Visibility timeout</dt>
            <dd>{node.queue.visibilityTimeoutSeconds} s</dd>
          </>
        ) : null}
        {node.function?.timeoutSeconds !== undefined ? (
          <>
            <dt>Timeout</dt>
            <dd>{node.function.timeoutSeconds} s</dd>
          </>
        ) : null}
        {node.alarm?.reason ? (
          <>
            <dt>Alarm</dt>
            <dd>{node.alarm.reason}</dd>
          </>
        ) : null}
        {node.tags && Object.keys(node.tags).length ? (
          <>
            <dt>Tags</dt>
            <dd>
              {Object.entries(node.tags)
                .map(([k, v]) => `${k}=${v}`)
                .join(", ")}
            </dd>
          </>
        ) : null}
      </dl>
      <div className="row-actions">
        {node.kind === "dlq" ? (
          <ScopedLink className="button button-primary" href={`/dead-letters/${encodeURIComponent(node.name)}`}>
            Open dead letters
          </ScopedLink>
        ) : null}
        {dlq ? (
          <ScopedLink className="button" href={`/dead-letters/${encodeURIComponent(dlq.name)}`}>
            Its dead letters ({dlq.queue ? dlq.queue.visible + dlq.queue.inFlight : "?"})
          </ScopedLink>
        ) : null}
        <ScopedLink className="button" href={`/traces?service=${encodeURIComponent(node.name)}`}>
          Traces
        </ScopedLink>
        {nodeLinks(topology, node).map((l) => (
          <ScopedLink key={l.href} className="button" href={l.href}>
            {l.label}
          </ScopedLink>
        ))}
      </div>
      {isQueue && node.queue?.isSource !== false && node.kind === "queue" ? (
        <p>
          Consumer: <QueueConsumers queue={node.name} canOperate={canOperate} />
        </p>
      ) : null}
      {warnings.length ? (
        <>
          <h3>Findings</h3>
          <ul className="notes">
            {warnings.map((w) => (
              <li key={`${w.code}-${w.nodeId ?? w.edgeId}`} className={w.severity === "critical" ? "form-error" : ""}>
                {w.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h3>Connections</h3>
      {outgoing.length + incoming.length === 0 ? (
        <p className="muted">None: nothing sends to it and it sends nowhere.</p>
      ) : null}
      <ul className="plain-list topo-connections">
        {incoming.map((e) => (
          <EdgeFacts key={e.id} edge={e} other={byId.get(e.from)} outgoing={false} />
        ))}
        {outgoing.map((e) => (
          <EdgeFacts key={e.id} edge={e} other={byId.get(e.to)} outgoing />
        ))}
      </ul>
    </aside>
  );
}
