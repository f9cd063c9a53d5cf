"use client";
import { useQueueConsumers, useSetConsumer } from "@/lib/queries/dead-letter-messages";

/** The Lambda consumers of a source queue, each with pause and resume: stop a failing consumer before a replay. */
export function QueueConsumers({ queue, canOperate }: { queue: string; canOperate: boolean }) {
  const consumers = useQueueConsumers(queue);
  const setConsumer = useSetConsumer(queue);
  if (consumers.isPending) return <span className="muted">loading consumers…</span>;
  if (consumers.isError) return <span className="muted">consumers unavailable: {consumers.error.message}</span>;
  if (consumers.data.length === 0) return <span className="muted">no Lambda consumer</span>;
  return (
    <ul className="plain-list">
      {consumers.data.map((c) => (
        <li key={c.uuid}>
          {c.functionName}: <span className={c.enabled ? "" : "meter-over"}>{c.enabled ? "consuming" : "paused"}</span>{" "}
          {canOperate ? (
            <button
              type="button"
              className="link-button"
              disabled={setConsumer.isPending}
              onClick={() => setConsumer.mutate({ uuid: c.uuid, enabled: !c.enabled })}
              aria-label={`${c.enabled ? "Pause" : "Resume"} ${c.functionName} on ${queue}`}
            >
              {c.enabled ? "Pause" : "Resume"}
            </button>
          ) : null}
        </li>
      ))}
      {setConsumer.isError ? <li className="form-error">{setConsumer.error.message}</li> : null}
    </ul>
  );
}
