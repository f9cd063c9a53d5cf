"use client";
import { useState } from "react";
import type { FailureGroup } from "@/lib/domain/failure-groups";
import { plural } from "@/lib/domain/format";
import { TRACE_READS, type TraceReading } from "./use-failure-groups";

/** Groups listed before "Show all": a lease of varied payloads can have hundreds. */
const GROUPS_SHOWN = 6;
/** Characters of a group's label kept in its button's accessible name. */
const NAME_CHARS = 80;

const day = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });

/** When the group's letters were sent: one time when they all fall in the same minute. */
function sentRange(oldest: string, newest: string): string {
  const [from, to] = [day(oldest), day(newest)];
  return from === to ? from : `${from} – ${to}`;
}

/** "(trace)" or "(shape)": where a failure label came from. */
export function failureSourceTag(source: FailureGroup["source"]): string {
  return source === "trace" ? "(trace)" : "(shape)";
}

/** Reading the traces of letters not read yet, so that their groups name the exception. */
function ReadTraces({ unread, reading, onRead }: { unread: number; reading?: TraceReading; onRead: () => void }) {
  const busy = reading !== undefined && reading.done < reading.total;
  if (busy)
    return (
      <p className="muted" role="status">
        Reading traces: {reading.done} of {reading.total}…
      </p>
    );
  return (
    <p className="muted" role="status">
      {reading ? (
        <>
          Read the traces of {plural(reading.total, "letter")}
          {reading.failed ? ` (${reading.failed} could not be read)` : ""}.{" "}
        </>
      ) : null}
      {unread > 0 ? (
        <button type="button" className="link-button" onClick={onRead}>
          Group by exception: read the {unread === 1 ? "trace" : "traces"} of{" "}
          {unread > TRACE_READS ? `${TRACE_READS} more letters` : plural(unread, "letter")} (X-Ray)
        </button>
      ) : null}
    </p>
  );
}

/**
 * The shown letters by why they failed, largest group first. "Select this group" selects its letters
 * (and only them), so the toolbar's Replay and Export act on the group; "Replay…" asks first, with
 * the replay check's warning, and "Export" downloads the group. Labels are message content: text only.
 */
export function FailureGroups({
  groups,
  selectedIds,
  onSelectGroup,
  onReplayGroup,
  onExportGroup,
  unreadTraces,
  reading,
  onReadTraces,
}: {
  groups: FailureGroup[];
  selectedIds: ReadonlySet<string>;
  onSelectGroup: (ids: string[]) => void;
  /** Absent for a reader who may not replay. */
  onReplayGroup?: (group: FailureGroup) => void;
  onExportGroup: (group: FailureGroup) => void;
  unreadTraces: number;
  reading?: TraceReading;
  onReadTraces: () => void;
}) {
  const [all, setAll] = useState(false);
  if (groups.length === 0) return null;
  const shown = all ? groups : groups.slice(0, GROUPS_SHOWN);
  return (
    <section className="failure-groups" aria-labelledby="failure-groups-heading">
      <h3 id="failure-groups-heading">Why they failed</h3>
      <p className="muted">
        (trace): the exception of the invocation that failed, from the letter&apos;s trace once read; (shape): the
        payload&apos;s keys and types.
      </p>
      <ReadTraces unread={unreadTraces} {...(reading ? { reading } : {})} onRead={onReadTraces} />
      <ul>
        {shown.map((group) => {
          const isSelected = selectedIds.size === group.count && group.messageIds.every((id) => selectedIds.has(id));
          return (
            <li key={group.key} className="failure-group" data-testid="failure-group">
              <strong>{plural(group.count, "letter")}</strong>
              <span className="failure-group-label mono" title={group.label}>
                {group.label}
              </span>
              <span className="muted">{failureSourceTag(group.source)}</span>
              {group.oldest && group.newest ? (
                <span className="muted">{sentRange(group.oldest, group.newest)}</span>
              ) : null}
              <button
                type="button"
                className="button"
                aria-pressed={isSelected}
                aria-label={`Select this group: ${plural(group.count, "letter")}, ${group.label.slice(0, NAME_CHARS)}`}
                onClick={() => onSelectGroup(group.messageIds)}
              >
                Select this group
              </button>
              {onReplayGroup ? (
                <button
                  type="button"
                  className="button"
                  aria-label={`Replay this group: ${plural(group.count, "letter")}, ${group.label.slice(0, NAME_CHARS)}`}
                  onClick={() => onReplayGroup(group)}
                >
                  Replay…
                </button>
              ) : null}
              <button
                type="button"
                className="button"
                aria-label={`Export this group: ${plural(group.count, "letter")}, ${group.label.slice(0, NAME_CHARS)}`}
                onClick={() => onExportGroup(group)}
              >
                Export
              </button>
            </li>
          );
        })}
      </ul>
      {groups.length > GROUPS_SHOWN ? (
        <button type="button" className="link-button" onClick={() => setAll((v) => !v)}>
          {all ? `Show the first ${GROUPS_SHOWN} groups` : `Show all ${groups.length} groups`}
        </button>
      ) : null}
    </section>
  );
}
