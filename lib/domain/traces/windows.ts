/** The windows the traces pages and API offer, each as milliseconds ending at the chosen time. */
export const TRACE_WINDOWS = { "5m": 5 * 60_000, "15m": 15 * 60_000, "1h": 3_600_000, "6h": 6 * 3_600_000 } as const;
export type TraceWindow = keyof typeof TRACE_WINDOWS;

/** The windows in the order they are offered, shortest first. */
export const TRACE_WINDOW_NAMES = Object.keys(TRACE_WINDOWS) as [TraceWindow, ...TraceWindow[]];
/** The traces API's window when none is asked for; the page opens on the shared one (time-window.ts). */
export const DEFAULT_TRACE_WINDOW: TraceWindow = "15m";

export function isTraceWindow(value: string): value is TraceWindow {
  return Object.hasOwn(TRACE_WINDOWS, value);
}
