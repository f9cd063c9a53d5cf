"use client";
import { ScopedLink } from "@/components/ui/scoped-link";
import { lazyComponent } from "../ui/lazy-component";
import { useSearchParams } from "next/navigation";
import type { ResourceChart, ResourceKind } from "@/lib/operations/resource-metrics";
import { useSlaWindow, WindowPicker } from "./window-picker";
import { useResourceMetrics } from "@/lib/queries/sla";
import { ErrorState } from "../ui/error-state";
import { Skeleton } from "../ui/skeleton";

// The charting library weighs more than the rest of the page: it loads after the page, in the charts' boxes.
const MetricLineChart = lazyComponent(
  () => import("./metric-line-chart").then((m) => m.MetricLineChart),
  () => <Skeleton rows={1} label="Drawing the chart" />,
);

/** A chart's points as rows: one per timestamp, one column per series. */
function rowsOf(chart: ResourceChart): Array<Record<string, number>> {
  const byTime = new Map<number, Record<string, number>>();
  for (const s of chart.series)
    for (const p of s.points) byTime.set(p.at, { ...(byTime.get(p.at) ?? { at: p.at }), [s.label]: p.value });
  return [...byTime.values()].sort((a, b) => a.at! - b.at!);
}

function downloadCsv(resource: string, chart: ResourceChart) {
  const labels = chart.series.map((s) => s.label);
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [
    ["time", ...labels].map(quote).join(","),
    ...rowsOf(chart).map((r) =>
      [new Date(r.at!).toISOString(), ...labels.map((l) => (r[l] === undefined ? "" : String(r[l])))].join(","),
    ),
  ];
  const url = URL.createObjectURL(new Blob([`${lines.join("\n")}\n`], { type: "text/csv" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = `${resource}-${chart.id}.csv`;
  a.click();
  URL.revokeObjectURL(url);
}

function Chart({ resource, chart }: { resource: string; chart: ResourceChart }) {
  const rows = rowsOf(chart);
  return (
    <section className="panel" aria-label={chart.title}>
      <div className="panel-header">
        <h2>
          {chart.title} <span className="muted">({chart.unit})</span>
        </h2>
        <button
          type="button"
          className="button"
          disabled={rows.length === 0}
          onClick={() => downloadCsv(resource, chart)}
        >
          CSV
        </button>
      </div>
      {chart.note ? <p className="muted">{chart.note}</p> : null}
      {rows.length === 0 ? (
        <p className="muted">No datapoints in this window.</p>
      ) : (
        <div className="chart-box">
          <MetricLineChart chart={chart} rows={rows} />
        </div>
      )}
    </section>
  );
}

/** Every chart of one resource over a chosen window, with links to its node and traces. */
export function ResourceCharts() {
  const params = useSearchParams();
  const { window, note, choose } = useSlaWindow();
  const kind = (params.get("kind") ?? "queue") as ResourceKind;
  const name = params.get("name") ?? "";
  const metrics = useResourceMetrics(kind, name, window);
  return (
    <div className="stack">
      <div className="toolbar">
        <WindowPicker window={window} {...(note ? { note } : {})} onChoose={choose} />
        {metrics.data?.nodeId ? (
          <ScopedLink href={`/topology?node=${encodeURIComponent(metrics.data.nodeId)}`}>
            its node in the topology
          </ScopedLink>
        ) : null}
        <ScopedLink href={`/traces?service=${encodeURIComponent(name)}`}>its traces</ScopedLink>
        {metrics.data ? (
          <span className="muted">
            one point per{" "}
            {metrics.data.period >= 3600 ? `${metrics.data.period / 3600} h` : `${metrics.data.period / 60} min`}
          </span>
        ) : null}
      </div>
      {metrics.isPending ? (
        <Skeleton rows={6} label="Reading CloudWatch" />
      ) : metrics.isError ? (
        <ErrorState error={metrics.error} onRetry={() => void metrics.refetch()} />
      ) : (
        <div className="chart-grid">
          {metrics.data.charts.map((c) => (
            <Chart key={c.id} resource={name} chart={c} />
          ))}
        </div>
      )}
    </div>
  );
}
