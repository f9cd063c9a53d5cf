"use client";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** The user must type this exact text before confirming (for the most destructive actions). */
  typeToConfirm?: string;
  busy?: boolean;
  /** The confirm button stays disabled (a choice in the dialog is still missing). */
  disabled?: boolean;
  danger?: boolean;
  onConfirm(): void;
  onCancel(): void;
}

/**
 * A modal confirmation on the native <dialog>: focus moves into it, Escape cancels, and focus
 * returns to where it was. Destructive actions can require typing a name.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  typeToConfirm,
  busy,
  disabled,
  danger,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState("");
  // Several dialogs can share a page: each names itself by its own title.
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setTyped("");
      dialog.showModal();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  const ready = !busy && !disabled && (typeToConfirm === undefined || typed === typeToConfirm);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) onConfirm();
        }}
      >
        <h2 id={titleId}>{title}</h2>
        <div className="dialog-body">{children}</div>
        {typeToConfirm !== undefined ? (
          <label className="field">
            Type <span className="mono">{typeToConfirm}</span> to confirm
            <input
              className="text-input"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              autoComplete="off"
              spellCheck={false}
            />
          </label>
        ) : null}
        <div className="row-actions">
          <button type="submit" className={danger ? "button button-danger" : "button button-primary"} disabled={!ready}>
            {busy ? "Working…" : confirmLabel}
          </button>
          <button type="button" className="button" onClick={onCancel} autoFocus={typeToConfirm === undefined}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
