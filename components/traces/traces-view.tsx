"use client";
import { ScopedLink } from "@/components/ui/scoped-link";
import { useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { localDateTimeInput } from "@/lib/domain/format";
import { traceWindowFor } from "@/lib/domain/time-window";
import { TRACE_WINDOW_NAMES, type TraceWindow } from "@/lib/domain/traces/windows";
import { useTraceList, type TraceFilters } from "@/lib/queries/traces";
import { EmptyState } from "../ui/empty-state";
import { ErrorState } from "../ui/error-state";
import { HiddenByBindings } from "../ui/hidden-by-bindings";
import { lazyComponent } from "../ui/lazy-component";
import { Skeleton } from "../ui/skeleton";
import { Tabs } from "../ui/tabs";
import { useSearchParamsSetter } from "../ui/use-search-params-setter";
import { useSharedWindow } from "../ui/use-shared-window";
import { DerivationNote, formatMs, formatTime, StatusBadge } from "./trace-bits";
import { DataTable } from "@/components/ui/data-table";

const STATUSES = [
  ["", "any"],
  ["failed", "not OK"],
  ["fault", "fault (5XX, function error)"],
  ["error", "error (4XX)"],
  ["throttle", "throttled (429)"],
  ["ok", "OK"],
] as const;

// The map draws with the graph library, most of the page's weight: it loads when the map is opened.
const ServiceMapPanel = lazyComponent(
  () => import("./service-map").then((m) => m.ServiceMapPanel),
  () => <Skeleton rows={6} label="Building the service map" />,
);

const VIEWS = [
  { value: "list", label: "Traces" },
  { value: "map", label: "Service map" },
] as const;

/** An ISO time as a datetime-local input shows it: local time, to the minute. */
function filtersFrom(params: URLSearchParams, window: TraceWindow): TraceFilters {
  const f: TraceFilters = { window };
  const service = params.get("service");
  if (service) f.service = service;
  for (const key of ["status", "minDurationMs", "annotation", "end"] as const) {
    const v = params.get(key);
    if (v) f[key] = v;
  }
  return f;
}

/** The traces page: a filterable list of the window's traces, and the service map. */
export function TracesView() {
  const params = useSearchParams();
  const go = useSearchParamsSetter();
  const shared = useSharedWindow(traceWindowFor);
  const filters = filtersFrom(params, shared.window);
  const view = params.get("view") === "map" ? "map" : "list";
  const [draft, setDraft] = useState(filters);
  const list = useTraceList(filters, view === "list");

  /** Binds a filter field to the draft, which applies on submit. */
  const draftField = (key: "service" | "status" | "minDurationMs" | "annotation") => ({
    name: key,
    value: draft[key] ?? "",
    onChange: (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value }),
  });

  const apply = (e: FormEvent) => {
    e.preventDefault();
    go({
      service: draft.service?.trim(),
      status: draft.status,
      minDurationMs: draft.minDurationMs,
      annotation: draft.annotation?.trim(),
    });
  };

  return (
    <>
      <div className="toolbar">
        <Tabs
          label="View"
          tabs={VIEWS}
          selected={view}
          onSelect={(next) => go({ view: next === "list" ? undefined : next })}
        />
        <label className="field-row">
          Window
          <select value={filters.window} onChange={(e) => shared.choose(e.target.value as TraceWindow)}>
            {TRACE_WINDOW_NAMES.map((w) => (
              <option key={w} value={w}>
                {filters.end ? w : `last ${w}`}
              </option>
            ))}
          </select>
        </label>
        <label className="field-row">
          ending
          <input
            type="datetime-local"
            className="text-input"
            value={filters.end ? localDateTimeInput(filters.end) : ""}
            onChange={(e) => go({ end: e.target.value ? new Date(e.target.value).toISOString() : undefined })}
          />
        </label>
        {filters.end ? (
          <button type="button" className="button" onClick={() => go({ end: undefined })}>
            Now
          </button>
        ) : null}
        {shared.note ? <span className="muted">{shared.note}</span> : null}
      </div>
      {view === "map" ? (
        <ServiceMapPanel window={filters.window} {...(filters.end ? { end: filters.end } : {})} />
      ) : (
        <>
          <form className="toolbar" onSubmit={apply} aria-label="Filter traces">
            <label className="field-row">
              Service or resource
              <input
                className="text-input"
                {...draftField("service")}
                placeholder="e.g. billing"
                size={18}
                list="trace-services"
              />
            </label>
            <datalist id="trace-services">
              {[...new Set((list.data?.items ?? []).flatMap((i) => [...i.services, ...i.resources.map((r) => r.name)]))]
                .sort()
                .map((s) => (
                  <option key={s} value={s} />
                ))}
            </datalist>
            <label className="field-row">
              Status
              <select {...draftField("status")}>
                {STATUSES.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <label className="field-row">
              Min duration (ms)
              <input className="text-input trace-number" {...draftField("minDurationMs")} type="number" min={0} />
            </label>
            <label className="field-row">
              Annotation
              <input className="text-input" {...draftField("annotation")} placeholder="key=value" size={14} />
            </label>
            <button type="submit" className="button button-primary">
              Apply
            </button>
            <button
              type="button"
              className="button"
              onClick={() => {
                setDraft({ window: filters.window });
                go({ service: undefined, status: undefined, minDurationMs: undefined, annotation: undefined });
              }}
            >
              Clear
            </button>
          </form>
          <TraceListBody list={list} />
        </>
      )}
    </>
  );
}

const PAGE = 50;

function TraceListBody({ list }: { list: ReturnType<typeof useTraceList> }) {
  const [shown, setShown] = useState(PAGE);
  if (list.isPending) return <Skeleton rows={6} label="Reading traces" />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  const d = list.data;
  return (
    <>
      <DerivationNote d={d} what="This list" />
      <HiddenByBindings hidden={d.hidden} one="trace" />
      {d.queue ? (
        <p className="muted">
          {d.queue.name} is a queue: a consumer&apos;s trace names its function, not the queue, so this list also shows
          the traces of {d.queue.consumers.length > 0 ? d.queue.consumers.join(", ") : "its consumers (it has none)"}.
        </p>
      ) : null}
      {d.items.length === 0 ? (
        <EmptyState title={d.inWindow === 0 ? "No traces in this window" : "No trace matches these filters"}>
          <p className="muted">
            {d.inWindow === 0
              ? "Nothing was sampled, or tracing is off for the pipeline's functions. Try a longer window."
              : "Loosen a filter or choose a longer window."}
          </p>
        </EmptyState>
      ) : (
        <DataTable
          label="Traces"
          className="trace-table"
          caption="Traces, newest first"
          captionHidden
          columns={["Start", "Duration", "Status", "Entry", "Resources", "Annotations"]}
        >
          {d.items.slice(0, shown).map((t) => (
            <tr key={t.id}>
              <td>
                <ScopedLink href={`/traces/${encodeURIComponent(t.id)}`} title={t.id}>
                  {formatTime(t.start)}
                </ScopedLink>
              </td>
              <td>{formatMs(t.durationMs)}</td>
              <td>
                <StatusBadge status={t.status} />
              </td>
              <td>
                {t.entry?.name ?? "—"}
                {t.entry?.origin ? <span className="muted"> {t.entry.origin}</span> : null}
                {t.linkedTraceIds.length > 0 ? (
                  <span className="muted">
                    {" "}
                    · consumed {t.linkedTraceIds.length} message{t.linkedTraceIds.length === 1 ? "" : "s"}
                  </span>
                ) : null}
              </td>
              <td>{t.resources.map((r) => r.name).join(", ") || "—"}</td>
              <td>
                {Object.entries(t.annotations)
                  .map(([k, v]) => `${k}=${String(v)}`)
                  .join(", ") || <span className="muted">none</span>}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {d.items.length > shown ? (
        <p>
          <button type="button" className="button" onClick={() => setShown(shown + PAGE)}>
            Show {Math.min(PAGE, d.items.length - shown)} more ({d.items.length - shown} not shown)
          </button>
        </p>
      ) : d.items.length > 0 ? (
        <p className="muted">
          {d.items.length} trace{d.items.length === 1 ? "" : "s"}.
        </p>
      ) : null}
    </>
  );
}
