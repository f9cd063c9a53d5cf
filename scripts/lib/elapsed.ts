import { formatDuration } from "../../lib/domain/dead-letters";

/**
 * The variable scripts/bootstrap.mjs sets for the command it runs: when it started, in ms since
 * the epoch, so that the demo's "ready in" counts the whole first run, `npm ci` included.
 */
export const startedAtVariable = "FANOUT_STARTED_AT";

/** When the run began: the variable's time when it is one not in the future, else `fallback`. */
export function startedAtFrom(value: string | undefined, now: number, fallback: number): number {
  const at = Number(value);
  return value && Number.isSafeInteger(at) && at > 0 && at <= now ? at : fallback;
}

/** Elapsed time to the second: "42 s", "2 min 5 s", "1 h 3 min 5 s". */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60 || seconds % 60 === 0) return formatDuration(seconds);
  return `${formatDuration(seconds - (seconds % 60))} ${seconds % 60} s`;
}
