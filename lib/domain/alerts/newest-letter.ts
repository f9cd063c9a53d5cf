import type { ReceivedMessage } from "../dead-letter-message";
import type { FailedAttempt } from "../failure-groups";
import { parseTraceHeader } from "../traces/header";

/**
 * The newest dead letter a peek of a DLQ found, for the dead-letter alert to name: its id, and from
 * its story the first error of its failed invocation and the page of its trace. Pure: the evaluator
 * peeks and reads the story (lib/operations/newest-dead-letter.ts).
 */

export interface NewestLetter {
  messageId: string;
  firstError?: string;
  /** The console's page of its trace (absolute), when it carries a trace header. */
  traceLink?: string;
}

/** The letter SQS stamped last (SentTimestamp); of letters sent in the same millisecond, the first listed. */
export function newestLetterOf(letters: readonly ReceivedMessage[]): ReceivedMessage | undefined {
  let newest: ReceivedMessage | undefined;
  let newestAt = -Infinity;
  for (const letter of letters) {
    const sent = Number(letter.attributes.SentTimestamp);
    const at = Number.isFinite(sent) ? sent : -Infinity;
    if (!newest || at > newestAt) {
      newest = letter;
      newestAt = at;
    }
  }
  return newest;
}

/** A trace header the story can be looked up by: readable, and not marked as not sampled (X-Ray kept nothing). */
export function tracedHeaderOf(letter: ReceivedMessage): string | undefined {
  const header = letter.attributes.AWSTraceHeader;
  const parsed = header !== undefined ? parseTraceHeader(header) : undefined;
  return parsed && parsed.sampled !== false ? header : undefined;
}

/** An error as an alert shows it, on one line and short enough for a page's summary. */
const MAX_ERROR = 300;

/** The first failed attempt's error, as its trace recorded it: "TypeError: order 17 has no amount". */
export function firstErrorOf(attempts: readonly FailedAttempt[]): string | undefined {
  const first = attempts[0];
  if (!first) return undefined;
  const type = first.exception.type?.trim();
  const message = first.exception.message?.replace(/\s+/g, " ").trim();
  const text = type && message ? `${type}: ${message}` : (type ?? message);
  if (!text) return undefined;
  return text.length <= MAX_ERROR ? text : `${text.slice(0, MAX_ERROR - 1)}…`;
}
