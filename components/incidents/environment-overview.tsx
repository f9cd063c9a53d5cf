"use client";
import Link from "next/link";
import { useId, type ReactNode } from "react";
import type { UseQueryResult } from "@tanstack/react-query";
import type { EnvironmentKind, EnvironmentListing } from "@/lib/domain/environments";
import { percent, plural } from "@/lib/domain/format";
import { budgetLeft, SOURCE_LABELS, type Read } from "@/lib/domain/incidents";
import { deadLetterTrend, type ScopeHealth, type ScopeSummary } from "@/lib/domain/overview";
import { scopedPagePath, type Scope } from "@/lib/domain/scope";
import { SLO_STATUS_LABELS } from "@/lib/domain/sla";
import { useScopeOverviews, type ScopeOverview } from "@/lib/queries/overview";
import { DataTable } from "../ui/data-table";
import { hiddenByBindings } from "../ui/hidden-by-bindings";

const HEALTH_BADGES: Record<ScopeHealth | "failed", { label: string; className: string }> = {
  critical: { label: "Critical", className: "incident-badge-critical" },
  warning: { label: "Warning", className: "incident-badge-warning" },
  unknown: { label: "Not all read", className: "overview-health-unknown" },
  ok: { label: "OK", className: "overview-health-ok" },
  failed: { label: "Not read", className: "incident-badge-critical" },
};

function HealthBadge({ health }: { health: ScopeHealth | "failed" }) {
  const { label, className } = HEALTH_BADGES[health];
  return <span className={`incident-badge ${className}`}>{label}</span>;
}

const KIND_LABELS: Record<EnvironmentKind, string> = {
  production: "Production",
  staging: "Staging",
  development: "Development",
  other: "Other",
};

const COLUMNS = [
  "Environment",
  "Health",
  "Dead letters",
  "End to end",
  "Alerts firing",
  "Alarms firing",
  "Redrive jobs",
];

/**
 * Where is it broken? A row per environment and region the user may see, each asked on its own so
 * that it shows as soon as that environment answers (and a slow or broken one holds up no other),
 * with links into that environment's pages. In configuration order, the default first.
 */
export function EnvironmentOverview({ environments, current }: { environments: EnvironmentListing[]; current: Scope }) {
  const headingId = useId();
  const rows = environments.flatMap((environment) => environment.regions.map((region) => ({ environment, region })));
  const queries = useScopeOverviews(rows.map((r) => ({ environment: r.environment.id, region: r.region })));
  const answered = queries.filter((q) => q.data !== undefined).length;
  return (
    <section className="stack" aria-labelledby={headingId}>
      <h2 id={headingId}>All environments</h2>
      <p className="muted" role="status">
        {answered < rows.length
          ? `${answered} of ${rows.length} environments and regions answered so far; the others follow as they answer.`
          : `Every environment and region answered.`}{" "}
        Each row refreshes every 15 seconds.
      </p>
      <DataTable label="All environments" columns={COLUMNS} className="overview-table">
        {rows.map(({ environment, region }, i) => (
          <OverviewRow
            key={`${environment.id}/${region}`}
            environment={environment}
            region={region}
            here={environment.id === current.environment && region === current.region}
            query={queries[i]!}
          />
        ))}
      </DataTable>
    </section>
  );
}

function OverviewRow({
  environment,
  region,
  here,
  query,
}: {
  environment: EnvironmentListing;
  region: string;
  here: boolean;
  query: UseQueryResult<ScopeOverview>;
}) {
  const page = (path: string) => scopedPagePath({ environment: environment.id, region }, path);
  const answer = query.data;
  const rest = COLUMNS.length - 1;
  let cells: ReactNode;
  if (!answer) {
    cells = query.isError ? (
      <td colSpan={rest} className="overview-failed">
        The console could not ask this environment: {query.error.message}
      </td>
    ) : (
      <td colSpan={rest} className="muted">
        Collecting…
      </td>
    );
  } else if (!answer.ok) {
    cells = (
      <>
        <td>
          <HealthBadge health="failed" />
        </td>
        <td colSpan={rest - 1} className="overview-failed">
          Nothing could be read: {answer.reason}
        </td>
      </>
    );
  } else {
    cells = <SummaryCells summary={answer.summary} page={page} />;
  }
  return (
    <tr className={here ? "overview-here" : undefined} aria-busy={!answer}>
      <th scope="row">
        <Link href={page("/incidents")}>
          {environment.name} · {region}
        </Link>
        {here ? <span className="muted"> (this page)</span> : null}
        <span className="overview-labels">
          <span className={`overview-kind overview-kind-${environment.kind}`}>{KIND_LABELS[environment.kind]}</span>
          <span className="overview-kind" title="Your role there">
            {environment.role}
          </span>
          {environment.readOnly ? <span className="overview-kind">read-only</span> : null}
        </span>
        {answer && query.isError ? (
          <span className="overview-stale">Last refresh failed; showing the answer before.</span>
        ) : null}
      </th>
      {cells}
    </tr>
  );
}

/** A figure that could not be read says so, with the reason, in its own cell; one withheld from the caller says why. */
function Figure<T>({
  read,
  withheld,
  children,
}: {
  read: Read<T>;
  withheld?: boolean;
  children: (value: T) => ReactNode;
}) {
  if (read.ok) return <td>{children(read.value)}</td>;
  return (
    <td>
      <span className="muted">{withheld ? read.reason : `Not read: ${read.reason}`}</span>
    </td>
  );
}

function SummaryCells({ summary, page }: { summary: ScopeSummary; page: (path: string) => string }) {
  const { health, incidents, failed, hidden } = summary;
  const counted = (["critical", "warning", "notice"] as const)
    .filter((severity) => incidents[severity] > 0)
    .map((severity) => `${incidents[severity]} ${severity}`);
  return (
    <>
      <td>
        <HealthBadge health={health} />
        <span className="overview-detail">
          {counted.length ? <Link href={page("/incidents")}>{counted.join(", ")}</Link> : "no incident"}
        </span>
        {failed.length ? (
          <span className="overview-detail muted">
            Not read: {failed.map((f) => SOURCE_LABELS[f.source]).join(", ")}
          </span>
        ) : null}
        {hidden ? <span className="overview-detail">{hiddenByBindings(hidden, "incident")}</span> : null}
      </td>
      <Figure read={summary.deadLetters}>
        {(d) => (
          <>
            <strong>{d.total}</strong> held
            <span className="overview-detail">{deadLetterTrend(d)}</span>
            {d.worst.length ? (
              <ul className="overview-queues" aria-label="Most troubled dead-letter queues">
                {d.worst.map((q) => (
                  <li key={q.name}>
                    <Link href={page(`/dead-letters/${encodeURIComponent(q.name)}`)}>{q.name}</Link>{" "}
                    <span className="muted">{plural(q.depth, "letter")}</span>
                  </li>
                ))}
              </ul>
            ) : null}
          </>
        )}
      </Figure>
      <Figure read={summary.endToEnd} withheld={summary.endToEndWithheld}>
        {(e) => (
          <>
            {e.sli === null ? (
              // No traffic in the window is no figure at all, never 100 %.
              <Link href={page("/dashboards")}>No traffic</Link>
            ) : (
              <>
                <Link href={page("/dashboards")}>{percent(e.sli, 2)}</Link>{" "}
                <span className="muted">of {percent(e.target, 1)}</span>
                <span className={`overview-detail overview-slo-${e.status}`}>{SLO_STATUS_LABELS[e.status]}</span>
              </>
            )}
            {e.errorBudgetRemaining === null ? null : (
              <span className="overview-detail">{budgetLeft(e.errorBudgetRemaining)}</span>
            )}
            {e.firing.length ? (
              <span className="overview-detail overview-firing">
                Burn alert: {e.firing.includes("page") ? "paging" : "ticket"}
              </span>
            ) : null}
          </>
        )}
      </Figure>
      <Figure read={summary.alerts}>
        {(a) =>
          a.firing ? <Link href={page("/alerts")}>{a.firing} firing</Link> : <Link href={page("/alerts")}>none</Link>
        }
      </Figure>
      <Figure read={summary.alarms}>
        {(a) => (
          <>
            <strong>{a.firing}</strong>
            {a.names.length ? (
              <ul className="overview-queues" aria-label="Alarms in ALARM">
                {a.names.slice(0, 3).map((name) => (
                  <li key={name}>{name}</li>
                ))}
                {a.names.length > 3 ? <li className="muted">and {a.names.length - 3} more</li> : null}
              </ul>
            ) : null}
          </>
        )}
      </Figure>
      <Figure read={summary.redriveJobs}>
        {(j) => (j.running ? <Link href={page("/dead-letters")}>{j.running} running</Link> : "none running")}
      </Figure>
    </>
  );
}
