import type { Metadata } from "next";
import { ScopedLink } from "@/components/ui/scoped-link";
import { consoleSections } from "@/components/shell/console-sections";

export const metadata: Metadata = { title: "Page not found" };

/**
 * A 404 inside the shell: the navigation stays, so the operator is one click from where they meant to go.
 * Rendered per request under the console layout, so Next's scripts carry the page's CSP nonce.
 */
export default function ConsoleNotFound() {
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p className="lede">
        Nothing in the console lives at this address. It may have been mistyped, or the resource renamed.
      </p>
      <ul className="plain-list">
        {consoleSections.map((s) => (
          <li key={s.href}>
            <ScopedLink href={s.href}>{s.label}</ScopedLink>
          </li>
        ))}
      </ul>
    </div>
  );
}
