"use client";
import { useState } from "react";
import { useAudit, type AuditFilter } from "@/lib/queries/audit";
import { EmptyState } from "../ui/empty-state";
import { QueryState } from "../ui/query-state";
import { DataTable } from "@/components/ui/data-table";

const show = (value: unknown) => (value === null || value === undefined ? "—" : JSON.stringify(value, null, 2));

/** The audit trail: every change made through the console and every sign-in, with before and after, as text; exportable as JSON Lines. */
export function AuditLog({ initial }: { initial: AuditFilter }) {
  const [filter, setFilter] = useState<AuditFilter>(initial);
  const audit = useAudit(filter);
  const field = (name: keyof AuditFilter, label: string) => (
    <label className="field">
      {label}
      <input
        value={filter[name] ?? ""}
        onChange={(e) => setFilter({ ...filter, [name]: e.target.value || undefined })}
      />
    </label>
  );
  const exportQuery = new URLSearchParams({
    ...Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined && v !== "")),
    format: "jsonl",
  });
  return (
    <div className="stack">
      <form className="audit-filters" onSubmit={(e) => e.preventDefault()}>
        {field("target", "Target ARN")}
        {field("action", "Action")}
        {field("actor", "Actor")}
        <label className="field">
          Outcome
          <select
            value={filter.outcome ?? ""}
            onChange={(e) => setFilter({ ...filter, outcome: (e.target.value || undefined) as AuditFilter["outcome"] })}
          >
            <option value="">any</option>
            <option value="success">success</option>
            <option value="failure">failure</option>
            <option value="pending">pending (intent)</option>
          </select>
        </label>
        <a className="button" href={`/api/audit?${exportQuery}`} download>
          Export JSON Lines
        </a>
      </form>
      <QueryState
        query={audit}
        loadingLabel="Loading the audit log"
        empty={<EmptyState title="No changes recorded for this filter." />}
      >
        {(entries) => (
          <DataTable
            label="Audit entries"
            className="audit-table"
            columns={["When", "Who", "Action", "Target", "Before", "After", "Outcome"]}
          >
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{new Date(e.at).toLocaleString()}</td>
                <td>
                  {e.actor} <span className="muted">({e.role})</span>
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
