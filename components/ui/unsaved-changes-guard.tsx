"use client";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
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

/**
 * Asks before an unsaved edit is lost: following a link of the console opens a confirmation, and
 * closing or reloading the tab the browser's own prompt (which shows no text of ours). Nothing
 * is asked while `unsaved` is false, such as once the edit is saved or undone.
 */
export function UnsavedChangesGuard({ unsaved, what }: { unsaved: boolean; what: string }) {
  const router = useRouter();
  const [leavingFor, setLeavingFor] = useState<string>();
  useEffect(() => {
    if (!unsaved) return;
    // HTML's "beforeunload" asks through preventDefault; returnValue is for browsers that predate it.
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
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
        if (leavingFor) router.push(leavingFor);
      }}
      onCancel={() => setLeavingFor(undefined)}
    >
      <p>{what} has changes that are not saved. Leaving this page discards them.</p>
    </ConfirmDialog>
  );
}
