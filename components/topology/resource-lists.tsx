"use client";
import type { UseQueryResult } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import { ApiError } from "@/lib/queries/fetch-json";
import { useQueues, useTopics } from "@/lib/queries/resources";
import { EmptyState } from "../ui/empty-state";
import { ErrorState } from "../ui/error-state";
import { Panel } from "../ui/panel";
import { Skeleton } from "../ui/skeleton";

/** Loading, error and empty states around a list query, the same for every list. */
function QueryList<T>({ query, empty, children }: { query: UseQueryResult<T[]>; empty: ReactNode; children: (items: T[]) => ReactNode }) {
  if (query.isPending) return <Skeleton rows={4} />;
  if (query.isError) {
    const code = query.error instanceof ApiError ? query.error.code : undefined;
    return <ErrorState code={code} message={query.error.message} onRetry={() => void query.refetch()} />;
  }
  return query.data.length === 0 ? empty : children(query.data);
}

/** The account's topics and queues. The graph with subscriptions, DLQs and functions builds on these lists. */
export function ResourceLists() {
  const topics = useTopics();
  const queues = useQueues();
  return (
    <div className="panel-grid">
      <Panel title="SNS topics">
        <QueryList query={topics} empty={<EmptyState title="No topics in this account and region." />}>
          {(items) => (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Type</th>
                  <th scope="col">ARN</th>
                </tr>
              </thead>
              <tbody>
                {items.map((t) => (
                  <tr key={t.arn}>
                    <td>
                      <Link href={`/topics/${encodeURIComponent(t.arn)}`}>{t.name}</Link>
                    </td>
                    <td>{t.fifo ? "FIFO" : "Standard"}</td>
                    <td className="mono">{t.arn}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </QueryList>
      </Panel>
      <Panel title="SQS queues">
        <QueryList query={queues} empty={<EmptyState title="No queues in this account and region." />}>
          {(items) => (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Type</th>
                  <th scope="col">URL</th>
                </tr>
              </thead>
              <tbody>
                {items.map((q) => (
                  <tr key={q.url}>
                    <td>{q.name}</td>
                    <td>{q.fifo ? "FIFO" : "Standard"}</td>
                    <td className="mono">{q.url}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </QueryList>
      </Panel>
    </div>
  );
}
