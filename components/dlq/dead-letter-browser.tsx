"use client";
import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import { matchesSearch } from "@/lib/domain/dead-letter-message";
import { VIEWER_LEASE_LIMITS } from "@/lib/domain/dead-letter-lease";
import { formatDuration } from "@/lib/domain/dead-letters";
import { mayReplayElsewhere, sourceQueueNames } from "@/lib/domain/replay";
import { roleAtLeast, type Role } from "@/lib/domain/roles";
import { arnName } from "@/lib/domain/subscription";
import { useCapabilities } from "@/lib/queries/capabilities";
import { useDeadLetterOverview } from "@/lib/queries/dead-letters";
import {
  exportMessages,
  useDeleteMessages,
  useLease,
  usePurge,
  useReleaseLease,
  useReplay,
} from "@/lib/queries/dead-letter-messages";
import { ApiError } from "@/lib/queries/fetch-json";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { EmptyState } from "../ui/empty-state";
import { ErrorState } from "../ui/error-state";
import { Skeleton } from "../ui/skeleton";
import { showToast } from "../ui/toaster";
import { MessageDetail, type ReplayEditsInput } from "./message-detail";
import { MessageList } from "./message-list";
import { QueueConsumers } from "./queue-consumers";
import { RedriveAllForm } from "./redrive-all-form";
import { RedriveJobs } from "./redrive-jobs";

/** The "Replay to" choice that stands for a queue that is not one of the DLQ's sources (admins only). */
const OTHER_QUEUE = "__other";

type Dialog = { kind: "delete"; ids: string[] } | { kind: "purge" } | undefined;

const operatorSizes = [100, 500, 1000];
// A viewer's lease is capped on the server; offer no more than it grants.
const viewerSizes = operatorSizes.filter((n) => n <= VIEWER_LEASE_LIMITS.messages);

export function DeadLetterBrowser({ queue, role }: { queue: string; role: Role }) {
  const canOperate = roleAtLeast(role, "operator");
  const isAdmin = roleAtLeast(role, "admin");
  const sizes = canOperate ? operatorSizes : viewerSizes;
  const overview = useDeadLetterOverview();
  const dlq = overview.data?.deadLetterQueues.find((d) => d.name === queue);
  // The same rule the server applies: a DLQ's source queues, and other queues for an admin who confirms.
  const targets = dlq ? sourceQueueNames(dlq) : [];
  const canChooseOtherQueue = mayReplayElsewhere(role);
  const [confirmSourceRead, setConfirmSourceRead] = useState(false);
  const [max, setMax] = useState(100);
  const lease = useLease(queue, { enabled: true, confirmSourceRead, max, onRenewRefused: showToast });
  const release = useReleaseLease(queue);
  const replay = useReplay(queue);
  const remove = useDeleteMessages(queue);
  const purge = usePurge(queue);
  const capabilities = useCapabilities();
  const [search, setSearch] = useState("");
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [activeId, setActiveId] = useState<string>();
  const [gone, setGone] = useState<ReadonlySet<string>>(new Set());
  const [target, setTarget] = useState("");
  const [otherTarget, setOtherTarget] = useState("");
  const [otherConfirmed, setOtherConfirmed] = useState(false);
  const [dialog, setDialog] = useState<Dialog>();
  const [redriveAllOpen, setRedriveAllOpen] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(tick);
  }, []);

  const loaded = lease.data?.messages;
  const shown = useMemo(
    () => (loaded ?? []).filter((m) => !gone.has(m.messageId) && matchesSearch(m, search)),
    [loaded, gone, search],
  );
  const active = shown.find((m) => m.messageId === activeId);
  const chosenTarget = target === OTHER_QUEUE ? undefined : target || (targets.length === 1 ? targets[0] : undefined);
  const otherQueue = target === OTHER_QUEUE ? otherTarget.trim() : "";
  const selectedIds = [...selected].filter((id) => shown.some((m) => m.messageId === id));

  const forget = (ids: string[]) => {
    setGone((prev) => new Set([...prev, ...ids]));
    setSelected((prev) => new Set([...prev].filter((id) => !ids.includes(id))));
  };

  // With several sources and no queue chosen, each letter goes back to the source it names (DeadLetterQueueSourceArn).
  const replayIds = (ids: string[], edits?: ReplayEditsInput) => {
    if (target === OTHER_QUEUE && (!otherQueue || !otherConfirmed)) {
      showToast("Name the other queue and confirm that it is not a source of this DLQ first.");
      return;
    }
    const requestTarget = otherQueue
      ? { target: { queue: otherQueue, override: true } }
      : chosenTarget
        ? { target: chosenTarget }
        : {};
    replay.mutate(
      { messageIds: ids, ...requestTarget, ...(edits ? { edits } : {}), clientKey: crypto.randomUUID() },
      {
        onSuccess: (job) => {
          forget(ids);
          showToast(
            `Replaying ${ids.length} message${ids.length === 1 ? "" : "s"} to ` +
              `${job.target ?? (job.eachToOwnSource ? "each one's own source queue" : "the source queue")}.`,
          );
        },
        onError: (err) => showToast(`Replay refused: ${err.message}`),
      },
    );
  };

  const exportIds = (ids: string[]) =>
    void exportMessages(queue, ids).catch((err: unknown) =>
      showToast(err instanceof Error ? err.message : "Export failed."),
    );

  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const toggleAll = () =>
    setSelected((prev) =>
      shown.length > 0 && shown.every((m) => prev.has(m.messageId))
        ? new Set()
        : new Set(shown.map((m) => m.messageId)),
    );

  const moveTask = capabilities.data?.capabilities["sqs:StartMessageMoveTask"];

  return (
    <div className="stack">
      <section className="panel" aria-label="Queue">
        {overview.isPending ? (
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
                      queue <strong>{s.name}</strong> <span className="muted">after {s.maxReceiveCount} receives</span>{" "}
                      — consumer: <QueueConsumers queue={s.name} canOperate={canOperate} />
                    </li>
                  ) : (
                    <li key={s.subscriptionArn}>
                      subscription to{" "}
                      <Link href={`/filter-policies/${encodeURIComponent(s.subscriptionArn)}`}>
                        {arnName(s.endpoint)}
                      </Link>{" "}
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

      {lease.isPending ? (
        <Skeleton rows={6} label="Receiving messages" />
      ) : lease.isError ? (
        lease.error instanceof ApiError && lease.error.code === "confirmation_required" ? (
          <div className="confirm" role="alertdialog" aria-labelledby="source-read-heading">
            <h3 id="source-read-heading">Read a source queue?</h3>
            <p>{lease.error.message}</p>
            <div className="row-actions">
              <button type="button" className="button button-primary" onClick={() => setConfirmSourceRead(true)}>
                Read it anyway
              </button>
              <Link className="button" href="/dead-letters">
                Back to dead letters
              </Link>
            </div>
          </div>
        ) : (
          <ErrorState
            code={lease.error instanceof ApiError ? lease.error.code : undefined}
            message={lease.error.message}
            onRetry={() => void lease.refetch()}
          />
        )
      ) : (
        <>
          <section className="panel" aria-label="Lease">
            <p className="lease-line" role="status">
              {loaded!.length} message{loaded!.length === 1 ? "" : "s"} leased to you until{" "}
              {new Date(lease.data.expiresAt).toLocaleTimeString()} (renewed while this view is open
              {canOperate ? "" : `, up to ${VIEWER_LEASE_LIMITS.secondsPerHour / 60} minutes an hour`}): other readers
              do not see them meanwhile.{lease.data.limited ? ` The queue may hold more than the ${max} loaded.` : ""}
            </p>
            {lease.data.notes.map((note) => (
              <p key={note} className="muted">
                {note}
              </p>
            ))}
            <div className="row-actions">
              <label className="field-row">
                Load up to
                <select value={max} onChange={(e) => setMax(Number(e.target.value))}>
                  {sizes.map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                className="button"
                onClick={() => void lease.refetch().then(() => setGone(new Set()))}
              >
                Reload
              </button>
              <button
                type="button"
                className="button"
                disabled={release.isPending}
                onClick={() =>
                  release.mutate(undefined, { onSuccess: (r) => showToast(`Released ${r.released} message(s).`) })
                }
              >
                Release now
              </button>
            </div>
          </section>

          <section className="panel" aria-label="Messages">
            <div className="toolbar">
              <label className="search">
                <span className="visually-hidden">Search loaded messages</span>
                <input
                  type="search"
                  placeholder="Search loaded messages: text, or name=value"
                  value={search}
                  onChange={(e) => setSearch(e.target.value)}
                />
              </label>
              {canOperate && (targets.length > 1 || canChooseOtherQueue) ? (
                <label className="field-row">
                  Replay to
                  <select
                    value={target}
                    onChange={(e) => {
                      setTarget(e.target.value);
                      setOtherConfirmed(false);
                    }}
                  >
                    <option value="">
                      {targets.length === 1 ? `${targets[0]} (source)` : "each to its own source"}
                    </option>
                    {targets.length > 1
                      ? targets.map((t) => (
                          <option key={t} value={t}>
                            {t} (source)
                          </option>
                        ))
                      : null}
                    {canChooseOtherQueue ? (
                      <option value={OTHER_QUEUE}>Another {dlq?.fifo ? "FIFO" : "standard"} queue (admin)…</option>
                    ) : null}
                  </select>
                </label>
              ) : null}
              {target === OTHER_QUEUE ? (
                <>
                  <input
                    aria-label="Other queue name"
                    className="text-input"
                    value={otherTarget}
                    onChange={(e) => setOtherTarget(e.target.value)}
                    placeholder="queue name"
                  />
                  <label className="field-row">
                    <input
                      type="checkbox"
                      checked={otherConfirmed}
                      onChange={(e) => setOtherConfirmed(e.target.checked)}
                    />{" "}
                    Send to a queue that is not a source of {queue}
                  </label>
                </>
              ) : null}
              <span className="muted">
                {shown.length} shown · {selectedIds.length} selected
              </span>
              {canOperate ? (
                <>
                  <button
                    type="button"
                    className="button"
                    disabled={selectedIds.length === 0 || replay.isPending}
                    onClick={() => replayIds(selectedIds)}
                  >
                    Replay selected
                  </button>
                  {dlq ? (
                    <button
                      type="button"
                      className="button"
                      disabled={selectedIds.length === 0}
                      onClick={() => setDialog({ kind: "delete", ids: selectedIds })}
                    >
                      Delete selected…
                    </button>
                  ) : null}
                </>
              ) : null}
              <button
                type="button"
                className="button"
                disabled={selectedIds.length === 0}
                onClick={() => exportIds(selectedIds)}
              >
                Export selected
              </button>
              {canOperate && dlq ? (
                <button type="button" className="button" onClick={() => setRedriveAllOpen(true)}>
                  Redrive all…
                </button>
              ) : null}
              {isAdmin && dlq ? (
                <button
                  type="button"
                  className="button button-danger-quiet"
                  onClick={() => setDialog({ kind: "purge" })}
                >
                  Purge…
                </button>
              ) : null}
            </div>
            {redriveAllOpen && dlq ? (
              <RedriveAllForm
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
                          forget((loaded ?? []).map((m) => m.messageId));
                          showToast(
                            `Redrive started to ${job.target ?? (job.eachToOwnSource ? "each letter's own source queue" : "the source queue")}.`,
                          );
                        },
                      }),
                  })
                }
              />
            ) : null}
            {loaded!.length === 0 ? (
              <EmptyState title="No messages in this queue right now." />
            ) : (
              <div className="browser-layout">
                <MessageList
                  messages={shown}
                  selectedIds={selected}
                  activeId={activeId}
                  onToggle={toggle}
                  onToggleAll={toggleAll}
                  onOpen={setActiveId}
                  now={now}
                />
                {active ? (
                  <MessageDetail
                    key={active.messageId}
                    queue={queue}
                    message={active}
                    canOperate={canOperate}
                    now={now}
                    busy={replay.isPending || remove.isPending}
                    onReplay={() => replayIds([active.messageId])}
                    onEditReplay={(edits) => replayIds([active.messageId], edits)}
                    {...(dlq ? { onDelete: () => setDialog({ kind: "delete", ids: [active.messageId] }) } : {})}
                    onExport={() => exportIds([active.messageId])}
                  />
                ) : (
                  <p className="muted detail-placeholder">Choose a message to see it in full.</p>
                )}
              </div>
            )}
          </section>
        </>
      )}

      <section className="panel" aria-labelledby="jobs-heading">
        <h2 id="jobs-heading">Redrive jobs</h2>
        <RedriveJobs queue={queue} canOperate={canOperate} />
      </section>

      <ConfirmDialog
        open={dialog?.kind === "delete"}
        title={`Delete ${dialog?.kind === "delete" ? dialog.ids.length : 0} message(s) for good?`}
        confirmLabel="Delete"
        danger
        busy={remove.isPending}
        onCancel={() => setDialog(undefined)}
        onConfirm={() => {
          if (dialog?.kind !== "delete") return;
          remove.mutate(dialog.ids, {
            onSuccess: (r) => {
              forget(r.deleted);
              setDialog(undefined);
              showToast(
                `Deleted ${r.deleted.length} message(s)${r.notLeased.length ? `; ${r.notLeased.length} were no longer leased to you` : ""}.`,
              );
            },
            onError: (err) => showToast(`Delete failed: ${err.message}`),
          });
        }}
      >
        <p>They cannot be replayed afterwards. Export them first if you may need them.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog?.kind === "purge"}
        title={`Purge ${queue}?`}
        confirmLabel="Purge the queue"
        danger
        typeToConfirm={queue}
        busy={purge.isPending}
        onCancel={() => setDialog(undefined)}
        onConfirm={() =>
          purge.mutate(queue, {
            onSuccess: () => {
              setDialog(undefined);
              forget((loaded ?? []).map((m) => m.messageId));
              showToast(`${queue} purged.`);
            },
            onError: (err) => showToast(`Purge failed: ${err.message}`),
          })
        }
      >
        <p>
          Every message in the queue is deleted, including ones nobody has read. SQS allows one purge per queue every 60
          seconds.
        </p>
      </ConfirmDialog>
    </div>
  );
}
