/**
 * One time window across the pages: the operator chooses it once (any page's picker) and every page
 * opens on it, each at the nearest window its API accepts.
 */
import { parseWindow, SLA_WINDOW_PRESETS, type SlaWindow } from "./sla/window";
import { TRACE_WINDOW_NAMES, type TraceWindow } from "./traces/windows";

/** The window every page opens on until the operator chooses another; both the SLA and traces APIs take it. */
export const DEFAULT_WINDOW = "1h";

const UNIT_SECONDS = { m: 60, h: 3600, d: 86_400 } as const;
const CHOSEN = /^([1-9]\d{0,3})(m|h|d)$/;

/** Seconds of any page's window ("5m", "6h", "30d"); undefined when it is none. */
export function chosenWindowSeconds(text: string): number | undefined {
  const match = CHOSEN.exec(text);
  return match ? Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS] : undefined;
}

/** The allowed window closest to the chosen one by ratio (2 h is as far from 1 h as 30 min), the longer on a tie. */
function nearest<W extends string>(chosen: string, allowed: readonly W[]): W {
  const seconds = chosenWindowSeconds(chosen) ?? chosenWindowSeconds(DEFAULT_WINDOW)!;
  const distance = (w: W) => Math.abs(Math.log(chosenWindowSeconds(w)! / seconds));
  return allowed.reduce((best, w) => (distance(w) <= distance(best) ? w : best));
}

/** The SLA API's window for a choice: itself when it is whole hours or days up to 30 days, else the nearest preset. */
export function slaWindowFor(chosen: string): SlaWindow {
  return parseWindow(chosen) !== undefined ? chosen : nearest(chosen, SLA_WINDOW_PRESETS);
}

/** The traces API's window for a choice: the nearest it offers (it goes back at most 6 hours at a time). */
export function traceWindowFor(chosen: string): TraceWindow {
  return nearest(chosen, TRACE_WINDOW_NAMES);
}

/** What a page says when it cannot show the chosen window; undefined when it shows it. */
export function windowFitNote(chosen: string, used: string): string | undefined {
  return chosen === used ? undefined : `${chosen} chosen; this page shows the nearest window it can: ${used}`;
}
