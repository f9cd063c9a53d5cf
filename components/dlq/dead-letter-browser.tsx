"use client";
import { useEffect, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { VIEWER_LEASE_LIMITS } from "@/lib/domain/dead-letter-lease";
import { mayReplayElsewhere, sourceQueueNames } from "@/lib/domain/replay";
import type { FailureGroup } from "@/lib/domain/failure-groups";
import { plural } from "@/lib/domain/format";
import { roleAtLeast, type Role } from "@/lib/domain/roles";
import { useCapabilities } from "@/lib/queries/capabilities";
import { deadLetterKeys, useDeadLetterOverview } from "@/lib/queries/dead-letters";
import {
  exportMessages,
  useDeleteMessages,
  usePurge,
  useQueueHolds,
  useReleaseLease,
  useReplay,
  useTakeOver,
  type RedriveJobView,
} from "@/lib/queries/dead-letter-messages";
import { Skeleton } from "../ui/skeleton";
import { showToast } from "../ui/toaster";
import { FailureGroups } from "./failure-groups";
import { CopyLettersDialog } from "./copy-letters-dialog";
import { DeleteLettersDialog, PurgeQueueDialog, ReplayGroupDialog } from "./dead-letter-dialogs";
import { LeaseBanner, NoLettersShown } from "./lease-banner";
import { LeasePanel, LeaseRefused } from "./lease-panel";
import { MaskingNote } from "./masking-note";
import { LetterToolbar, useReplayTarget } from "./letter-actions";
import { MessageDetail, type ReplayEditsInput } from "./message-detail";
import { ReplayWarningNote } from "./replay-warning-note";
import { MessageList } from "./message-list";
import { QueueFacts } from "./queue-facts";
import { RedriveAllForm } from "./redrive-all-form";
import { RedriveJobs } from "./redrive-jobs";
import { useFailureGroups } from "./use-failure-groups";
import { useLeasedLetters } from "./use-leased-letters";

type Dialog =
  { kind: "delete"; ids: string[] } | { kind: "purge" } | { kind: "replay-group"; group: FailureGroup } | undefined;

const operatorSizes = [100, 500, 1000];
// A viewer's lease is capped on the server; offer no more than it grants.
const viewerSizes = operatorSizes.filter((n) => n <= VIEWER_LEASE_LIMITS.messages);

/** The job's warning in a toast: the letters it moves will likely fail again. */
const likelyToFail = (job: RedriveJobView) =>
  job.warning ? ` ${plural(job.warning.count, "letter")} will likely fail again: ${job.warning.error}.` : "";

/** A queue's dead letters: its facts, the reader's lease, the list and the open letter, the actions and their dialogs. */
export function DeadLetterBrowser({ queue, role }: { queue: string; role: Role }) {
  const canOperate = roleAtLeast(role, "operator");
  const isAdmin = roleAtLeast(role, "admin");
  const sizes = canOperate ? operatorSizes : viewerSizes;
  const overview = useDeadLetterOverview();
  const dlq = overview.data?.deadLetterQueues.find((d) => d.name === queue);
  // The same rule the server applies: a DLQ's source queues, and other queues for an admin who confirms.
  const targets = dlq ? sourceQueueNames(dlq) : [];
  const canChooseOtherQueue = mayReplayElsewhere(role);
  const letters = useLeasedLetters(queue);
  const { lease, loaded } = letters;
  const failures = useFailureGroups(queue, letters.shown);
  const replayTarget = useReplayTarget(targets);
  const release = useReleaseLease(queue);
  const replay = useReplay(queue);
  const remove = useDeleteMessages(queue);
  const purge = usePurge(queue);
  const capabilities = useCapabilities();
  const holds = useQueueHolds(queue);
  const takeOver = useTakeOver(queue);
  // Only the lease on screen counts: a notice about an earlier one is history.
  const takenOver =
    holds.data?.takenOver && holds.data.takenOver.leaseId === lease.data?.leaseId ? holds.data.takenOver : undefined;
  const [dialog, setDialog] = useState<Dialog>();
  const [redriveAllOpen, setRedriveAllOpen] = useState(false);
  const [copyIds, setCopyIds] = useState<string[]>();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(tick);
  }, []);
  // The queue's depth read before this view's lease would show its letters as visible: read it again once leased.
  const queryClient = useQueryClient();
  const leaseId = lease.data?.leaseId;
  useEffect(() => {
    if (leaseId) void queryClient.invalidateQueries({ queryKey: deadLetterKeys.overview() });
  }, [leaseId, queryClient]);
  // Letters of a lease an operator took over are someone else's now: out of the list.
  const { forgetAll } = letters;
  const takenOverLease = takenOver?.leaseId;
  useEffect(() => {
    if (takenOverLease) forgetAll();
  }, [takenOverLease, forgetAll]);

  const replayIds = (ids: string[], edits?: ReplayEditsInput) => {
    const requestTarget = replayTarget.requestTarget();
    if (!requestTarget) return;
    replay.mutate(
      { messageIds: ids, ...requestTarget, ...(edits ? { edits } : {}), clientKey: crypto.randomUUID() },
      {
        onSuccess: (job) => {
          letters.forget(ids);
          showToast(
            `Replaying ${ids.length} message${ids.length === 1 ? "" : "s"} to ` +
              `${job.target ?? (job.eachToOwnSource ? "each one's own source queue" : "the source queue")}.` +
              likelyToFail(job),
          );
        },
        onError: (err) => showToast(`Replay refused: ${err.message}`),
      },
    );
  };

  const exportIds = (ids: string[], options: { reveal?: boolean } = {}) =>
    void exportMessages(queue, ids, options).catch((err: unknown) =>
      showToast(err instanceof Error ? err.message : "Export failed."),
    );

  const deleteIds = (ids: string[]) =>
    remove.mutate(ids, {
      onSuccess: (r) => {
        letters.forget(r.deleted);
        setDialog(undefined);
        showToast(
          `Deleted ${r.deleted.length} message(s)${r.notLeased.length ? `; ${r.notLeased.length} were no longer leased to you` : ""}.`,
        );
      },
      onError: (err) => showToast(`Delete failed: ${err.message}`),
    });

  const takeOverFrom = (holder: string) =>
    takeOver.mutate(holder, {
      onSuccess: (r) => {
        showToast(
          `Took over ${plural(r.released, "letter")} from ${holder}` +
            (r.jobsNotTakenOver.length ? "; a redrive job's letters stay with the job (cancel it to free them)" : "") +
            ". Leasing them to you.",
        );
        letters.reload();
      },
      onError: (err) => showToast(`Take over refused: ${err.message}`),
    });

  const purgeQueue = () =>
    purge.mutate(queue, {
      onSuccess: () => {
        setDialog(undefined);
        letters.forgetAll();
        showToast(`${queue} purged.`);
      },
      onError: (err) => showToast(`Purge failed: ${err.message}`),
    });

  const moveTask = capabilities.data?.capabilities["sqs:StartMessageMoveTask"];
  const active = letters.active;

  return (
    <div className="stack">
      <QueueFacts queue={queue} dlq={dlq} pending={overview.isPending} canOperate={canOperate} />

      {holds.data ? (
        <LeaseBanner
          holds={holds.data}
          takenOver={takenOver}
          canOperate={canOperate}
          busy={takeOver.isPending}
          onTakeOver={takeOverFrom}
        />
      ) : null}

      {lease.isPending ? (
        <Skeleton rows={6} label="Receiving messages" />
      ) : lease.isError ? (
        <LeaseRefused
          error={lease.error}
          onConfirmSourceRead={letters.confirmSourceRead}
          onRetry={() => void lease.refetch()}
        />
      ) : (
        <>
          <LeasePanel
            lease={lease.data}
            leased={letters.held}
            canOperate={canOperate}
            max={letters.max}
            sizes={sizes}
            onMax={letters.setMax}
            onReload={letters.reload}
            releasing={release.isPending}
            onRelease={() =>
              release.mutate(undefined, {
                onSuccess: (r) => {
                  letters.forgetAll();
                  showToast(`Released ${r.released} message(s).`);
                },
              })
            }
          />

          <MaskingNote masking={lease.data.masking} />

          <section className="panel" aria-label="Messages">
            <LetterToolbar
              queue={queue}
              targets={targets}
              replayTarget={replayTarget}
              fifo={dlq?.fifo}
              search={letters.search}
              onSearch={letters.setSearch}
              shownCount={letters.shown.length}
              selectedIds={letters.selectedIds}
              canOperate={canOperate}
              canChooseOtherQueue={canChooseOtherQueue}
              isAdmin={isAdmin}
              isDeadLetterQueue={dlq !== undefined}
              replaying={replay.isPending}
              onReplay={() => replayIds(letters.selectedIds)}
              onDelete={() => setDialog({ kind: "delete", ids: letters.selectedIds })}
              onExport={() => exportIds(letters.selectedIds)}
              onCopy={() => setCopyIds(letters.selectedIds)}
              onRedriveAll={() => setRedriveAllOpen(true)}
              onPurge={() => setDialog({ kind: "purge" })}
            />
            {canOperate && dlq && letters.selectedIds.length > 0 && !redriveAllOpen ? (
              <ReplayWarningNote queue={queue} messageIds={letters.selectedIds} />
            ) : null}
            {redriveAllOpen && dlq ? (
              <RedriveAllForm
                warning={<ReplayWarningNote queue={queue} />}
                fifo={dlq.fifo}
                sources={targets}
                canChooseOtherQueue={canChooseOtherQueue}
                moveTaskSupported={moveTask === undefined ? undefined : moveTask === "supported"}
                busy={replay.isPending}
                {...(replay.isError ? { error: replay.error.message } : {})}
                onClose={() => setRedriveAllOpen(false)}
                onSubmit={(request) =>
                  // The lease's messages must be visible for the job to receive them.
                  release.mutate(undefined, {
                    onSettled: () =>
                      replay.mutate(request, {
                        onSuccess: (job) => {
                          setRedriveAllOpen(false);
                          letters.forgetAll();
                          showToast(
                            `Redrive started to ${job.target ?? (job.eachToOwnSource ? "each letter's own source queue" : "the source queue")}.` +
                              likelyToFail(job),
                          );
                        },
                      }),
                  })
                }
              />
            ) : null}
            {letters.shown.length === 0 && !letters.search.trim() ? (
              <NoLettersShown holds={holds.data} loaded={loaded!.length} />
            ) : (
              <>
                <FailureGroups
                  groups={failures.groups}
                  selectedIds={letters.selected}
                  onSelectGroup={letters.selectOnly}
                  {...(canOperate ? { onReplayGroup: (group) => setDialog({ kind: "replay-group", group }) } : {})}
                  onExportGroup={(group) => exportIds(group.messageIds)}
                  unreadTraces={failures.unreadTraces}
                  {...(failures.reading ? { reading: failures.reading } : {})}
                  onReadTraces={() => void failures.readTraces()}
                />
                <div className="browser-layout">
                  <MessageList
                    messages={letters.shown}
                    failures={failures.failureById}
                    selectedIds={letters.selected}
                    activeId={letters.activeId}
                    onToggle={letters.toggle}
                    onToggleAll={letters.toggleAll}
                    onOpen={letters.setActiveId}
                    now={now}
                  />
                  {active ? (
                    <MessageDetail
                      key={active.messageId}
                      queue={queue}
                      message={active}
                      masking={lease.data.masking}
                      canOperate={canOperate}
                      now={now}
                      busy={replay.isPending || remove.isPending}
                      onReplay={() => replayIds([active.messageId])}
                      onEditReplay={(edits) => replayIds([active.messageId], edits)}
                      {...(dlq ? { onDelete: () => setDialog({ kind: "delete", ids: [active.messageId] }) } : {})}
                      onExport={() => exportIds([active.messageId])}
                      onExportRevealed={() => exportIds([active.messageId], { reveal: true })}
                    />
                  ) : (
                    <p className="muted detail-placeholder">Choose a message to see it in full.</p>
                  )}
                </div>
              </>
            )}
          </section>
        </>
      )}

      <section className="panel" aria-labelledby="jobs-heading">
        <h2 id="jobs-heading">Redrive jobs</h2>
        <RedriveJobs queue={queue} canOperate={canOperate} />
      </section>

      <DeleteLettersDialog
        ids={dialog?.kind === "delete" ? dialog.ids : undefined}
        busy={remove.isPending}
        onCancel={() => setDialog(undefined)}
        onConfirm={deleteIds}
      />
      <ReplayGroupDialog
        queue={queue}
        group={dialog?.kind === "replay-group" ? dialog.group : undefined}
        target={replayTarget.describe()}
        busy={replay.isPending}
        onCancel={() => setDialog(undefined)}
        onConfirm={(ids) => {
          setDialog(undefined);
          replayIds(ids);
        }}
      />
      <PurgeQueueDialog
        queue={queue}
        open={dialog?.kind === "purge"}
        busy={purge.isPending}
        onCancel={() => setDialog(undefined)}
        onConfirm={purgeQueue}
      />
      {canOperate ? (
        <CopyLettersDialog
          queue={queue}
          ids={copyIds}
          onClose={() => setCopyIds(undefined)}
          onCopied={(moved) => letters.forget(moved)}
        />
      ) : null}
    </div>
  );
}
