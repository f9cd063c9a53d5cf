/**
 * A time window as the console writes it: a whole number of hours or days, "1h" to "30d". The
 * upper bound is the SLO window; CloudWatch keeps what is older only in coarser periods.
 */
const WINDOW = /^([1-9]\d{0,2})(h|d)$/;
const MAX_SECONDS = 30 * 86_400;

/** Seconds in a window like "6h" or "7d"; undefined when it is not one, or longer than 30 days. */
export function parseWindow(text: string): number | undefined {
  const match = WINDOW.exec(text);
  if (!match) return undefined;
  const seconds = Number(match[1]) * (match[2] === "h" ? 3600 : 86_400);
  return seconds <= MAX_SECONDS ? seconds : undefined;
}

/** A window as the console writes it, checked with parseWindow ("6h", "7d"). */
export type SlaWindow = string;

/** The windows the SLA page offers as tabs; any other valid window is a custom one. */
export const SLA_WINDOW_PRESETS: readonly SlaWindow[] = ["1h", "6h", "24h", "7d", "30d"];
/** The SLA API's window when none is asked for (the incidents read it); pages open on the shared one (time-window.ts). */
export const DEFAULT_SLA_WINDOW: SlaWindow = "24h";

/** Seconds of a checked window (a day when it is not one). */
export const windowSecondsOf = (w: SlaWindow) => parseWindow(w) ?? 86_400;
