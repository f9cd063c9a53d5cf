import { plural } from "@/lib/domain/format";

/** "3 incidents outside your bindings are not shown.": what the caller's role bindings kept out of a list, in words. */
export const hiddenByBindings = (hidden: number, one: string, many?: string) =>
  `${plural(hidden, one, many)} outside your bindings ${hidden === 1 ? "is" : "are"} not shown.`;

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
