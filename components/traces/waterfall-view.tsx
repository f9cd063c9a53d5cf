"use client";
import { Fragment, useState } from "react";
import { spanTimeline, type Waterfall, type WaterfallRow } from "@/lib/domain/traces";
import { JsonTree } from "../dlq/json-tree";
import { ExceptionView, formatMs, formatTime, ResourceLink, StatusBadge } from "./trace-bits";
import { DataTable } from "@/components/ui/data-table";

function rowKind(r: WaterfallRow): string {
  if (r.kind === "segment") return r.origin ?? "application";
  return r.namespace === "aws" ? "AWS call" : r.namespace === "remote" ? "remote call" : "subsegment";
}

function RowDetails({ row }: { row: WaterfallRow }) {
  const aws = row.aws
    ? {
        ...Object.fromEntries(Object.entries(row.aws).filter(([k, v]) => k !== "other" && v !== undefined)),
        ...row.aws.other,
      }
    : undefined;
  return (
    <div className="trace-row-details">
      <dl className="trace-facts">
        <dt>id</dt>
        <dd>
          <code>{row.id}</code>
        </dd>
        <dt>offset</dt>
        <dd>+{formatMs(row.offsetMs)}</dd>
        {row.http ? (
          <>
            <dt>HTTP</dt>
            <dd>{[row.http.method, row.http.url, row.http.status].filter((x) => x !== undefined).join(" ") || "—"}</dd>
          </>
        ) : null}
        {row.resource ? (
          <>
            <dt>resource</dt>
            <dd>
              <ResourceLink resource={row.resource} />
            </dd>
          </>
        ) : null}
      </dl>
      {aws && Object.keys(aws).length > 0 ? <JsonTree value={aws} label="AWS" /> : null}
      {Object.keys(row.annotations).length > 0 ? <JsonTree value={row.annotations} label="annotations" /> : null}
      {row.metadata ? <JsonTree value={row.metadata} label="metadata" defaultOpenDepth={1} /> : null}
      {row.exceptions.map((e, i) => (
        <ExceptionView key={e.id ?? i} exception={e} />
      ))}
    </div>
  );
}

/**
 * One trace as a waterfall: every segment and subsegment on a shared time axis, nested as they
 * called each other; a row opens to its AWS data, annotations, metadata and exceptions. Where it
 * failed is listed first.
 */
export function WaterfallView({ waterfall: w, title }: { waterfall: Waterfall; title?: string }) {
  const failedIds = new Set(w.failures.map((f) => f.rowId));
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set(w.failures.slice(0, 1).map((f) => f.rowId)));
  const toggle = (id: string) =>
    setOpen((prev) => (prev.has(id) ? new Set([...prev].filter((x) => x !== id)) : new Set([...prev, id])));
  const byId = new Map(w.rows.map((r) => [r.id, r]));
  return (
    <div className="trace-waterfall">
      <p className="muted">
        {title ? <strong>{title} · </strong> : null}
        trace <code>{w.traceId}</code> · started {w.start ? formatTime(w.start) : "—"} · {formatMs(w.durationMs)} ·{" "}
        <StatusBadge status={w.status} /> · {w.rows.length} spans
        {w.unreadable ? ` · ${w.unreadable} segment document${w.unreadable === 1 ? "" : "s"} could not be read` : ""}
      </p>
      {w.failures.length > 0 ? (
        <div className="trace-failures" role="region" aria-label="Where it failed">
          <h3>Where it failed</h3>
          {w.failures.map((f) => {
            const row = byId.get(f.rowId);
            return (
              <div key={f.rowId} className="trace-failure">
                <p>
                  <StatusBadge status={f.status} /> in <strong>{row?.name}</strong>{" "}
                  <span className="muted">
                    ({row ? rowKind(row) : ""}
                    {row?.service && row.service !== row.name ? ` of ${row.service}` : ""})
                  </span>
                  {row?.resource ? (
                    <>
                      {" "}
                      · <ResourceLink resource={row.resource} />
                    </>
                  ) : null}
                </p>
                {f.exceptions.map((e, i) => (
                  <ExceptionView key={e.id ?? i} exception={e} />
                ))}
              </div>
            );
          })}
        </div>
      ) : null}
      <DataTable
        label="Trace segments"
        className="trace-rows"
        caption={`Segments and subsegments of trace ${w.traceId}`}
        captionHidden
        columns={[
          "Span",
          "Status",
          { label: `Timeline (0 – ${formatMs(w.durationMs)})`, className: "trace-axis-head" },
          "Duration",
        ]}
      >
        {w.rows.map((r) => {
          const bar = spanTimeline(w, r);
          const isOpen = open.has(r.id);
          return (
            <Fragment key={r.id}>
              <tr className={failedIds.has(r.id) ? "trace-row trace-row-failed" : "trace-row"}>
                <td style={{ paddingLeft: `${0.5 + r.depth * 1.1}rem` }}>
                  <button type="button" className="link-button" aria-expanded={isOpen} onClick={() => toggle(r.id)}>
                    {isOpen ? "▾" : "▸"} {r.name}
                  </button>{" "}
                  <span className="muted">{rowKind(r)}</span>
                </td>
                <td>
                  <StatusBadge status={r.status} />
                </td>
                <td className="trace-axis">
                  <span
                    className={`trace-bar trace-bar-${r.status}${r.inProgress ? " trace-bar-open" : ""}`}
                    style={{ left: `${bar.leftPct}%`, width: `${bar.widthPct}%` }}
                    aria-hidden="true"
                  />
                </td>
                <td>{formatMs(r.durationMs)}</td>
              </tr>
              {isOpen ? (
                <tr className="trace-row-open">
                  <td colSpan={4}>
                    <RowDetails row={r} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          );
        })}
      </DataTable>
    </div>
  );
}
