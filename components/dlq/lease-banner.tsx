"use client";
import { useState } from "react";
import { plural } from "@/lib/domain/format";
import {
  describeHold,
  holderLabel,
  jobProgressPhrase,
  heldElsewhereSentence,
  type JobHold,
  type QueueHolds,
  type TakenOver,
} from "@/lib/domain/lease-holds";
import { EmptyState } from "../ui/empty-state";
import { ConfirmDialog } from "../ui/confirm-dialog";

const time = (iso: string) => new Date(iso).toLocaleTimeString();

/** A running job's letters: how many it holds, a link to its row, what it has left. */
function JobLine({ hold }: { hold: JobHold }) {
  return (
    <>
      {hold.count === null ? (
        describeHold(hold, time)
      ) : (
        <>
          {plural(hold.count, "letter")} held by redrive job{" "}
          <a href={`#job-${hold.jobId}`} className="mono">
            {hold.jobId.slice(0, 8)}
          </a>{" "}
          (started by {hold.actor}){hold.until ? ` until ${time(hold.until)}` : ""}
        </>
      )}{" "}
      · {jobProgressPhrase(hold)} · <span className="muted">not taken over: cancel the job to free them</span>
    </>
  );
}

/**
 * Who else holds this queue's letters, one line each: other people's views (an operator may take
 * a view's lease over, after confirming) and running redrive jobs (linked to their row below). Also
 * tells the reader when an operator took their own lease over.
 */
export function LeaseBanner({
  holds,
  takenOver,
  canOperate,
  busy,
  onTakeOver,
}: {
  holds: QueueHolds;
  /** The reader's current lease was ended by an operator. */
  takenOver: TakenOver | undefined;
  canOperate: boolean;
  busy: boolean;
  onTakeOver: (holder: string) => void;
}) {
  const [confirming, setConfirming] = useState<{ actor: string; count: number }>();
  if (holds.holds.length === 0 && holds.unaccounted === 0 && !takenOver) return null;
  return (
    <section className="panel" aria-label="Letters held elsewhere">
      {takenOver ? (
        <p className="state state-warn" role="alert">
          Your lease was taken over by {takenOver.by} at {time(takenOver.at)}: its letters are visible to others again.
          Reload to lease letters again.
        </p>
      ) : null}
      <ul className="plain-list">
        {holds.holds.map((hold) =>
          hold.kind === "view" ? (
            <li key={`view-${hold.actor}`}>
              {describeHold(hold, time)}
              {canOperate ? (
                <>
                  {" "}
                  ·{" "}
                  <button
                    type="button"
                    className="button"
                    aria-label={`Take over ${holderLabel(hold)}`}
                    disabled={busy}
                    onClick={() => setConfirming({ actor: hold.actor, count: hold.count })}
                  >
                    Take over
                  </button>
                </>
              ) : null}
            </li>
          ) : (
            <li key={`job-${hold.jobId}`}>
              <JobLine hold={hold} />
            </li>
          ),
        )}
        {holds.unaccounted > 0 ? (
          <li className="muted">
            {plural(holds.unaccounted, "more letter")} in flight in no view or job of this console (a consumer, or
            another console).
          </li>
        ) : null}
      </ul>
      <ConfirmDialog
        open={confirming !== undefined}
        title={`Take over ${confirming?.actor ?? ""}'s lease?`}
        confirmLabel="Take over"
        busy={busy}
        onCancel={() => setConfirming(undefined)}
        onConfirm={() => {
          if (confirming) onTakeOver(confirming.actor);
          setConfirming(undefined);
        }}
      >
        <p>
          {confirming?.actor}&apos;s view loses its {plural(confirming?.count ?? 0, "letter")}: they become visible
          again and are leased to you. {confirming?.actor} is told who took them, and the audit trail records it.
        </p>
      </ConfirmDialog>
    </section>
  );
}

/**
 * The list when it has nothing to show and nothing was searched: where the letters are (other
 * views, a redrive job's progress), or that the reader's own letters were acted on, and only when
 * nothing holds any, that the queue is empty.
 */
export function NoLettersShown({ holds, loaded }: { holds: QueueHolds | undefined; loaded: number }) {
  if (!holds) return <EmptyState title="Nothing is leased to you. Looking for letters held elsewhere…" />;
  const jobs = holds.holds.filter((h): h is JobHold => h.kind === "job");
  // Jobs get a line of their own below, with their progress.
  const elsewhere = heldElsewhereSentence({ ...holds, holds: holds.holds.filter((h) => h.kind === "view") }, time);
  const title =
    loaded > 0
      ? "The letters you loaded were released, replayed, deleted or taken over. Reload to lease what is there now."
      : elsewhere || jobs.length > 0
        ? "No letter was visible to you when this view loaded."
        : "No messages in this queue right now.";
  return (
    <EmptyState title={title}>
      {elsewhere ? <p>{elsewhere}</p> : null}
      {jobs.map((job) => (
        <p key={job.jobId}>
          Redrive job{" "}
          <a href={`#job-${job.jobId}`} className="mono">
            {job.jobId.slice(0, 8)}
          </a>
          : {job.count === null ? "holds an unknown number" : `holds ${plural(job.count, "letter")}`};{" "}
          {jobProgressPhrase(job)}.
        </p>
      ))}
    </EmptyState>
  );
}
