import { MASK, type DeadLetterMessage } from "./dead-letter-message";
import { isRecord } from "./is-record";
import type { MessageStory } from "./traces/story";

/**
 * Why dead letters failed, as groups an operator can act on together. A letter's failure key is
 * the exception its failing invocation raised when a trace of it is known (type and message, with
 * the parts that differ per message normalised out), else the shape of its payload: the letters a
 * handler rejects for the same reason usually share a shape. Pure, runnable in the browser.
 */

export type FailureSource = "trace" | "shape";

export interface FailureKey {
  /** Equal for letters that failed the same way; `source` is part of it. */
  key: string;
  /** What the page shows: the normalised exception, or the payload's key paths. */
  label: string;
  source: FailureSource;
}

/** The exception of a letter's failing invocation, as a trace records it. */
export interface FailureException {
  type?: string;
  message?: string;
}

export interface FailureGroup extends FailureKey {
  count: number;
  messageIds: string[];
  /** ISO SentTimestamp of the newest and the oldest letter; absent when none has one. */
  newest?: string;
  oldest?: string;
}

/** One failed attempt on a letter, from its story. */
export interface FailedAttempt {
  /** Epoch ms the invocation started. */
  at: number;
  functionName: string;
  exception: FailureException;
}

/**
 * The attempts that failed on this very message, oldest first: invocations the trace says did not
 * fail on this message (another record of the batch did) are left out.
 */
export function failedAttemptsOf(story: Pick<MessageStory, "invocations">): FailedAttempt[] {
  return story.invocations
    .filter((i) => i.failed && i.thisMessage !== "not-failed" && i.exceptions.length > 0)
    .map((i) => {
      const { type, message } = i.exceptions[0]!;
      return {
        at: i.start,
        functionName: i.functionName,
        exception: { ...(type ? { type } : {}), ...(message ? { message } : {}) },
      };
    })
    .sort((a, b) => a.at - b.at);
}

/** The exception of the last invocation that failed on this message, from its story: the one that sent it to the DLQ. */
export function failingExceptionOf(story: Pick<MessageStory, "invocations">): FailureException | undefined {
  return failedAttemptsOf(story).at(-1)?.exception;
}

/** Paths kept in a shape: a payload past this is told apart by its first paths in order. */
const MAX_SHAPE_PATHS = 64;
/** Nesting followed into a payload; deeper values count as their container's type. */
const MAX_SHAPE_DEPTH = 8;

/**
 * An error message with what differs between messages replaced: UUIDs, long hex or alphanumeric ids
 * with digits, and numbers. "Order 8f1c…-… not found (attempt 3)" → "Order <uuid> not found (attempt <n>)".
 */
export function normaliseErrorMessage(message: string): string {
  return message
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>")
    .replace(/\b(?=\w*\d)(?=\w*[a-z])\w{8,}\b/gi, "<id>")
    .replace(/\d+(?:\.\d+)?/g, "<n>")
    .replace(/\s+/g, " ")
    .trim();
}

/** An exception as failure groups name it: its type and its message with per-message parts normalised. */
export function exceptionLabel(exception: FailureException): string {
  const type = exception.type?.trim() || "Error";
  const message = normaliseErrorMessage(exception.message ?? "");
  return message ? `${type}: ${message}` : type;
}

/** The payload's key paths with their value types, sorted: `items[].sku:string`; arrays' items share `[]`. */
export function payloadShape(value: unknown): string[] {
  const paths = new Set<string>();
  const walk = (v: unknown, path: string, depth: number) => {
    const type = typeOf(v);
    if (depth < MAX_SHAPE_DEPTH && type === "object" && isRecord(v) && Object.keys(v).length > 0) {
      for (const [key, item] of Object.entries(v)) walk(item, path === "" ? key : `${path}.${key}`, depth + 1);
      return;
    }
    if (depth < MAX_SHAPE_DEPTH && Array.isArray(v) && v.length > 0) {
      for (const item of v) walk(item, `${path}[]`, depth + 1);
      return;
    }
    paths.add(`${path === "" ? "(root)" : path}:${type}`);
  };
  walk(value, "", 0);
  return [...paths].sort().slice(0, MAX_SHAPE_PATHS);
}

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  // A masked value was some type the reader may not see; calling it "masked" keeps it out of the shape.
  if (v === MASK) return "masked";
  return typeof v;
}

/** The text and parsed JSON of what the producer published: the SNS Message when SNS wrapped it. */
function payloadOf(letter: DeadLetterMessage): { text: string; json?: { value: unknown } } {
  if (letter.sns) {
    const { message } = letter.sns;
    return "messageJson" in letter.sns ? { text: message, json: { value: letter.sns.messageJson } } : { text: message };
  }
  return "bodyJson" in letter ? { text: letter.body, json: { value: letter.bodyJson } } : { text: letter.body };
}

/** A letter's failure key: from the exception when one is known, else from the payload's shape. */
export function failureKeyOf(letter: DeadLetterMessage, exception?: FailureException): FailureKey {
  if (exception && (exception.type || exception.message)) {
    const label = exceptionLabel(exception);
    return { key: `trace\n${label}`, label, source: "trace" };
  }
  const payload = payloadOf(letter);
  let label: string;
  if (letter.withheld || (!payload.json && payload.text.trim() !== "")) label = "not JSON";
  else if (!payload.json) label = "empty";
  else label = payloadShape(payload.json.value).join(", ");
  return { key: `shape\n${label}`, label, source: "shape" };
}

/**
 * The letters grouped by failure key, the largest group first (then by label, so the order is
 * stable), each with its message ids in the given order and its newest and oldest send time.
 */
export function groupByFailure(
  letters: DeadLetterMessage[],
  exceptionOf: (letter: DeadLetterMessage) => FailureException | undefined = () => undefined,
): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const letter of letters) {
    const failure = failureKeyOf(letter, exceptionOf(letter));
    let group = groups.get(failure.key);
    if (!group) {
      group = { ...failure, count: 0, messageIds: [] };
      groups.set(failure.key, group);
    }
    group.count++;
    group.messageIds.push(letter.messageId);
    const sent = letter.system.sentAt;
    if (sent !== undefined) {
      if (group.newest === undefined || sent > group.newest) group.newest = sent;
      if (group.oldest === undefined || sent < group.oldest) group.oldest = sent;
    }
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}
