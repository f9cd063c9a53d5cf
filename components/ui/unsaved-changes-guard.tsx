"use client";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { ConfirmDialog } from "./confirm-dialog";

/** A click the browser or Next.js would turn into leaving the page for another of the console. */
function inAppDestination(e: MouseEvent): string | undefined {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return undefined;
  const link = e.target instanceof Element ? e.target.closest("a[href]") : null;
  if (!(link instanceof HTMLAnchorElement) || link.hasAttribute("download")) return undefined;
  if (link.target && link.target !== "_self") return undefined;
  const url = new URL(link.href, window.location.href);
  // Another site unloads this page, and the beforeunload prompt asks; a link within the page leaves nothing.
  if (url.origin !== window.location.origin) return undefined;
  if (url.pathname === window.location.pathname && url.search === window.location.search) return undefined;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** A second history entry for this same page, on top: Back leaves it for the page's own entry, not the page. */
function pushGuardEntry() {
  // The app router's state rides along, so its own popstate handler finds this page in either entry.
  window.history.pushState(window.history.state, "", window.location.href);
}

/**
 * Back and Forward change the page without a click, and the app router takes their popstate
 * itself, with no way to cancel. So from the first unsaved change on, this page has a guard entry
 * on top of its own: Back moves from it to the page's own entry, the same page, and `onBack` asks.
 * Staying pushes the guard entry again; leaving goes back once more. Pushing drops the entries
 * after it, so Forward has nowhere to go. Back with nothing unsaved goes straight on.
 */
function useBackGuard(unsaved: boolean, onBack: () => void) {
  const onGuardEntry = useRef(false);
  // Set once the user chose to leave: every entry of this same page is passed on the way back.
  const leavingFrom = useRef<string | undefined>(undefined);
  const latest = useRef({ unsaved, onBack });
  useEffect(() => {
    latest.current = { unsaved, onBack };
    if (unsaved && !onGuardEntry.current && leavingFrom.current === undefined) {
      pushGuardEntry();
      onGuardEntry.current = true;
    }
  });
  useEffect(() => {
    const onPopState = () => {
      if (leavingFrom.current !== undefined) {
        if (window.location.href === leavingFrom.current) window.history.back();
        return;
      }
      if (!onGuardEntry.current) return;
      onGuardEntry.current = false;
      if (latest.current.unsaved) latest.current.onBack();
      else window.history.back();
    };
    window.addEventListener("popstate", onPopState);
    return () => window.removeEventListener("popstate", onPopState);
  }, []);
  return {
    /** Whether the guard entry is the current one, for a navigation to take its place. */
    onGuardEntry: () => onGuardEntry.current,
    stay() {
      pushGuardEntry();
      onGuardEntry.current = true;
    },
    leave() {
      leavingFrom.current = window.location.href;
      window.history.back();
    },
  };
}

/**
 * Asks before an unsaved edit is lost: following a link of the console or the browser's Back
 * opens a confirmation, and closing or reloading the tab the browser's own prompt (which shows no
 * text of ours). Nothing is asked while `unsaved` is false, such as once the edit is saved or undone.
 */
export function UnsavedChangesGuard({ unsaved, what }: { unsaved: boolean; what: string }) {
  const router = useRouter();
  // Where the user is going: a page of the console, or back in the browser's history.
  const [leavingFor, setLeavingFor] = useState<string | { back: true }>();
  const leaving = useRef(false);
  const history = useBackGuard(unsaved, () => setLeavingFor({ back: true }));
  useEffect(() => {
    if (!unsaved) return;
    // HTML's "beforeunload" asks through preventDefault; returnValue is for browsers that predate it.
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      // Back, confirmed, may lead to another site: asked once is enough.
      if (leaving.current) return;
      e.preventDefault();
      e.returnValue = "";
    };
    // Next.js's <Link> navigates from React's click handler on the app's root; a capturing
    // listener on the document runs before it, and stopping the event there keeps it from React.
    const onClick = (e: MouseEvent) => {
      const destination = inAppDestination(e);
      if (destination === undefined) return;
      e.preventDefault();
      e.stopPropagation();
      setLeavingFor(destination);
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    document.addEventListener("click", onClick, true);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      document.removeEventListener("click", onClick, true);
    };
  }, [unsaved]);
  return (
    <ConfirmDialog
      open={leavingFor !== undefined}
      title="Leave without saving?"
      confirmLabel="Leave and discard"
      danger
      onConfirm={() => {
        setLeavingFor(undefined);
        leaving.current = true;
        if (typeof leavingFor === "object") history.leave();
        // In place of the guard entry, so that Back from there comes to this page once.
        else if (leavingFor && history.onGuardEntry()) router.replace(leavingFor);
        else if (leavingFor) router.push(leavingFor);
      }}
      onCancel={() => {
        if (typeof leavingFor === "object") history.stay();
        setLeavingFor(undefined);
      }}
    >
      <p>{what} has changes that are not saved. Leaving this page discards them.</p>
    </ConfirmDialog>
  );
}
