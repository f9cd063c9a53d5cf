import type { ReactNode } from "react";

/**
 * A table that scrolls sideways inside itself on a narrow screen, so the page never does. Focusable
 * and named, so keyboard users can scroll it too.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
