"use client";
import { useEffect, useRef, useState } from "react";
import { MASK } from "@/lib/domain/dead-letter-message";
import { plural } from "@/lib/domain/format";
import { isRecord } from "@/lib/domain/is-record";

/*
 * Message content is untrusted: everything below renders it as React text children, never as HTML.
 */

/** Past this depth a subtree is shown as compact JSON text instead of more nested elements. */
const MAX_DEPTH = 64;
/** Children of one object or array rendered before a "Show more" button. */
const CHILD_PAGE = 200;

type CopyStatus = "idle" | "copied" | "failed";

/** A small "Copy" button that puts `text()` on the clipboard and says how that went. */
function CopyButton({ text, label }: { text: () => string; label: string }) {
  const [status, setStatus] = useState<CopyStatus>("idle");
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const report = (next: CopyStatus) => {
    setStatus(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setStatus("idle"), 2000);
  };
  const copy = () => {
    let content: string;
    try {
      content = text();
      if (!navigator.clipboard) throw new Error("Clipboard unavailable");
    } catch {
      report("failed");
      return;
    }
    navigator.clipboard.writeText(content).then(
      () => report("copied"),
      () => report("failed"),
    );
  };

  return (
    <div className="jt-toolbar">
      <button type="button" className="button jt-copy" onClick={copy} aria-label={label}>
        Copy
      </button>
      <span aria-live="polite" className={status === "failed" ? "jt-status form-error" : "jt-status muted"}>
        {status === "copied" ? "Copied" : status === "failed" ? "Copy failed" : ""}
      </span>
    </div>
  );
}

function safeStringify(value: unknown, indent?: number): string {
  try {
    return JSON.stringify(value, null, indent) ?? String(value);
  } catch {
    return "[unserializable]";
  }
}

function Key({ name }: { name: string | undefined }) {
  if (name === undefined) return null;
  return (
    <>
      <span className="jt-key">{name === "" ? '""' : name}</span>
      <span className="jt-punct">: </span>
    </>
  );
}

function Leaf({ value }: { value: unknown }) {
  if (value === MASK) {
    return (
      <span className="jt-masked" title="masked by the server">
        {MASK}
      </span>
    );
  }
  if (typeof value === "string") return <span className="jt-string">&quot;{value}&quot;</span>;
  if (typeof value === "number") return <span className="jt-number">{String(value)}</span>;
  if (typeof value === "boolean") return <span className="jt-boolean">{String(value)}</span>;
  if (value === null) return <span className="jt-null">null</span>;
  if (Array.isArray(value)) return <span className="jt-punct">[]</span>;
  if (isRecord(value)) return <span className="jt-punct">{"{}"}</span>;
  return <span className="jt-other">{String(value)}</span>;
}

interface NodeProps {
  name: string | undefined;
  value: unknown;
  depth: number;
  defaultOpenDepth: number;
}

function JsonNode({ name, value, depth, defaultOpenDepth }: NodeProps) {
  const entries: [string, unknown][] | undefined = Array.isArray(value)
    ? value.map((item, index) => [String(index), item])
    : isRecord(value)
      ? Object.entries(value)
      : undefined;

  if (entries === undefined || entries.length === 0) {
    return (
      <div className="jt-leaf">
        <Key name={name} />
        <Leaf value={value} />
      </div>
    );
  }
  if (depth >= MAX_DEPTH) {
    // Deeper than anyone reads: one line of JSON keeps the DOM (and React's recursion) bounded.
    return (
      <div className="jt-leaf" title="Nested too deeply to show as a tree">
        <Key name={name} />
        <span className="jt-deep">{safeStringify(value)}</span>
      </div>
    );
  }
  return (
    <JsonBranch
      name={name}
      entries={entries}
      isArray={Array.isArray(value)}
      depth={depth}
      defaultOpenDepth={defaultOpenDepth}
    />
  );
}

function JsonBranch({
  name,
  entries,
  isArray,
  depth,
  defaultOpenDepth,
}: {
  name: string | undefined;
  entries: [string, unknown][];
  isArray: boolean;
  depth: number;
  defaultOpenDepth: number;
}) {
  const [open, setOpen] = useState(depth < defaultOpenDepth);
  const [shown, setShown] = useState(CHILD_PAGE);
  const hint = isArray ? `[${plural(entries.length, "item")}]` : `{${plural(entries.length, "key")}}`;
  return (
    <details className="jt-branch" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <Key name={name} />
        <span className="jt-hint">{hint}</span>
      </summary>
      {open ? (
        // Children render only while open: a collapsed subtree of a large payload costs nothing.
        <div className="jt-children">
          {entries.slice(0, shown).map(([key, item]) => (
            <JsonNode key={key} name={key} value={item} depth={depth + 1} defaultOpenDepth={defaultOpenDepth} />
          ))}
          {entries.length > shown ? (
            <button type="button" className="link-button" onClick={() => setShown((n) => n + CHILD_PAGE)}>
              Show {Math.min(CHILD_PAGE, entries.length - shown)} more of {entries.length - shown}
            </button>
          ) : null}
        </div>
      ) : null}
    </details>
  );
}

/** A collapsible, read-only view of any JSON value, with a button that copies it pretty-printed. */
export function JsonTree({
  value,
  label,
  defaultOpenDepth = 2,
}: {
  value: unknown;
  label?: string;
  defaultOpenDepth?: number;
}) {
  return (
    <div className="jt">
      <CopyButton text={() => safeStringify(value, 2)} label={label ? `Copy ${label} as JSON` : "Copy as JSON"} />
      <div className="mono jt-tree">
        <JsonNode name={label} value={value} depth={0} defaultOpenDepth={defaultOpenDepth} />
      </div>
    </div>
  );
}

/** Raw text (a body that is not JSON), wrapped and scrollable, with the same Copy button. */
export function JsonText({ text }: { text: string }) {
  return (
    <div className="jt">
      <CopyButton text={() => text} label="Copy text" />
      {/* Focusable so that keyboard users can scroll it. */}
      <pre className="mono jt-text" tabIndex={0}>
        {text}
      </pre>
    </div>
  );
}
