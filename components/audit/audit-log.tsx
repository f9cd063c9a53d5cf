"use client";
import { useSearchParams } from "next/navigation";
import {
  auditApiFilter,
  auditPageFilterFrom,
  auditPageParams,
  auditQueryString,
  describeAuditFilter,
  hasAuditFilter,
} from "@/lib/domain/audit-filter";
import { useAudit, useAuditEnvironments, type AuditEntry } from "@/lib/queries/audit";
import { usePageScope } from "@/lib/queries/scope";
import { EmptyState } from "../ui/empty-state";
import { QueryState } from "../ui/query-state";
import { DataTable } from "@/components/ui/data-table";
import { useSearchParamsSetter } from "../ui/use-search-params-setter";
import { AuditFilterBar } from "./audit-filter-bar";

const show = (value: unknown) => (value === null || value === undefined ? "—" : JSON.stringify(value, null, 2));

const localTime = (iso: string) => new Date(iso).toLocaleString();

/** Where an entry was done: its environment, region and account; a sign-in belongs to none. */
function Where({ entry }: { entry: AuditEntry }) {
  if (entry.environment === null) return <span className="muted">— (console)</span>;
  return (
    <>
      {entry.environment}
      <div className="muted mono">{entry.region}</div>
      {entry.account ? <div className="muted mono">{entry.account}</div> : null}
    </>
  );
}

/**
 * The audit trail of every environment: every change made through the console and every sign-in, with before and after, as text;
 * exportable as JSON Lines. The filters live in the page's address; opened under a scope, it starts at that environment's entries.
 */
export function AuditLog() {
  const scope = usePageScope();
  const filter = auditPageFilterFrom(useSearchParams(), scope);
  const go = useSearchParamsSetter();
  const audit = useAudit(filter);
  const environments = useAuditEnvironments();
  // To the minute, so that the server's render and the browser's agree on the link.
  const minute = Math.floor(Date.now() / 60_000) * 60_000;
  const exportHref = `/api/audit?${auditQueryString({ ...auditApiFilter(filter, minute), format: "jsonl" })}`;
  return (
    <div className="stack">
      <AuditFilterBar
        filter={filter}
        onChange={(next) => go(auditPageParams(next, scope))}
        exportHref={exportHref}
        environments={environments.data ?? []}
      />
      <QueryState
        query={audit}
        loadingLabel="Loading the audit log"
        empty={
          hasAuditFilter(filter) ? (
            <EmptyState title="No entries match these filters">
              <ul>
                {describeAuditFilter(filter, localTime).map((words) => (
                  <li key={words}>{words}</li>
                ))}
              </ul>
            </EmptyState>
          ) : (
            <EmptyState title="Nothing has been recorded yet." />
          )
        }
      >
        {(entries) => (
          <DataTable
            label="Audit entries"
            className="audit-table"
            columns={["When", "Who", "Environment", "Action", "Target", "Before", "After", "Outcome"]}
          >
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{localTime(e.at)}</td>
                <td>
                  {e.actor} <span className="muted">({e.role})</span>
                  {e.tokenId ? <div className="muted">with API token {e.tokenId}</div> : null}
                </td>
                <td>
                  <Where entry={e} />
                </td>
                <td>{e.action}</td>
                <td className="mono">{e.target}</td>
                <td>
                  <pre className="code small" tabIndex={0} aria-label="Before">
                    {show(e.before)}
                  </pre>
                </td>
                <td>
                  <pre className="code small" tabIndex={0} aria-label="After">
                    {show(e.after)}
                  </pre>
                </td>
                <td className={e.outcome === "failure" ? "form-error" : ""}>
                  {e.outcome}
                  {e.detail ? <div className="muted">{e.detail}</div> : null}
                  <div className="muted mono" title="request id">
                    {e.requestId.slice(0, 8)}
                  </div>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryState>
    </div>
  );
}
