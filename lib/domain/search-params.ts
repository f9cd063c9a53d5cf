/**
 * The address of `pathname` with some query parameters changed: a value sets its parameter, an
 * empty or absent one removes it, the others stay; without parameters there is no "?".
 */
export function hrefWithParams(
  pathname: string,
  params: { toString(): string },
  changes: Record<string, string | undefined>,
): string {
  const next = new URLSearchParams(params.toString());
  for (const [name, value] of Object.entries(changes)) {
    if (value) next.set(name, value);
    else next.delete(name);
  }
  return next.size ? `${pathname}?${next}` : pathname;
}
