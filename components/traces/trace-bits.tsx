"use client";
import { ScopedLink } from "@/components/ui/scoped-link";
import type { ResourceRef, TraceException, TraceStatus } from "@/lib/domain/traces";
import { nodeId } from "@/lib/domain/topology";
import type { TraceList } from "@/lib/queries/traces";

/** Small pieces shared by the trace list, the trace view and a message's story. */

const statusWords: Record<TraceStatus, string> = { ok: "OK", error: "error", throttle: "throttled", fault: "fault" };

/** The status in words and colour, never colour alone. */
export function StatusBadge({ status }: { status: TraceStatus }) {
  return <span className={`trace-status trace-status-${status}`}>{statusWords[status]}</span>;
}

export function formatMs(ms: number | null): string {
  if (ms === null) return "in progress";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export const formatTime = (ms: number) =>
  new Date(ms).toLocaleString(undefined, { dateStyle: "short", timeStyle: "medium" });

const kindWords: Record<ResourceRef["kind"], string> = { topic: "topic", queue: "queue", function: "function" };

/** A resource named by a trace, linked to its node in the topology (when its ARN is known) and to its charts. */
export function ResourceLink({ resource }: { resource: ResourceRef }) {
  const charts = `/dashboards/resource?kind=${resource.kind}&name=${encodeURIComponent(resource.name)}`;
  return (
    <span className="trace-resource">
      <span className="muted">{kindWords[resource.kind]}</span>{" "}
      {resource.arn ? (
        <ScopedLink href={`/topology?node=${encodeURIComponent(nodeId(resource.kind, resource.arn))}`}>
          {resource.name}
        </ScopedLink>
      ) : (
        <span>{resource.name}</span>
      )}{" "}
      <ScopedLink className="muted" href={charts} aria-label={`charts of ${resource.name}`}>
        charts
      </ScopedLink>
    </span>
  );
}

/** One exception: type, message, and its stack frames as text; a stack shown before can start folded. */
export function ExceptionView({ exception, foldStack = false }: { exception: TraceException; foldStack?: boolean }) {
  const stack =
    exception.stack.length > 0 ? (
      <ol className="trace-stack">
        {exception.stack.map((f, i) => (
          <li key={i}>
            <code>
              {f.label ?? "(anonymous)"}
              {f.path ? ` ${f.path}${f.line !== undefined ? `:${f.line}` : ""}` : ""}
            </code>
          </li>
        ))}
        {exception.truncated ? <li className="muted">… {exception.truncated} more frames not recorded</li> : null}
      </ol>
    ) : (
      <p className="muted">No stack trace was recorded.</p>
    );
  return (
    <div className="trace-exception">
      <p className="trace-exception-head">
        <strong>{exception.type ?? "Exception"}</strong>
        {exception.message ? <>: {exception.message}</> : null}
        {exception.remote ? <span className="muted"> (returned by a downstream service)</span> : null}
      </p>
      {foldStack && exception.stack.length > 0 ? (
        <details>
          <summary className="muted">stack, the same as above</summary>
          {stack}
        </details>
      ) : (
        stack
      )}
    </div>
  );
}

/** What the answer was computed from, so a partial view never passes for a whole one. */
export function DerivationNote({
  d,
  what,
}: {
  d: Pick<TraceList, "source" | "inWindow" | "derivedFrom" | "capped" | "transactionSearch">;
  what: string;
}) {
  const sampled = d.transactionSearch ? <TransactionSearchNote note={d.transactionSearch.note} /> : null;
  if (d.source === "endpoint") {
    return (
      <>
        {sampled}
        <p className="muted">
          {what} as X-Ray computed it{d.capped ? "; more traces matched than were read" : ""}.
        </p>
      </>
    );
  }
  return (
    <>
      {sampled}
      <p className="muted" role="note">
        {what} derived here from {d.derivedFrom} trace{d.derivedFrom === 1 ? "" : "s"}
        {d.capped ? `, the newest of ${d.inWindow}${d.inWindow >= 1000 ? "+" : ""} in the window` : ""}: this endpoint
        does not {what === "Service map" ? "build a service graph" : "evaluate filter expressions"}.
      </p>
    </>
  );
}

/** The account uses CloudWatch Transaction Search: what that means for the view, as the server says it. */
export function TransactionSearchNote({ note }: { note: string }) {
  return (
    <p className="muted trace-transaction-search" role="note">
      {note}
    </p>
  );
}
