"use client";
import { plural } from "@/lib/domain/format";
import { useReplayCheck } from "@/lib/queries/dead-letter-messages";
import { useSettledValue } from "../ui/use-settled-value";

const when = (iso: string) => new Date(iso).toLocaleString();

/**
 * Before a replay: whether these letters (or, without ids, the whole queue) would only fail again,
 * as the replay check reads their traces and their consumers' code. A warning, never a block: the
 * replay buttons stay as they are.
 */
export function ReplayWarningNote({ queue, messageIds }: { queue: string; messageIds?: string[] }) {
  // Each check reads traces: a selection is checked once it has settled.
  const ids = useSettledValue(messageIds?.join(","), 700);
  const check = useReplayCheck(queue, ids === undefined ? undefined : ids === "" ? [] : ids.split(","));
  if (check.isPending)
    return (
      <p className="muted" role="status">
        Checking whether a replay would fail again…
      </p>
    );
  if (check.isError || check.data.unavailable)
    return (
      <p className="muted" role="status">
        Could not check whether a replay would fail again:{" "}
        {check.isError ? check.error.message : check.data.unavailable}
      </p>
    );
  const { warning, sampled } = check.data;
  if (!warning)
    return sampled > 0 ? (
      <p className="muted" role="status">
        No sign a replay would fail again: {plural(sampled, "traced letter")} checked.
      </p>
    ) : null;
  return (
    <div className="state state-warn" role="note" aria-label="Replay warning">
      <p className="state-title">These letters will likely fail again</p>
      <p>{warning.message}</p>
      <ul>
        {warning.errors.map((e) => (
          <li key={e.error}>
            <span className="mono">{e.error}</span> — {plural(e.count, "letter")}
          </li>
        ))}
        {warning.consumers.map((c) => (
          <li key={c.functionName}>
            <span className="mono">{c.functionName}</span>: code last modified{" "}
            {c.lastModified ? when(c.lastModified) : "at a time Lambda did not give"}
          </li>
        ))}
      </ul>
      <p className="muted">Replaying is still allowed: fix the consumer first, or replay if the cause lay elsewhere.</p>
    </div>
  );
}
