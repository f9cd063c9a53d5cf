import { plural } from "@/lib/domain/format";

/** "3 incidents not shown: …": what the caller's role bindings kept out of a list, in words. */
export const hiddenByBindings = (hidden: number, one: string, many?: string) =>
  `${plural(hidden, one, many)} not shown: your role bindings do not reach ${hidden === 1 ? "it" : "them"}.`;

/**
 * Says how many items a list left out because the caller's bindings reach some resources only, so
 * that a short list (or an empty one) is never read as a healthy one. Nothing when none was left out.
 */
export function HiddenByBindings({ hidden, one, many }: { hidden: number | undefined; one: string; many?: string }) {
  if (!hidden) return null;
  return (
    <p className="state state-info" role="note">
      {hiddenByBindings(hidden, one, many)}
    </p>
  );
}
