"use client";
import { useCallback, useEffect, useLayoutEffect, useRef } from "react";

/**
 * For a panel or form that opens in place: while `openKey` is set, Escape closes it, and closing
 * (by Escape or by the returned `dismiss`) gives focus back to the element that had it when it
 * opened, or, if that element is gone, to what `fallbackFocus` finds. A new key (another node
 * selected, say) counts as a new opening. Modal <dialog>s handle their own Escape; while one is
 * open a key press is left to it.
 */
export function useEscapeToClose(
  openKey: string | false | null | undefined,
  close: () => void,
  fallbackFocus?: () => HTMLElement | null,
): () => void {
  const opener = useRef<HTMLElement | null>(null);
  const latest = useRef({ close, fallbackFocus });
  useEffect(() => {
    latest.current = { close, fallbackFocus };
  });
  // A layout effect runs before the panel's own effects, which may move focus into it.
  useLayoutEffect(() => {
    if (!openKey) return;
    const active = document.activeElement;
    opener.current = active instanceof HTMLElement && active !== document.body ? active : null;
  }, [openKey]);
  const dismiss = useCallback(() => {
    const back = opener.current?.isConnected ? opener.current : (latest.current.fallbackFocus?.() ?? null);
    latest.current.close();
    // After React has re-rendered without the closed part.
    requestAnimationFrame(() => back?.focus());
  }, []);
  useEffect(() => {
    if (!openKey) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || e.defaultPrevented || document.querySelector("dialog[open]")) return;
      e.preventDefault();
      dismiss();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [openKey, dismiss]);
  return dismiss;
}
