import type { Metadata } from "next";
import { ScopedLink } from "@/components/ui/scoped-link";
import { MessageStoryView, TraceDetail } from "@/components/traces/trace-detail";

export const metadata: Metadata = { title: "Trace" };

/**
 * /traces/{id}: one trace. Opened from a dead letter (`?header=<AWSTraceHeader>&dlq=<queue>`), it
 * tells the message's story instead: the invocations that consumed it, failed ones first, then
 * the publish that produced it.
 */
export default async function TracePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ header?: string; dlq?: string; message?: string }>;
}) {
  const { id } = await params;
  const { header, dlq, message } = await searchParams;
  const traceId = decodeURIComponent(id);
  return (
    <div className="page page-wide">
      <p className="breadcrumbs">
        <ScopedLink href="/traces">Traces</ScopedLink>
        {dlq ? (
          <>
            {" "}
            · from the dead letters of <ScopedLink href={`/dead-letters/${encodeURIComponent(dlq)}`}>{dlq}</ScopedLink>
          </>
        ) : null}
      </p>
      <h1>{header ? "A dead letter's trace" : "Trace"}</h1>
      <p className="lede">
        <code>{traceId}</code>
      </p>
      {header ? (
        <MessageStoryView header={header} {...(dlq ? { dlq } : {})} {...(message ? { message } : {})} />
      ) : (
        <TraceDetail id={traceId} />
      )}
    </div>
  );
}
