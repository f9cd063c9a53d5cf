"use client";
import { ScopedLink } from "@/components/ui/scoped-link";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { splitScopedPath } from "@/lib/domain/scope";
import { consoleSections } from "./console-sections";

/**
 * The console's sections. On a narrow screen they fold behind a menu button (CSS decides when the
 * button shows); the menu closes on navigation and on Escape, which gives focus back to the button.
 */
export function NavLinks() {
  const pathname = usePathname();
  const page = splitScopedPath(pathname).path;
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const [shownFor, setShownFor] = useState(pathname);
  if (shownFor !== pathname) {
    setShownFor(pathname);
    setOpen(false);
  }
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);
  return (
    <nav aria-label="Console sections" className={open ? "nav nav-open" : "nav"}>
      <button
        ref={button}
        type="button"
        className="nav-toggle"
        aria-expanded={open}
        aria-controls="console-sections"
        onClick={() => setOpen((o) => !o)}
      >
        <span aria-hidden="true">☰</span> Menu
      </button>
      <ul id="console-sections">
        {consoleSections.map((s) => {
          const current = page === s.href || page.startsWith(`${s.href}/`);
          return (
            <li key={s.href}>
              <ScopedLink
                href={s.href}
                aria-current={current ? "page" : undefined}
                className={current ? "nav-link active" : "nav-link"}
              >
                {s.label}
              </ScopedLink>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
