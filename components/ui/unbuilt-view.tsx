import Link from "next/link";
import { EmptyState } from "./empty-state";

/** A section the console does not offer yet: says so plainly, shows nothing invented, and points to what exists. */
export function UnbuiltView({ title, purpose, related }: { title: string; purpose: string; related?: { href: string; label: string } }) {
  return (
    <div className="page">
      <h1>{title}</h1>
      <EmptyState title="Not available in this version yet">
        <p>{purpose}</p>
        {related ? (
          <p>
            Meanwhile: <Link href={related.href}>{related.label}</Link>
          </p>
        ) : null}
      </EmptyState>
    </div>
  );
}
