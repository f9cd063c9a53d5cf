"use client";
import { useEffect, useRef } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { deadLetterKeys } from "@/lib/queries/dead-letters";
import { useJobAction, useRedriveJobs, type RedriveJobView } from "@/lib/queries/dead-letter-messages";
import { ErrorState } from "../ui/error-state";
import { Skeleton } from "../ui/skeleton";
import { DataTable } from "@/components/ui/data-table";

const engineLabel = { fanout: "Fanout's engine", "sqs-move-task": "SQS message move task" } as const;

function selectionLabel(job: RedriveJobView): string {
  if (job.selection === "ids") return `${job.messageCount ?? "?"} chosen message${job.messageCount === 1 ? "" : "s"}`;
  return job.selection === "filter" ? "all matching a filter" : "all";
}

function Progress({ job }: { job: RedriveJobView }) {
  const total = job.moved + job.failed + (job.remaining ?? 0);
  return (
    <div className="job-progress">
      <progress
        value={job.moved + job.failed}
        max={Math.max(total, 1)}
        aria-label={`Job ${job.id.slice(0, 8)} progress`}
      />
      <span>
        moved {job.moved}
        {job.failed ? <strong className="meter-over"> · failed {job.failed}</strong> : null}
        {job.remaining !== null ? (
          <span
            title={
              job.status === "incomplete"
                ? "Dead letters the job could not reach."
                : "Dead letters not yet looked at or not yet moved; letters the job leaves in the DLQ are not counted."
            }
          >
            {" "}
            · remaining {job.remaining}
          </span>
        ) : null}
        {job.skipped ? (
          <span title="Dead letters the job looked at and leaves in the DLQ: not selected, or its own copies back again.">
            {" "}
            · left {job.skipped} of {job.examined} looked at
          </span>
        ) : null}
        {job.resent ? (
          <span
            title={
              "Sends repeated after an interrupted run whose first outcome was unknown: possible duplicates. " +
              "On a FIFO queue SQS drops a repeat only within 5 minutes of the first send " +
              "(its deduplication interval); only later repeats are counted."
            }
          >
            {" "}
            · resent {job.resent}
          </span>
        ) : null}
      </span>
    </div>
  );
}

/** The DLQ's redrive jobs, newest first, with live progress and the actions their engine allows. */
export function RedriveJobs({ queue, canOperate }: { queue: string; canOperate: boolean }) {
  const jobs = useRedriveJobs(queue);
  const act = useJobAction(queue);
  const client = useQueryClient();
  const runningBefore = useRef(0);
  const running = jobs.data?.filter((j) => j.status === "running").length ?? 0;
  useEffect(() => {
    // A job just ended: the queue's depth changed.
    if (running < runningBefore.current) void client.invalidateQueries({ queryKey: deadLetterKeys.all });
    runningBefore.current = running;
  }, [running, client]);

  if (jobs.isPending) return <Skeleton rows={2} label="Loading redrive jobs" />;
  if (jobs.isError) return <ErrorState error={jobs.error} onRetry={() => void jobs.refetch()} />;
  if (jobs.data.length === 0) return <p className="muted">No redrive jobs for this queue yet.</p>;
  return (
    <DataTable
      label="Redrive jobs"
      columns={["Started", "What", "To", "Engine", "Status", "Progress", { label: "Actions", visuallyHidden: true }]}
    >
      {jobs.data.map((job) => (
        <tr key={job.id} id={`job-${job.id}`} data-job-id={job.id}>
          <td>
            {new Date(job.createdAt).toLocaleTimeString()}
            <div className="muted">by {job.actor}</div>
          </td>
          <td>
            {selectionLabel(job)}
            {job.ratePerSecond ? <div className="muted">{job.ratePerSecond}/s</div> : null}
          </td>
          <td className="mono">
            {job.target ??
              (job.eachToOwnSource ? <span title={job.eachToOwnSource.join(", ")}>each to its own source</span> : "—")}
          </td>
          <td>{engineLabel[job.engine]}</td>
          <td>
            <span className={`job-status job-${job.status}`}>{job.status}</span>
            {job.note ? <div className="muted">{job.note}</div> : null}
            {job.error ? <div className="form-error">{job.error}</div> : null}
          </td>
          <td>
            <Progress job={job} />
          </td>
          <td>
            {canOperate
              ? job.actions.map((action) => (
                  <button
                    key={action}
                    type="button"
                    className="button"
                    disabled={act.isPending}
                    onClick={() => act.mutate({ jobId: job.id, action })}
                  >
                    {action[0]!.toUpperCase() + action.slice(1)}
                  </button>
                ))
              : null}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
