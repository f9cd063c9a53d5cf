/** Small text helpers shared by the domain's messages and the pages; pure, runnable in the browser. */

/** "1 message", "3 messages"; `many` for a plural that is not the word plus "s". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * A fraction as a percentage, "99.950 %": with `digits` decimals, or by default with as few as
 * still show a small rate (2 below 1 %, 1 below 10 %, none above). null is "no data".
 */
export function percent(fraction: number | null, digits?: number): string {
  if (fraction === null) return "no data";
  const decimals = digits ?? (fraction > 0 && fraction < 0.01 ? 2 : fraction < 0.1 ? 1 : 0);
  return `${(fraction * 100).toFixed(decimals)} %`;
}

/** An ISO time as the value of an `<input type="datetime-local">`: the browser's local time, to the minute; "" if not a time. */
export function localDateTimeInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
