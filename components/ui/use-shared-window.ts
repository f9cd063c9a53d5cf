"use client";
import { useSearchParams } from "next/navigation";
import { useSyncExternalStore } from "react";
import { chosenWindowSeconds, DEFAULT_WINDOW, windowFitNote } from "@/lib/domain/time-window";
import { useSearchParamsSetter } from "./use-search-params-setter";

const STORAGE_KEY = "fanout.window";
const CHANGED = "fanout-window-changed";

function subscribe(onChange: () => void) {
  window.addEventListener(CHANGED, onChange);
  window.addEventListener("storage", onChange);
  return () => {
    window.removeEventListener(CHANGED, onChange);
    window.removeEventListener("storage", onChange);
  };
}
const storedWindow = () => sessionStorage.getItem(STORAGE_KEY);

/**
 * The page's time window: `?window=` when the address names one, else the operator's last choice on
 * any page (kept for the tab's session), else the shared default; `fit` turns it into the nearest
 * window the page's API accepts. Choosing sets the address and the remembered choice.
 */
export function useSharedWindow<W extends string>(
  fit: (chosen: string) => W,
): { window: W; note: string | undefined; choose(w: W): void } {
  const params = useSearchParams();
  const setParams = useSearchParamsSetter();
  // The server has no session storage: it renders the default, and the browser moves on to the stored choice.
  const stored = useSyncExternalStore(subscribe, storedWindow, () => null);
  const asked = params.get("window");
  const chosen =
    asked && chosenWindowSeconds(asked) !== undefined
      ? asked
      : stored && chosenWindowSeconds(stored) !== undefined
        ? stored
        : DEFAULT_WINDOW;
  const used = fit(chosen);
  const choose = (w: W) => {
    sessionStorage.setItem(STORAGE_KEY, w);
    window.dispatchEvent(new Event(CHANGED));
    setParams({ window: w });
  };
  return { window: used, note: windowFitNote(chosen, used), choose };
}
