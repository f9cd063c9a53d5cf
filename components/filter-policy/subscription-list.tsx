"use client";
import { ScopedLink } from "@/components/ui/scoped-link";
import { useMemo, useState } from "react";
import { arnName, type Subscription } from "@/lib/domain/subscription";
import { filterPolicyKeys } from "@/lib/domain/topology/filter-summary";
import { useSubscriptions } from "@/lib/queries/filter-policies";
import { EmptyState } from "../ui/empty-state";
import { QueryState } from "../ui/query-state";
import { SearchField } from "../ui/search-field";
import { DataTable } from "@/components/ui/data-table";

function matches(s: Subscription, query: string) {
  const q = query.trim().toLowerCase();
  return (
    !q ||
    [s.topicArn, s.endpoint, s.protocol, s.filterPolicy ?? "", s.filterPolicyScope].some((field) =>
      field.toLowerCase().includes(q),
    )
  );
}

/** Every subscription with its filter policy, searchable by topic, endpoint and policy text. */
export function SubscriptionList() {
  const subscriptions = useSubscriptions();
  const [query, setQuery] = useState("");
  const shown = useMemo(() => (subscriptions.data ?? []).filter((s) => matches(s, query)), [subscriptions.data, query]);

  return (
    <QueryState
      query={subscriptions}
      loadingLabel="Loading subscriptions"
      empty={<EmptyState title="No subscriptions in this account and region." />}
    >
      {() => (
        <div className="stack">
          <SearchField
            label="Search subscriptions"
            placeholder="Search topic, endpoint or policy…"
            value={query}
            onChange={setQuery}
          />
          <DataTable label="Subscriptions" columns={["Topic", "Endpoint", "Scope", "Policy keys"]}>
            {shown.map((s) => (
              <tr key={s.arn}>
                <td>{arnName(s.topicArn)}</td>
                <td>
                  {s.arn.startsWith("arn:") ? (
                    <ScopedLink href={`/filter-policies/${encodeURIComponent(s.arn)}`}>
                      {arnName(s.endpoint) || s.endpoint}
                    </ScopedLink>
                  ) : (
                    <span>{s.endpoint} (pending confirmation)</span>
                  )}
                  <span className="muted"> · {s.protocol}</span>
                </td>
                <td>{s.filterPolicy === null ? "—" : s.filterPolicyScope}</td>
                <td className="mono">{filterPolicyKeys(s.filterPolicy)}</td>
              </tr>
            ))}
          </DataTable>
          {shown.length === 0 ? <p className="muted">No subscription matches “{query}”.</p> : null}
        </div>
      )}
    </QueryState>
  );
}
