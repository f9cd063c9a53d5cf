"use client";
import { ScopedLink } from "@/components/ui/scoped-link";
import { formatDuration, sourceName, type DeadLetterQueue } from "@/lib/domain/dead-letters";
import { useDeadLetterOverview } from "@/lib/queries/dead-letters";
import { EmptyState } from "../ui/empty-state";
import { ErrorState } from "../ui/error-state";
import { HiddenByBindings } from "../ui/hidden-by-bindings";
import { Skeleton } from "../ui/skeleton";
import { TableScroll } from "@/components/ui/table-scroll";

const noData = (
  <span className="muted" title="CloudWatch has no datapoints for this queue in the last 15 minutes">
    no data
  </span>
);

/**
 * What entered the DLQ over the window, derived as the SLA and the topology's cards derive it: a
 * letter someone has leased since still counts, where the change of the visible count would not.
 */
function Arrivals({ dlq }: { dlq: DeadLetterQueue }) {
  if (dlq.inflow === undefined) return noData;
  return (
    <span className={dlq.inflow > 0 ? "figure trend-up" : "figure"}>
      +{dlq.inflow} in {dlq.inflowWindowMinutes} min
    </span>
  );
}

/** What the DLQ holds: visible plus in flight, the in-flight ones leased by a view or a redrive job. */
function Held({ dlq }: { dlq: DeadLetterQueue }) {
  return (
    <>
      {dlq.visible + dlq.inFlight}
      {dlq.inFlight > 0 ? <div className="muted">{dlq.inFlight} leased</div> : null}
    </>
  );
}

/** Every dead-letter queue, most troubled first, with what feeds it and how long its letters last. */
export function DeadLetterOverview() {
  const overview = useDeadLetterOverview();
  if (overview.isPending) return <Skeleton rows={4} label="Finding dead-letter queues" />;
  if (overview.isError) return <ErrorState error={overview.error} onRetry={() => void overview.refetch()} />;
  const { deadLetterQueues, metricsUnavailable, hidden } = overview.data;
  const hiddenNote = <HiddenByBindings hidden={hidden} one="dead-letter queue" />;
  if (deadLetterQueues.length === 0)
    return hidden ? (
      <div className="stack">
        {hiddenNote}
        <EmptyState title="No dead-letter queue you may view." />
      </div>
    ) : (
      <EmptyState title="No dead-letter queues: no queue or subscription in this account and region has a redrive policy." />
    );
  return (
    <div className="stack">
      {hiddenNote}
      {metricsUnavailable ? (
        <p className="state state-warn" role="note">
          Oldest age and arrivals are missing: {metricsUnavailable}
        </p>
      ) : null}
      <TableScroll label="Dead-letter queues">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Dead-letter queue</th>
              <th scope="col">Holds</th>
              <th scope="col">Delayed</th>
              <th scope="col">Oldest</th>
              <th scope="col">Oldest expires in</th>
              <th scope="col">Arrived</th>
              <th scope="col">Fed by</th>
            </tr>
          </thead>
          <tbody>
            {deadLetterQueues.map((d) => (
              <tr key={d.arn} className={d.visible + d.inFlight > 0 ? "row-trouble" : ""}>
                <td>
                  <ScopedLink href={`/dead-letters/${encodeURIComponent(d.name)}`}>
                    <strong>{d.name}</strong>
                  </ScopedLink>
                  <div className="muted">
                    {d.fifo ? "FIFO" : "Standard"} · keeps {formatDuration(d.retentionSeconds)}
                  </div>
                </td>
                <td>
                  <Held dlq={d} />
                </td>
                <td>{d.delayed}</td>
                <td>{d.oldestAgeSeconds === undefined ? noData : formatDuration(d.oldestAgeSeconds)}</td>
                <td>{d.oldestExpiresInSeconds === undefined ? noData : formatDuration(d.oldestExpiresInSeconds)}</td>
                <td>
                  <Arrivals dlq={d} />
                </td>
                <td>
                  <ul className="plain-list">
                    {d.sources.map((s) => (
                      <li key={s.kind === "queue" ? s.arn : s.subscriptionArn}>
                        {s.kind === "queue" ? (
                          <>
                            queue {s.name} <span className="muted">after {s.maxReceiveCount} receives</span>
                          </>
                        ) : (
                          <>
                            subscription to{" "}
                            <ScopedLink href={`/filter-policies/${encodeURIComponent(s.subscriptionArn)}`}>
                              {sourceName(s)}
                            </ScopedLink>{" "}
                            <span className="muted">(deliveries SNS could not make)</span>
                          </>
                        )}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </div>
  );
}
