"use client";
import Link from "next/link";
import { useDeadLetterOverview } from "@/lib/queries/dead-letters";
import { useQueues, useTopics } from "@/lib/queries/resources";
import { EmptyState } from "../ui/empty-state";
import { Panel } from "../ui/panel";
import { QueryState } from "../ui/query-state";

/** The account's topics and queues. The graph with subscriptions, DLQs and functions builds on these lists. */
export function ResourceLists() {
  const topics = useTopics();
  const queues = useQueues();
  const deadLetters = useDeadLetterOverview();
  const dlqByName = new Map((deadLetters.data?.deadLetterQueues ?? []).map((d) => [d.name, d]));
  return (
      <div className="panel-grid">
        <Panel title="SNS topics">
          <QueryState query={topics} empty={<EmptyState title="No topics in this account and region." />}>
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
          </QueryState>
        </Panel>
        <Panel title="SQS queues">
          <QueryState query={queues} empty={<EmptyState title="No queues in this account and region." />}>
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
                  {items.map((q) => {
                    const dlq = dlqByName.get(q.name);
                    return (
                    <tr key={q.url}>
                      <td>
                        {q.name}
                        {dlq ? (
                          <div>
                            <Link href={`/dead-letters/${encodeURIComponent(q.name)}`}>
                              dead-letter queue: {dlq.visible + dlq.inFlight} message{dlq.visible + dlq.inFlight === 1 ? "" : "s"}
                            </Link>
                          </div>
                        ) : null}
                      </td>
                      <td>{q.fifo ? "FIFO" : "Standard"}</td>
                      <td className="mono">{q.url}</td>
                    </tr>
                    );
                })}
              </tbody>
            </table>
          )}
        </QueryState>
      </Panel>
    </div>
  );
}
