import { useState } from "react";
import type { ReplayRequest } from "@/lib/queries/dead-letter-messages";
import { SearchField } from "../ui/search-field";
import { showToast } from "../ui/toaster";

/** The "Replay to" choice that stands for a queue that is not one of the DLQ's sources (admins only). */
const OTHER_QUEUE = "__other";

/**
 * Where a replay goes: the one source, the source chosen, each letter's own source (several
 * sources, none chosen: DeadLetterQueueSourceArn decides), or another queue an admin names and confirms.
 */
export function useReplayTarget(targets: string[]) {
  const [target, setTarget] = useState("");
  const [otherTarget, setOtherTarget] = useState("");
  const [otherConfirmed, setOtherConfirmed] = useState(false);
  const chosenTarget = target === OTHER_QUEUE ? undefined : target || (targets.length === 1 ? targets[0] : undefined);
  const otherQueue = target === OTHER_QUEUE ? otherTarget.trim() : "";

  /** The request's target, or undefined (with a toast saying why) while the other queue is not named and confirmed. */
  const requestTarget = (): Pick<ReplayRequest, "target"> | undefined => {
    if (target === OTHER_QUEUE && (!otherQueue || !otherConfirmed)) {
      showToast("Name the other queue and confirm that it is not a source of this DLQ first.");
      return undefined;
    }
    return otherQueue
      ? { target: { queue: otherQueue, override: true } }
      : chosenTarget
        ? { target: chosenTarget }
        : {};
  };

  /** Where the next replay goes, in words: the same choice the toolbar's "Replay to" shows. */
  const describe = () =>
    otherQueue
      ? `${otherQueue} (not a source of this DLQ)`
      : chosenTarget
        ? chosenTarget
        : "each letter's own source queue";

  return {
    target,
    describe,
    choose: (value: string) => {
      setTarget(value);
      setOtherConfirmed(false);
    },
    otherTarget,
    setOtherTarget,
    otherConfirmed,
    setOtherConfirmed,
    requestTarget,
  };
}

/** The list's toolbar: search, where replays go, what is shown and selected, and the actions on the selection. */
export function LetterToolbar({
  queue,
  targets,
  replayTarget,
  fifo,
  search,
  onSearch,
  shownCount,
  selectedIds,
  canOperate,
  canChooseOtherQueue,
  isAdmin,
  isDeadLetterQueue,
  replaying,
  onReplay,
  onDelete,
  onExport,
  onCopy,
  onRedriveAll,
  onPurge,
}: {
  queue: string;
  targets: string[];
  replayTarget: ReturnType<typeof useReplayTarget>;
  fifo: boolean | undefined;
  search: string;
  onSearch: (search: string) => void;
  shownCount: number;
  selectedIds: string[];
  canOperate: boolean;
  canChooseOtherQueue: boolean;
  isAdmin: boolean;
  isDeadLetterQueue: boolean;
  replaying: boolean;
  onReplay: () => void;
  onDelete: () => void;
  onExport: () => void;
  onCopy: () => void;
  onRedriveAll: () => void;
  onPurge: () => void;
}) {
  return (
    <div className="toolbar">
      <SearchField
        label="Search loaded messages"
        placeholder="Search loaded messages: text, or name=value"
        value={search}
        onChange={onSearch}
      />
      {canOperate && (targets.length > 1 || canChooseOtherQueue) ? (
        <label className="field-row">
          Replay to
          <select value={replayTarget.target} onChange={(e) => replayTarget.choose(e.target.value)}>
            <option value="">{targets.length === 1 ? `${targets[0]} (source)` : "each to its own source"}</option>
            {targets.length > 1
              ? targets.map((t) => (
                  <option key={t} value={t}>
                    {t} (source)
                  </option>
                ))
              : null}
            {canChooseOtherQueue ? (
              <option value={OTHER_QUEUE}>Another {fifo ? "FIFO" : "standard"} queue (admin)…</option>
            ) : null}
          </select>
        </label>
      ) : null}
      {replayTarget.target === OTHER_QUEUE ? (
        <>
          <input
            aria-label="Other queue name"
            className="text-input"
            value={replayTarget.otherTarget}
            onChange={(e) => replayTarget.setOtherTarget(e.target.value)}
            placeholder="queue name"
          />
          <label className="field-row">
            <input
              type="checkbox"
              checked={replayTarget.otherConfirmed}
              onChange={(e) => replayTarget.setOtherConfirmed(e.target.checked)}
            />{" "}
            Send to a queue that is not a source of {queue}
          </label>
        </>
      ) : null}
      <span className="muted">
        {shownCount} shown · {selectedIds.length} selected
      </span>
      {canOperate ? (
        <>
          <button type="button" className="button" disabled={selectedIds.length === 0 || replaying} onClick={onReplay}>
            Replay selected
          </button>
          {isDeadLetterQueue ? (
            <button type="button" className="button" disabled={selectedIds.length === 0} onClick={onDelete}>
              Delete selected…
            </button>
          ) : null}
          {isDeadLetterQueue ? (
            <button type="button" className="button" disabled={selectedIds.length === 0} onClick={onCopy}>
              Copy to another environment…
            </button>
          ) : null}
        </>
      ) : null}
      <button type="button" className="button" disabled={selectedIds.length === 0} onClick={onExport}>
        Export selected
      </button>
      {canOperate && isDeadLetterQueue ? (
        <button type="button" className="button" onClick={onRedriveAll}>
          Redrive all…
        </button>
      ) : null}
      {isAdmin && isDeadLetterQueue ? (
        <button type="button" className="button button-danger-quiet" onClick={onPurge}>
          Purge…
        </button>
      ) : null}
    </div>
  );
}
