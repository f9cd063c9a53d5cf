"use client";
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import type { DeadLetterMessage } from "@/lib/domain/dead-letter-message";
import { formatDuration } from "@/lib/domain/dead-letters";
import type { FailureKey } from "@/lib/domain/failure-groups";
import { failureSourceTag } from "./failure-groups";

/** Row height in px; the rows are positioned from it, so CSS must not change it. */
const ROW_HEIGHT = 52;
/** Rows rendered above and below the visible ones. */
const OVERSCAN = 8;
/** The viewport's height before it is measured (28rem at the default 16px). */
const DEFAULT_VIEWPORT_HEIGHT = 448;
/** Characters of payload kept for the one-line preview: CSS truncates further, this bounds the DOM. */
const PREVIEW_CHARS = 240;
const HOUR_MS = 3_600_000;
const UNKNOWN_EXPIRY = "FIFO: SQS resets the enqueue time when it dead-letters a message, and does not say when";

export interface MessageListProps {
  /** Already filtered by the parent. */
  messages: DeadLetterMessage[];
  /** Each letter's failure group, by message id. */
  failures: ReadonlyMap<string, FailureKey>;
  /** Checked rows. */
  selectedIds: ReadonlySet<string>;
  /** Row shown in the detail pane. */
  activeId?: string;
  /** Checkbox / Space. */
  onToggle(id: string): void;
  /** Header checkbox: checks all shown, or clears. */
  onToggleAll(): void;
  /** Click on a row / Enter. */
  onOpen(id: string): void;
  /** Date.now() from the parent, for "expires in". */
  now: number;
}

function previewOf(m: DeadLetterMessage): string {
  const text = m.sns ? m.sns.message : m.body;
  return text
    .slice(0, PREVIEW_CHARS * 2)
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, PREVIEW_CHARS);
}

function sentOf(m: DeadLetterMessage): string {
  if (!m.system.sentAt) return "—";
  const date = new Date(m.system.sentAt);
  return Number.isNaN(date.getTime())
    ? "—"
    : date.toLocaleString(undefined, {
        month: "short",
        day: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      });
}

function expiryOf(m: DeadLetterMessage, now: number): { text: string; title: string; soon: boolean } {
  const at = m.expiresAt === undefined ? Number.NaN : Date.parse(m.expiresAt);
  if (Number.isNaN(at)) return { text: "unknown", title: UNKNOWN_EXPIRY, soon: false };
  return {
    text: formatDuration((at - now) / 1000),
    title: `SQS deletes it at ${new Date(at).toLocaleString()}`,
    soon: at - now < HOUR_MS,
  };
}

/**
 * The leased dead letters as a multi-select listbox. Only the rows in view (plus an overscan) are
 * in the DOM, so thousands of messages scroll smoothly. Keyboard: Up/Down/Home/End/PageUp/PageDown
 * move, Space checks, Enter opens.
 */
export function MessageList({
  messages,
  failures,
  selectedIds,
  activeId,
  onToggle,
  onToggleAll,
  onOpen,
  now,
}: MessageListProps) {
  const viewport = useRef<HTMLDivElement>(null);
  const selectAll = useRef<HTMLInputElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(DEFAULT_VIEWPORT_HEIGHT);
  // Focus follows the message, not the index, so that it survives the parent re-filtering.
  const [focusedId, setFocusedId] = useState<string | undefined>(undefined);

  const indexById = useMemo(() => {
    const map = new Map<string, number>();
    messages.forEach((m, i) => {
      if (!map.has(m.messageId)) map.set(m.messageId, i);
    });
    return map;
  }, [messages]);
  const showGroup = useMemo(() => messages.some((m) => m.system.groupId !== undefined), [messages]);
  const selectedShown = useMemo(
    () => messages.reduce((n, m) => n + (selectedIds.has(m.messageId) ? 1 : 0), 0),
    [messages, selectedIds],
  );
  const allChecked = messages.length > 0 && selectedShown === messages.length;
  const someChecked = selectedShown > 0 && !allChecked;

  const count = messages.length;
  const focusedIndex =
    count === 0 ? -1 : Math.min(count - 1, indexById.get(focusedId ?? "") ?? indexById.get(activeId ?? "") ?? 0);

  useEffect(() => {
    if (selectAll.current) selectAll.current.indeterminate = someChecked;
  }, [someChecked]);

  // The viewport exists only while there are messages: observe it again when it appears.
  const empty = count === 0;
  useEffect(() => {
    const el = viewport.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    // Calls back once on observe, then on every resize.
    const observer = new ResizeObserver(() => setViewportHeight(el.clientHeight || DEFAULT_VIEWPORT_HEIGHT));
    observer.observe(el);
    return () => observer.disconnect();
  }, [empty]);

  const visibleRows = Math.max(1, Math.floor(viewportHeight / ROW_HEIGHT));

  const focusIndex = (index: number) => {
    const el = viewport.current;
    const clamped = Math.max(0, Math.min(count - 1, index));
    const m = messages[clamped];
    if (!m) return;
    setFocusedId(m.messageId);
    if (!el) return;
    const top = clamped * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget || e.altKey || e.ctrlKey || e.metaKey || count === 0) return;
    const focused = messages[focusedIndex];
    switch (e.key) {
      case "ArrowDown":
        focusIndex(focusedIndex + 1);
        break;
      case "ArrowUp":
        focusIndex(focusedIndex - 1);
        break;
      case "Home":
        focusIndex(0);
        break;
      case "End":
        focusIndex(count - 1);
        break;
      case "PageDown":
        focusIndex(focusedIndex + visibleRows);
        break;
      case "PageUp":
        focusIndex(focusedIndex - visibleRows);
        break;
      case " ":
        if (focused) onToggle(focused.messageId);
        break;
      case "Enter":
        if (focused) onOpen(focused.messageId);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const columns = showGroup ? "ml-cols ml-with-group" : "ml-cols";
  const header = (
    <div className={`${columns} ml-header`}>
      <span>
        <input
          ref={selectAll}
          type="checkbox"
          aria-label="Select all shown messages"
          checked={allChecked}
          disabled={count === 0}
          onChange={() => onToggleAll()}
        />
      </span>
      <span>Message</span>
      <span>Sent</span>
      <span>Receives</span>
      <span>Failure</span>
      {showGroup ? <span>Group</span> : null}
      <span>Expires in</span>
    </div>
  );

  if (count === 0) {
    return (
      <div className="ml">
        {header}
        <p className="muted ml-empty">No messages match.</p>
      </div>
    );
  }

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count - 1, Math.ceil((scrollTop + viewportHeight) / ROW_HEIGHT) + OVERSCAN);
  const indexes: number[] = [];
  // The focused row stays in the DOM even when scrolled away, so aria-activedescendant always resolves.
  if (focusedIndex >= 0 && focusedIndex < first) indexes.push(focusedIndex);
  for (let i = first; i <= last; i++) indexes.push(i);
  if (focusedIndex > last) indexes.push(focusedIndex);

  return (
    <div className="ml">
      {header}
      <div
        ref={viewport}
        className="ml-viewport"
        role="listbox"
        aria-multiselectable="true"
        aria-label="Dead letters"
        aria-activedescendant={focusedIndex >= 0 ? `msg-${focusedIndex}` : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      >
        <div className="ml-spacer" style={{ height: count * ROW_HEIGHT }}>
          {indexes.map((index) => {
            const m = messages[index];
            if (!m) return null;
            const id = m.messageId;
            const checked = selectedIds.has(id);
            const preview = previewOf(m);
            const sent = sentOf(m);
            const expiry = expiryOf(m, now);
            const receives = m.system.receiveCount ?? "—";
            const failure = failures.get(id);
            const failureText = failure ? `${failure.label} ${failureSourceTag(failure.source)}` : "—";
            const classes = ["ml-row", columns];
            if (checked) classes.push("ml-checked");
            if (id === activeId) classes.push("ml-active");
            if (index === focusedIndex) classes.push("ml-focused");
            return (
              <div
                key={index}
                id={`msg-${index}`}
                role="option"
                aria-selected={checked}
                aria-posinset={index + 1}
                aria-setsize={count}
                aria-current={id === activeId ? "true" : undefined}
                aria-label={[
                  `Message ${id.slice(0, 8)}: ${preview.slice(0, 80)}`,
                  `sent ${sent}`,
                  `${receives} receives`,
                  `failure ${failureText.slice(0, 80)}`,
                  `expires in ${expiry.text}`,
                ].join("; ")}
                className={classes.join(" ")}
                style={{ top: index * ROW_HEIGHT, height: ROW_HEIGHT }}
                onClick={() => {
                  setFocusedId(id);
                  viewport.current?.focus({ preventScroll: true });
                  onOpen(id);
                }}
              >
                {/* A drawn box, not an input: an option may not contain a control; aria-selected carries the state. */}
                <span
                  className={checked ? "ml-check ml-check-on" : "ml-check"}
                  aria-hidden="true"
                  data-testid={`select-${id}`}
                  onClick={(e) => {
                    e.stopPropagation();
                    setFocusedId(id);
                    viewport.current?.focus({ preventScroll: true });
                    onToggle(id);
                  }}
                />
                <span className="ml-message">
                  <span className="mono" title={id}>
                    {id.slice(0, 8)}
                  </span>
                  <span className="ml-preview muted">{preview}</span>
                </span>
                <span className="ml-cell">{sent}</span>
                <span className="ml-cell">{receives}</span>
                <span className="ml-cell" title={failureText} data-testid="failure-cell">
                  {failureText}
                </span>
                {showGroup ? (
                  <span className="ml-cell mono" title={m.system.groupId}>
                    {m.system.groupId ?? ""}
                  </span>
                ) : null}
                <span className={expiry.soon ? "ml-cell ml-soon" : "ml-cell"} title={expiry.title}>
                  {expiry.text}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
