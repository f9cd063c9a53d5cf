import { EmptyState } from "./empty-state";

/** A section the console does not offer yet: says so plainly, and shows nothing invented. */
export function UnbuiltView({ title, purpose }: { title: string; purpose: string }) {
  return (
    <div className="page">
      <h1>{title}</h1>
      <EmptyState title="Not available in this version yet">
        <p>{purpose}</p>
      </EmptyState>
    </div>
  );
}
