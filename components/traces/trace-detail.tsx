"use client";
import { ScopedLink } from "@/components/ui/scoped-link";
import type { Invocation, TraceException } from "@/lib/domain/traces";
import { MAX_LINKS_PER_SEGMENT } from "@/lib/domain/traces/story";
import { useMessageStory, useTrace } from "@/lib/queries/traces";
import { ErrorState } from "../ui/error-state";
import { Panel } from "../ui/panel";
import { Skeleton } from "../ui/skeleton";
import { ExceptionView, formatMs, formatTime, ResourceLink, StatusBadge, TransactionSearchNote } from "./trace-bits";
import { WaterfallView } from "./waterfall-view";

/** One trace: its waterfall, and the traces it is linked to. */
export function TraceDetail({ id }: { id: string }) {
  const trace = useTrace(id);
  if (trace.isPending) return <Skeleton rows={8} label="Reading the trace" />;
  if (trace.isError) return <ErrorState error={trace.error} onRetry={() => void trace.refetch()} />;
  const { waterfall, linked, linkedMissing, summary, transactionSearch } = trace.data;
  return (
    <>
      {transactionSearch ? <TransactionSearchNote note={transactionSearch.note} /> : null}
      <Panel title="Waterfall">
        <WaterfallView waterfall={waterfall} />
      </Panel>
      {summary.linkedTraceIds.length > 0 ? (
        <Panel title="Messages it consumed">
          <p className="muted">
            This invocation is linked to the traces of the messages in its batch, each from the publish that produced
            it.
          </p>
          {summary.linkedTraceIds.length >= MAX_LINKS_PER_SEGMENT ? (
            <p className="muted">
              X-Ray links a segment to at most {MAX_LINKS_PER_SEGMENT} traces: the batch had at least{" "}
              {summary.linkedTraceIds.length} messages, possibly more.
            </p>
          ) : null}
          <ul className="trace-linked">
            {linked.map((t) => (
              <li key={t.id}>
                <ScopedLink href={`/traces/${encodeURIComponent(t.id)}`}>{t.entry?.name ?? t.id}</ScopedLink>{" "}
                <StatusBadge status={t.status} />{" "}
                <span className="muted">
                  {formatTime(t.start)} · {t.resources.map((r) => r.name).join(", ")}
                </span>
              </li>
            ))}
            {linkedMissing.map((m) => (
              <li key={m} className="muted">
                <code>{m}</code>:{" "}
                {transactionSearch
                  ? "neither the Transaction Search log group nor X-Ray has this trace."
                  : "X-Ray no longer has this trace, or never recorded it."}
              </li>
            ))}
          </ul>
        </Panel>
      ) : null}
    </>
  );
}

/**
 * The story of a dead letter: the invocations that consumed it, failed ones first with their
 * exceptions, then the publish that produced it. Says exactly why when there is nothing to show.
 */
export function MessageStoryView({ header, dlq, message }: { header: string; dlq?: string; message?: string }) {
  const query = useMessageStory(header, dlq, message);
  if (query.isPending) return <Skeleton rows={6} label="Following the message through X-Ray" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const { story, producer, transactionSearch } = query.data;
  // A retried message fails the same way each time: its stack is shown once, then folded.
  const seen = new Set<string>();
  const firstTime = (e: TraceException) => {
    const key = `${e.type}\u0000${e.message}\u0000${e.stack.map((f) => `${f.path}:${f.line}`).join(",")}`;
    return seen.has(key) ? false : Boolean(seen.add(key));
  };
  return (
    <>
      <Panel title="What happened to this message">
        {transactionSearch ? <TransactionSearchNote note={transactionSearch.note} /> : null}
        <p
          className={story.state === "found" ? "trace-story-reason" : "trace-story-reason trace-story-missing"}
          role="status"
        >
          {story.reason}
        </p>
        {story.state !== "found" && story.state !== "not-found" ? null : (
          <p className="muted">
            Looked at {story.scanned.traces} trace{story.scanned.traces === 1 ? "" : "s"} from{" "}
            {formatTime(story.scanned.from)} to {formatTime(story.scanned.to)}
            {story.scanned.complete ? "" : ", not all of the window: the scan stopped at its cap"}.
          </p>
        )}
        {story.invocations.length > 0 ? <InvocationList invocations={story.invocations} firstTime={firstTime} /> : null}
        {story.otherDeliveries.length > 0 ? (
          <details className="trace-other-deliveries">
            <summary>
              {story.otherDeliveries.length} invocation{story.otherDeliveries.length === 1 ? "" : "s"} of other
              subscribers&apos; consumers handled other copies of this publish (
              {story.otherDeliveries.filter((i) => i.failed).length} failed)
            </summary>
            <InvocationList invocations={story.otherDeliveries} firstTime={firstTime} />
          </details>
        ) : null}
      </Panel>
      {producer ? (
        <Panel title="The publish that produced it">
          <WaterfallView waterfall={producer} />
        </Panel>
      ) : story.producer && !story.producer.found && story.state === "found" ? (
        <Panel title="The publish that produced it">
          <p className="muted">
            {transactionSearch
              ? `Neither the Transaction Search log group nor X-Ray returned the producer trace ` +
                `${story.producer.traceId}: its spans were never sent or are past the log group's retention.`
              : `X-Ray returned no producer trace ${story.producer.traceId}: it is past retention, not indexed, or its segments were never sent.`}
          </p>
        </Panel>
      ) : null}
    </>
  );
}

/** Invocations of a message, each with its outcome and exceptions; a stack seen before is folded. */
function InvocationList({
  invocations,
  firstTime,
}: {
  invocations: Invocation[];
  firstTime(e: TraceException): boolean;
}) {
  return (
    <ol className="trace-invocations">
      {invocations.map((inv) => (
        <li key={inv.traceId} className={inv.failed ? "trace-invocation trace-invocation-failed" : "trace-invocation"}>
          <p>
            <StatusBadge status={inv.status} />
            {inv.thisMessage === "failed" ? (
              <strong className="trace-this"> failed on this message</strong>
            ) : inv.thisMessage === "not-failed" ? (
              <span className="muted"> (not on this message)</span>
            ) : null}{" "}
            <ResourceLink
              resource={{
                kind: "function",
                name: inv.functionName,
                ...(inv.functionArn ? { arn: inv.functionArn } : {}),
              }}
            />{" "}
            · {formatTime(inv.start)} · {formatMs(inv.durationMs)}
            {inv.coldStart ? " · cold start" : ""}
            {inv.batch
              ? ` · batch of ${inv.batch.size}, ${inv.batch.itemFailures} reported failed`
              : inv.linkedMessages > 1
                ? ` · batch of ${inv.linkedMessagesAtLeast ? "at least " : ""}${inv.linkedMessages}`
                : ""}
            {inv.requestId ? <span className="muted"> · request {inv.requestId}</span> : null} ·{" "}
            <ScopedLink href={`/traces/${encodeURIComponent(inv.traceId)}`}>invocation trace</ScopedLink>
          </p>
          {inv.exceptions.map((e, i) => (
            <ExceptionView key={e.id ?? i} exception={e} foldStack={!firstTime(e)} />
          ))}
          {inv.failed && inv.exceptions.length === 0 && inv.batch?.itemFailures ? (
            <p className="muted">
              The function returned this message (or another of the batch) as a batch item failure; a reported item
              failure records no exception.
            </p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
