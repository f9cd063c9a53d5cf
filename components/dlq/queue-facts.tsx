import { ScopedLink } from "@/components/ui/scoped-link";
import { formatDuration, type DeadLetterQueue } from "@/lib/domain/dead-letters";
import { arnName } from "@/lib/domain/subscription";
import { Skeleton } from "../ui/skeleton";
import { QueueConsumers } from "./queue-consumers";

/** The queue's type, depth and sources, or why it is not a dead-letter queue. */
export function QueueFacts({
  queue,
  dlq,
  pending,
  canOperate,
}: {
  queue: string;
  dlq: DeadLetterQueue | undefined;
  pending: boolean;
  canOperate: boolean;
}) {
  return (
    <section className="panel" aria-label="Queue">
      {pending ? (
        <Skeleton rows={2} label="Loading the queue" />
      ) : dlq ? (
        <dl className="facts">
          <dt>Type</dt>
          <dd>
            {dlq.fifo ? "FIFO" : "Standard"} · keeps messages {formatDuration(dlq.retentionSeconds)}
          </dd>
          <dt>Depth</dt>
          <dd>
            {dlq.visible} visible · {dlq.inFlight} in flight · {dlq.delayed} delayed
            {dlq.oldestExpiresInSeconds !== undefined
              ? ` · oldest expires in ${formatDuration(dlq.oldestExpiresInSeconds)}`
              : ""}
          </dd>
          <dt>Fed by</dt>
          <dd>
            <ul className="plain-list">
              {dlq.sources.map((s) =>
                s.kind === "queue" ? (
                  <li key={s.arn}>
                    queue <strong>{s.name}</strong> <span className="muted">after {s.maxReceiveCount} receives</span> —
                    consumer: <QueueConsumers queue={s.name} canOperate={canOperate} />
                  </li>
                ) : (
                  <li key={s.subscriptionArn}>
                    subscription to{" "}
                    <ScopedLink href={`/filter-policies/${encodeURIComponent(s.subscriptionArn)}`}>
                      {arnName(s.endpoint)}
                    </ScopedLink>{" "}
                    <span className="muted">
                      (deliveries SNS could not make
                      {s.endpoint.startsWith("arn:aws:sqs:") ? "" : "; not an SQS endpoint: export only"})
                    </span>
                  </li>
                ),
              )}
            </ul>
          </dd>
        </dl>
      ) : (
        <p className="state state-warn" role="note">
          {queue} is not a dead-letter queue: no queue or subscription redrive policy names it.{" "}
          {canOperate
            ? "Reading it hides its messages from its consumers while the view is open; deleting and purging are for dead-letter queues only."
            : "Reading it needs the operator role."}
        </p>
      )}
    </section>
  );
}
