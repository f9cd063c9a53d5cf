import { exceptionLabel, type FailedAttempt } from "./failure-groups";

/**
 * Whether a replay would only fail again. A dead letter whose last attempts all failed with the same
 * error, in a consumer whose code has not changed since, will most likely fail the same way when
 * replayed, and return to the DLQ after maxReceiveCount more failures. The console warns with the
 * count and the error; it never refuses the replay for it (the operator may know better: a fixed
 * downstream, a changed configuration). Pure, runnable in the browser.
 */

/** How many of a letter's last failed attempts must agree for its failure to count as steady. */
export const STEADY_ATTEMPTS = 3;
/** Letters whose stories the check reads: each story is a trace scan, so a replay of many is sampled. */
export const REPLAY_WARNING_SAMPLE = 5;

/** A consumer's code as Lambda reports it now (GetFunctionConfiguration). */
export interface ConsumerCode {
  functionName: string;
  /** Epoch ms of LastModified: the last change of the function's code or configuration. */
  lastModified?: number;
  codeSha256?: string;
}

export type LetterVerdict =
  | { kind: "unchanged"; error: string; functionName: string; lastAttemptAt: number }
  | { kind: "unknown"; reason: string }
  | { kind: "changed"; reason: string };

export interface ReplayWarning {
  /** Letters examined whose failure has not changed since their last attempts. */
  count: number;
  /** Letters whose failure the check could read (a story with a failed attempt). */
  examined: number;
  /** Letters in the replay, of which `examined` were sampled. */
  total: number;
  /** The most common error of those letters, normalised as failure groups show it. */
  error: string;
  /** Every steady error, most letters first. */
  errors: { error: string; count: number }[];
  consumers: { functionName: string; lastModified?: string }[];
  message: string;
}

/**
 * A letter's verdict: unchanged when its last attempts (up to STEADY_ATTEMPTS) failed with one error
 * in one function, and that function's code was last modified before the last attempt.
 */
export function letterVerdict(
  attempts: FailedAttempt[],
  codeOf: (fn: string) => ConsumerCode | undefined,
): LetterVerdict {
  const last = attempts.slice(-STEADY_ATTEMPTS);
  const latest = last[last.length - 1];
  if (!latest) return { kind: "unknown", reason: "no failed attempt traced" };
  const errors = new Set(last.map((a) => exceptionLabel(a.exception)));
  if (errors.size > 1) return { kind: "changed", reason: "its last attempts failed in different ways" };
  if (new Set(last.map((a) => a.functionName)).size > 1)
    return { kind: "changed", reason: "its last attempts ran in different functions" };
  const code = codeOf(latest.functionName);
  if (code?.lastModified === undefined)
    return { kind: "unknown", reason: `${latest.functionName}'s code could not be read` };
  if (code.lastModified > latest.at)
    return { kind: "changed", reason: `${latest.functionName} changed after the last attempt` };
  return { kind: "unchanged", error: [...errors][0]!, functionName: latest.functionName, lastAttemptAt: latest.at };
}

/** The warning for a replay of `total` letters, from the verdicts of those examined; undefined when none is steady. */
export function replayWarning(
  verdicts: LetterVerdict[],
  total: number,
  codeOf: (fn: string) => ConsumerCode | undefined,
): ReplayWarning | undefined {
  const unchanged = verdicts.filter((v) => v.kind === "unchanged");
  if (unchanged.length === 0) return undefined;
  const examined = verdicts.filter((v) => v.kind !== "unknown").length;
  const byError = new Map<string, number>();
  for (const v of unchanged) byError.set(v.error, (byError.get(v.error) ?? 0) + 1);
  const errors = [...byError].map(([error, count]) => ({ error, count }));
  errors.sort((a, b) => b.count - a.count || a.error.localeCompare(b.error));
  const consumers = [...new Set(unchanged.map((v) => v.functionName))].sort().map((functionName) => {
    const modified = codeOf(functionName)?.lastModified;
    return { functionName, ...(modified !== undefined ? { lastModified: new Date(modified).toISOString() } : {}) };
  });
  const count = unchanged.length;
  const error = errors[0]!.error;
  const of = total > examined ? `${count} of the ${examined} letters examined (of ${total})` : `${count} of ${total}`;
  const names = consumers.map((c) => c.functionName).join(", ");
  const message =
    `${of} failed their last attempts with ${error}${errors.length > 1 ? ` (and ${errors.length - 1} other error${errors.length > 2 ? "s" : ""})` : ""}, ` +
    `and ${names} ${consumers.length > 1 ? "have" : "has"} not changed since. Replayed now, they will likely fail the same way and return to the DLQ.`;
  return { count, examined, total, error, errors, consumers, message };
}
