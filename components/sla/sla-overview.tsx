"use client";
import { ScopedLink } from "@/components/ui/scoped-link";
import { useState, type ReactNode } from "react";
import {
  BURN_WINDOWS,
  resourceChartsHref,
  SLO_STATUS_LABELS,
  worseStatus,
  type BurnLevel,
  type BurnWindow,
} from "@/lib/domain/sla";
import { percent, plural } from "@/lib/domain/format";
import { useSla, type SlaView } from "@/lib/queries/sla";
import { EmptyState } from "../ui/empty-state";
import { ErrorState } from "../ui/error-state";
import { Skeleton } from "../ui/skeleton";
import { useSlaWindow, WindowPicker } from "./window-picker";
import { DataTable } from "@/components/ui/data-table";

type Service = SlaView["services"][number];
type Figures = NonNullable<SlaView["endToEnd"]>;

const kindTitle = {
  topic: "SNS delivery",
  queue: "SQS processing",
  function: "Lambda invocations",
  path: "Subscription paths",
} as const;

function BudgetBar({ remaining }: { remaining: number | null }) {
  if (remaining === null) return <span className="muted">budget: no data</span>;
  const clamped = Math.max(0, Math.min(1, remaining));
  return (
    <span className="budget-bar" title={`error budget remaining over 30 days: ${percent(remaining, 1)}`}>
      <span className={`budget-fill ${remaining < 0.25 ? "budget-low" : ""}`} style={{ width: `${clamped * 100}%` }} />
      <span className="budget-text">{percent(remaining, 1)} of budget left</span>
    </span>
  );
}

/** Each window's burn rate, coloured by the level lib/domain/sla gives it (burnLevel). */
function BurnBadges({
  rates,
  levels,
}: {
  rates: Record<BurnWindow, number | null>;
  levels: Record<BurnWindow, BurnLevel>;
}) {
  return (
    <span className="burn-badges">
      {BURN_WINDOWS.map((w) => {
        const r = rates[w];
        return (
          <span
            key={w}
            className={`burn burn-${levels[w]}`}
            title={`burn rate over ${w}: ${r === null ? "no data" : `${r.toFixed(2)}×`}`}
          >
            {w} {r === null ? "–" : `${r.toFixed(1)}×`}
          </span>
        );
      })}
    </span>
  );
}

/** The SLI over the window's twelve slices; gaps where there was no traffic; the objective as a line. */
function Sparkline({ trend, target }: { trend: Figures["trend"]; target: number }) {
  const values = trend.map((t) => t.sli).filter((v): v is number => v !== null);
  if (values.length < 2) return <p className="muted sparkline-empty">trend: not enough traffic</p>;
  const low = Math.min(target, ...values) - 0.0005;
  const high = 1;
  const y = (v: number) => 28 - ((v - low) / (high - low)) * 26;
  const x = (i: number) => (i / (trend.length - 1)) * 118 + 1;
  const runs: string[][] = [[]];
  trend.forEach((t, i) => {
    if (t.sli === null) runs.push([]);
    else runs.at(-1)!.push(`${x(i).toFixed(1)},${y(t.sli).toFixed(1)}`);
  });
  return (
    <svg
      className="sparkline"
      viewBox="0 0 120 30"
      role="img"
      aria-label={`SLI trend over the window, from ${percent(values[0]!, 3)} to ${percent(values.at(-1)!, 3)}`}
    >
      <line x1="0" x2="120" y1={y(target)} y2={y(target)} className="sparkline-target" />
      {runs
        .filter((r) => r.length > 0)
        .map((r, i) =>
          r.length === 1 ? (
            <circle key={i} cx={r[0]!.split(",")[0]} cy={r[0]!.split(",")[1]} r="1.5" className="sparkline-dot" />
          ) : (
            <polyline key={i} points={r.join(" ")} className="sparkline-line" />
          ),
        )}
    </svg>
  );
}

/**
 * A figure's card: its headline says what the big number is (an aggregate, or which member when
 * it is one member's), and every figure names its window.
 */
function FiguresCard({
  title,
  headline,
  figures,
  window,
  detail,
  status = figures.status,
  children,
}: {
  title: string;
  headline: string;
  figures: Figures;
  window: string;
  detail?: string;
  /** The card's colour when it shows more than this figure. */
  status?: Figures["status"];
  children?: ReactNode;
}) {
  const s = figures.status;
  return (
    <section className={`panel sla-card sla-${status}`} aria-label={title}>
      <h2>{title}</h2>
      <p className="muted sla-headline">{headline}</p>
      <p className="sla-sli" title={`SLI over ${window}`}>
        {percent(figures.sli, 3)}
      </p>
      <p className="muted">
        SLI over {window} · objective {percent(figures.target, 2)} ·{" "}
        <strong className={`sla-status-${s}`}>{SLO_STATUS_LABELS[s]}</strong>
        {figures.firing.length ? ` · ${figures.firing[0]!.label}` : ""}
      </p>
      <BudgetBar remaining={figures.errorBudgetRemaining} />
      <BurnBadges rates={figures.burnRates} levels={figures.burnLevels} />
      <Sparkline trend={figures.trend} target={figures.target} />
      <p className="muted">
        {figures.counts.good.toLocaleString()} good · {figures.counts.bad.toLocaleString()} bad in {window}
        {detail ? ` · ${detail}` : ""}
      </p>
      {children}
    </section>
  );
}

/** A resource's charts, as the API names them (a path's are its queue's). */
function chartsHref(s: Service): string {
  return resourceChartsHref(s.charts);
}

/** A row that needs a look: its figure or its records at risk or breached. */
function troubled(s: Service): boolean {
  const status = worseStatus(s.status, s.records?.status ?? "no-data");
  return status === "at-risk" || status === "breached";
}

const kindNoun = { topic: "topic", queue: "queue", function: "function", path: "path" } as const;

/** The member with the least budget left, among those with traffic. */
function worstOf<T extends { sli: number | null; errorBudgetRemaining: number | null }>(members: T[]): T | undefined {
  return [...members]
    .filter((m) => m.sli !== null)
    .sort((a, b) => (a.errorBudgetRemaining ?? Infinity) - (b.errorBudgetRemaining ?? Infinity))[0];
}

/**
 * A function's records apart from its invocations: what it dead-lettered from the queues it
 * consumes (batch item failures are no Lambda error), and what its traces recorded.
 */
function RecordsFigures({ records, window, worst }: { records: Figures; window: string; worst?: Service }) {
  const traced = worst?.records?.traced;
  return (
    <div className="sla-records" role="group" aria-label="Records">
      <p>
        <strong>Records</strong> <span className="muted">(failures reported per record, not Lambda errors)</span>:{" "}
        {percent(records.sli, 3)} processed over {window} ·{" "}
        <strong className={`sla-status-${records.status}`}>{SLO_STATUS_LABELS[records.status]}</strong>
      </p>
      <p className="muted">
        {records.counts.bad.toLocaleString()} of {(records.counts.good + records.counts.bad).toLocaleString()} records
        dead-lettered in {window}
        {worst?.records ? ` · worst: ${worst.resource} ${percent(worst.records.sli, 3)}` : ""}
      </p>
      {traced ? (
        <p className="muted">
          traced: {traced.failed} of {traced.records} records failed in {traced.invocations} invocations of{" "}
          {worst!.resource} (newest {traced.traces} traces of {window})
        </p>
      ) : null}
    </div>
  );
}

function KindCard({
  kind,
  services,
  aggregate,
  window,
}: {
  kind: Service["kind"];
  services: Service[];
  aggregate: SlaView["kinds"][Service["kind"]];
  window: string;
}) {
  const [open, setOpen] = useState(false);
  const measured = services.filter((s) => s.sli !== null);
  const worst = worstOf(measured);
  const meeting = measured.filter((s) => s.status === "ok").length;
  const firing = services.flatMap((s) => s.alarms.filter((a) => a.state === "ALARM"));
  const worstConsumer = worstOf(services.flatMap((s) => (s.records ? [{ ...s.records, service: s }] : [])))?.service;
  const meetingLine = `${meeting} of ${measured.length} with traffic meeting the objective`;
  // A path's aggregate is the end-to-end card's figure: its card names its worst path instead.
  const card =
    aggregate && worst && kind !== "path" ? (
      <FiguresCard
        title={kindTitle[kind]}
        headline={`all ${plural(aggregate.members, kindNoun[kind])} together`}
        figures={aggregate}
        window={window}
        detail={measured.length > 1 ? `worst: ${worst.resource} ${percent(worst.sli, 3)}; ${meetingLine}` : meetingLine}
        status={aggregate.records ? worseStatus(aggregate.status, aggregate.records.status) : aggregate.status}
      >
        {aggregate.records ? (
          <RecordsFigures
            records={aggregate.records}
            window={window}
            {...(worstConsumer ? { worst: worstConsumer } : {})}
          />
        ) : null}
      </FiguresCard>
    ) : worst ? (
      <FiguresCard
        title={kindTitle[kind]}
        headline={`worst: ${worst.resource}`}
        figures={worst}
        window={window}
        detail={meetingLine}
      />
    ) : null;
  return (
    <div className="stack">
      {card ?? (
        <section className="panel sla-card sla-no-data" aria-label={kindTitle[kind]}>
          <h2>{kindTitle[kind]}</h2>
          <p className="sla-sli">no data</p>
          <p className="muted">
            No traffic in {window} for any of its {services.length} resources.
          </p>
        </section>
      )}
      {firing.length ? (
        <p className="form-error" role="status">
          {firing.length} alarm{firing.length === 1 ? "" : "s"} in ALARM: {firing.map((a) => a.name).join(", ")}
        </p>
      ) : null}
      <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? "Hide" : "Show"} each {kind} ({services.length})
      </button>
      {open ? (
        <DataTable
          label={`${kindTitle[kind]} per resource`}
          columns={["Resource", `SLI (${window})`, "Budget (30 d)", "Burn", "Alarms"]}
        >
          {services.map((s) => (
            <tr key={`${s.kind}-${s.resource}`} className={troubled(s) ? "row-trouble" : ""}>
              <td>
                <ScopedLink href={chartsHref(s)}>{s.resource}</ScopedLink>
                {s.nodeId ? (
                  <div>
                    <ScopedLink className="muted" href={`/topology?node=${encodeURIComponent(s.nodeId)}`}>
                      node
                    </ScopedLink>
                  </div>
                ) : null}
                {s.note ? <div className="muted">{s.note}</div> : null}
              </td>
              <td>
                {percent(s.sli, 3)}
                <div className="muted">
                  {s.counts.good} good · {s.counts.bad} bad
                </div>
                {s.records ? (
                  <div className={s.records.status === "ok" || s.records.status === "no-data" ? "muted" : "form-error"}>
                    records: {percent(s.records.sli, 3)} · {s.records.counts.bad} of{" "}
                    {s.records.counts.good + s.records.counts.bad} dead-lettered
                    {s.records.traced
                      ? ` · traced: ${s.records.traced.failed} of ${s.records.traced.records} failed`
                      : ""}
                  </div>
                ) : null}
              </td>
              <td>
                <BudgetBar remaining={s.errorBudgetRemaining} />
              </td>
              <td>
                <BurnBadges rates={s.burnRates} levels={s.burnLevels} />
                {s.firing.map((a) => (
                  <div key={a.tier} className={a.severity === "page" ? "form-error" : "muted"}>
                    {a.label}
                  </div>
                ))}
              </td>
              <td>
                {s.alarms.length ? (
                  s.alarms.map((a) => (
                    <div key={a.name} className={a.state === "ALARM" ? "form-error" : "muted"} title={a.reason}>
                      {`${a.name}: ${a.state}`}
                      {a.updatedAt ? ` since ${new Date(a.updatedAt).toLocaleString()}` : ""}
                    </div>
                  ))
                ) : (
                  <span className="muted">none</span>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </div>
  );
}

/** The SLA page: end to end first, then one card per service kind, each expandable to its resources. */
export function SlaOverview() {
  const { window, note, choose } = useSlaWindow();
  const sla = useSla(window);
  const picker = <WindowPicker window={window} {...(note ? { note } : {})} onChoose={choose} />;
  if (sla.isPending)
    return (
      <>
        {picker}
        <Skeleton rows={6} label="Reading CloudWatch" />
      </>
    );
  if (sla.isError)
    return (
      <>
        {picker}
        <ErrorState error={sla.error} onRetry={() => void sla.refetch()} />
      </>
    );
  const view = sla.data;
  // Set for a caller whose bindings reach some resources only: say what is left out, never pretend it is not there.
  const outside = view.hidden
    ? `${plural(view.hidden, "measured resource")} ${view.hidden === 1 ? "is" : "are"} outside your bindings.`
    : undefined;
  if (view.services.length === 0)
    return (
      <>
        {picker}
        <EmptyState
          title={
            outside
              ? `Nothing to measure: ${outside}`
              : "No topics, queues or functions to measure in this account and region."
          }
        />
      </>
    );
  const kinds = (["path", "topic", "queue", "function"] as const).filter((k) =>
    view.services.some((s) => s.kind === k),
  );
  return (
    <div className="stack">
      <div className="toolbar">
        {picker}
        <span className="muted" role="status">
          window {window} · budget over 30 days · collected {new Date(view.collectedAt).toLocaleTimeString()}
        </span>
      </div>
      {outside ? (
        <p className="muted" role="note">
          {outside}
        </p>
      ) : null}
      <div className="sla-grid">
        {view.endToEnd ? (
          <FiguresCard
            title="End to end"
            headline="every subscription path together"
            figures={view.endToEnd}
            window={window}
          />
        ) : (
          <section className="panel sla-card sla-no-data" aria-label="End to end">
            <h2>End to end</h2>
            <p className="sla-sli">not shown</p>
            <p className="muted">It counts subscription paths outside your bindings.</p>
          </section>
        )}
        {kinds.map((k) => (
          <KindCard
            key={k}
            kind={k}
            services={view.services.filter((s) => s.kind === k)}
            aggregate={view.kinds[k]}
            window={window}
          />
        ))}
      </div>
      <section className="panel" aria-label="Latency">
        <h2>Latency</h2>
        <DataTable label="Latency objectives" columns={["Resource", "Measure", "Now", "Objective"]}>
          {view.latency.map((l) => {
            const breached = l.status === "breached";
            return (
              <tr key={`${l.kind}-${l.resource}`} className={breached ? "row-trouble" : ""}>
                <td>{l.resource}</td>
                <td>
                  {l.kind === "queue-age"
                    ? "age of the oldest message (latest minute)"
                    : "duration p99 over the window"}
                </td>
                <td>
                  {l.value === null ? (
                    <span className="muted">no data</span>
                  ) : l.kind === "queue-age" ? (
                    `${Math.round(l.value)} s`
                  ) : (
                    `${Math.round(l.value)} ms`
                  )}
                  {breached ? <strong className="sla-status-breached"> · breached</strong> : null}
                  {l.source ? <div className="muted">{l.source}</div> : null}
                </td>
                <td>{l.kind === "queue-age" ? `≤ ${l.threshold} s` : `≤ ${l.threshold} ms`}</td>
              </tr>
            );
          })}
        </DataTable>
      </section>
      <ul className="muted notes">
        {view.notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    </div>
  );
}
