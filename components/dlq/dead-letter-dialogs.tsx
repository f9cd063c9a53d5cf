import type { FailureGroup } from "@/lib/domain/failure-groups";
import { plural } from "@/lib/domain/format";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { ReplayWarningNote } from "./replay-warning-note";

/** Confirms deleting chosen letters for good. */
export function DeleteLettersDialog({
  ids,
  busy,
  onCancel,
  onConfirm,
}: {
  /** The letters to delete; undefined while the dialog is closed. */
  ids: string[] | undefined;
  busy: boolean;
  onCancel: () => void;
  onConfirm: (ids: string[]) => void;
}) {
  return (
    <ConfirmDialog
      open={ids !== undefined}
      title={`Delete ${ids?.length ?? 0} message(s) for good?`}
      confirmLabel="Delete"
      danger
      busy={busy}
      onCancel={onCancel}
      onConfirm={() => {
        if (ids) onConfirm(ids);
      }}
    >
      <p>They cannot be replayed afterwards. Export them first if you may need them.</p>
    </ConfirmDialog>
  );
}

/** Confirms purging the whole queue, the queue's name typed in. */
export function PurgeQueueDialog({
  queue,
  open,
  busy,
  onCancel,
  onConfirm,
}: {
  queue: string;
  open: boolean;
  busy: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  return (
    <ConfirmDialog
      open={open}
      title={`Purge ${queue}?`}
      confirmLabel="Purge the queue"
      danger
      typeToConfirm={queue}
      busy={busy}
      onCancel={onCancel}
      onConfirm={onConfirm}
    >
      <p>
        Every message in the queue is deleted, including ones nobody has read. SQS allows one purge per queue every 60
        seconds.
      </p>
    </ConfirmDialog>
  );
}

/** Confirms replaying one failure group, with the replay check's warning on its letters. */
export function ReplayGroupDialog({
  queue,
  group,
  target,
  busy,
  onCancel,
  onConfirm,
}: {
  queue: string;
  /** The group to replay; undefined while the dialog is closed. */
  group: FailureGroup | undefined;
  /** Where the letters go, in words. */
  target: string;
  busy: boolean;
  onCancel: () => void;
  onConfirm: (ids: string[]) => void;
}) {
  return (
    <ConfirmDialog
      open={group !== undefined}
      title={`Replay ${plural(group?.count ?? 0, "letter")}?`}
      confirmLabel="Replay"
      busy={busy}
      onCancel={onCancel}
      onConfirm={() => {
        if (group) onConfirm(group.messageIds);
      }}
    >
      {group ? (
        <>
          <p>
            The group <span className="mono">{group.label}</span> goes to {target}.
          </p>
          <ReplayWarningNote queue={queue} messageIds={group.messageIds} />
        </>
      ) : null}
    </ConfirmDialog>
  );
}
