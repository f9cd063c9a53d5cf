"use client";
import Link from "next/link";
import { useSyncExternalStore } from "react";

interface Toast {
  id: number;
  message: string;
  link?: ToastLink;
}

/** A page the toast's message points at (the result of an action elsewhere). */
export interface ToastLink {
  href: string;
  label: string;
}

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function emit() {
  for (const listener of listeners) listener();
}

/** Shows a message for a few seconds; the same message is not stacked twice. */
export function showToast(message: string, link?: ToastLink) {
  if (toasts.some((t) => t.message === message)) return;
  const id = nextId++;
  toasts = [...toasts, { id, message, ...(link ? { link } : {}) }];
  emit();
  // A toast with a link stays long enough to follow it.
  setTimeout(() => dismissToast(id), link ? 15_000 : 6_000);
}

function dismissToast(id: number) {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const noToasts: Toast[] = [];

export function Toaster() {
  const current = useSyncExternalStore(
    subscribe,
    () => toasts,
    () => noToasts,
  );
  return (
    <div className="toaster" role="status" aria-live="polite">
      {current.map((t) => (
        <div key={t.id} className="toast">
          <span>
            {t.message}
            {t.link ? (
              <>
                {" "}
                <Link href={t.link.href}>{t.link.label}</Link>
              </>
            ) : null}
          </span>
          <button type="button" aria-label="Dismiss" onClick={() => dismissToast(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
