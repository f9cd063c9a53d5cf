import type { ReceivedMessage, SqsAttributeValue } from "./dead-letter-message";
import type { DeadLetterQueue, QueueDescription } from "./dead-letters";
import { roleAtLeast, type Role } from "./roles";

/**
 * Replaying dead letters: what each resent message looks like, how they are batched and paced,
 * where they may go, and which job actions are allowed when. Runs in the browser too (the UI
 * offers the targets this module allows), so no Node APIs: hashing is the engine's.
 */

// ---- AWS's limits ----------------------------------------------------------------------------------

/**
 * The largest message SQS takes, and the largest SendMessageBatch payload (all entries together):
 * 1 MiB, 1,048,576 bytes (SQS Developer Guide, "Amazon SQS message quotas"; SQS API Reference,
 * SendMessageBatch). Each queue's own `MaximumMessageSize` (1,024 to 1,048,576) is its limit.
 */
export const SQS_MAX_MESSAGE_BYTES = 1_048_576;
/**
 * An SNS topic takes 256 KiB unless its `MaximumMessageSize` is raised (SNS Developer Guide,
 * "Publishing large messages with Amazon SNS": "By default, topics accept messages up to 256
 * KiB"; SNS quotas). Replays never go to a topic (see replayableSources); this is here so that
 * the two limits are not confused.
 */
export const SNS_DEFAULT_MAX_MESSAGE_BYTES = 262_144;

/**
 * StartMessageMoveTask's `MaxNumberOfMessagesPerSecond`: a whole number, "The maximum value for
 * messages per second is 500" (SQS API Reference, StartMessageMoveTask); 0 is no rate at all.
 */
export const MOVE_TASK_RATE = { min: 1, max: 500 } as const;
/** Fanout's own engine paces itself (rampedRate, pacingDelayMs); this is its own ceiling, not AWS's. */
export const FANOUT_ENGINE_MAX_RATE = 3000;

/** Why a rate cannot be given to a message move task, or undefined when it can. */
export function moveTaskRateProblem(ratePerSecond: number): string | undefined {
  if (Number.isInteger(ratePerSecond) && ratePerSecond >= MOVE_TASK_RATE.min && ratePerSecond <= MOVE_TASK_RATE.max)
    return undefined;
  return (
    `SQS's message move task takes a whole number of messages per second from ${MOVE_TASK_RATE.min} to ` +
    `${MOVE_TASK_RATE.max} (StartMessageMoveTask); ${ratePerSecond} is not one. Leave it empty to let SQS choose.`
  );
}

export interface ReplayEdits {
  body?: string;
  attributes?: Record<string, SqsAttributeValue>;
}

export interface ReplayEntry {
  /** Batch entry id, unique within one SendMessageBatch. */
  id: string;
  body: string;
  messageAttributes: Record<string, SqsAttributeValue>;
  traceHeader?: string;
  groupId?: string;
  deduplicationId?: string;
  originalMessageId: string;
  /** Body plus attributes, as SQS counts the message size. */
  byteSize: number;
  /** Whether the entry carries ORIGINAL_ID_ATTRIBUTE (there may be no room for it). */
  originalIdKept: boolean;
}

/** The message attribute that ties a replay to the dead letter it came from. */
export const ORIGINAL_ID_ATTRIBUTE = "fanout-original-message-id";

/** SQS allows 10 message attributes per message (SQS Developer Guide, "Amazon SQS message attributes"). */
const MAX_ATTRIBUTES = 10;

/** How long SQS remembers a FIFO MessageDeduplicationId (SQS Developer Guide, "Amazon SQS FIFO queue key terms": deduplication interval). */
export const FIFO_DEDUPLICATION_INTERVAL_MS = 5 * 60_000;

/**
 * Whether sending a dead letter again, after a first send whose outcome is unknown (a crash or a
 * stop between SendMessageBatch and the store), may deliver it twice. On a standard queue always;
 * on FIFO only when the first send is older than the deduplication interval, after which SQS no
 * longer drops the copy with the same deduplication id. An unknown first-send time counts as old.
 */
export function resendMayDuplicate(fifo: boolean, firstSentAt: number | undefined, now: number): boolean {
  if (!fifo) return true;
  return firstSentAt === undefined || now - firstSentAt >= FIFO_DEDUPLICATION_INTERVAL_MS;
}

export interface ReplayEntryOptions {
  /** Whether the target (and so the DLQ) is FIFO. */
  fifo: boolean;
  index: number;
  edits?: ReplayEdits;
  /**
   * A FIFO replay's MessageDeduplicationId (the engine's replayDeduplicationId): it differs from
   * the original's, so a replay within the 5-minute deduplication interval is not dropped as a
   * duplicate of the original, and stays the same when the job resends a message.
   */
  deduplicationId: string | undefined;
  /** The target queue's MaximumMessageSize; SQS's 1 MiB when not known. */
  maxMessageSize?: number;
}

export function buildReplayEntry(m: ReceivedMessage, opts: ReplayEntryOptions): ReplayEntry {
  const body = opts.edits?.body ?? m.body;
  const messageAttributes: Record<string, SqsAttributeValue> = { ...(opts.edits?.attributes ?? m.messageAttributes) };
  // A replay of a replay keeps the id of the first original. With 10 attributes already there is no
  // room, and a message within a few bytes of the target's MaximumMessageSize has none either: it is
  // resent as it was, as AWS's own redrive would move it, rather than refused for Fanout's addition.
  if (
    !Object.hasOwn(messageAttributes, ORIGINAL_ID_ATTRIBUTE) &&
    Object.keys(messageAttributes).length < MAX_ATTRIBUTES
  ) {
    const withId = { ...messageAttributes, [ORIGINAL_ID_ATTRIBUTE]: { dataType: "String", stringValue: m.messageId } };
    if (messageSize(body, withId) <= (opts.maxMessageSize ?? SQS_MAX_MESSAGE_BYTES))
      messageAttributes[ORIGINAL_ID_ATTRIBUTE] = withId[ORIGINAL_ID_ATTRIBUTE];
  }
  const entry: ReplayEntry = {
    // Batch entry ids: unique within the batch, alphanumerics, hyphens and underscores, up to 80 characters (SQS API Reference, SendMessageBatchRequestEntry).
    id: `m${opts.index}`,
    body,
    messageAttributes,
    originalMessageId: m.messageId,
    byteSize: messageSize(body, messageAttributes),
    originalIdKept: Object.hasOwn(messageAttributes, ORIGINAL_ID_ATTRIBUTE),
  };
  const traceHeader = m.attributes.AWSTraceHeader;
  if (traceHeader) entry.traceHeader = traceHeader;
  // The group id is kept on standard queues too: "In standard queues, using MessageGroupId
  // enables fair queues" (SQS Developer Guide, "Amazon SQS message quotas", message group ID), so
  // a replay keeps its tenant. A FIFO replay without one would be refused by SQS anyway.
  const groupId = m.attributes.MessageGroupId;
  if (groupId) entry.groupId = groupId;
  if (opts.fifo && opts.deduplicationId) entry.deduplicationId = opts.deduplicationId;
  return entry;
}

/**
 * A message's size as SQS counts it against the size limit: the body's UTF-8 bytes plus, per
 * message attribute, its name, data type and value (SQS Developer Guide, "Amazon SQS message
 * attributes": they count toward the message size). Binary values count as decoded bytes.
 */
export function messageSize(body: string, attributes: Record<string, SqsAttributeValue>): number {
  let size = utf8Length(body);
  for (const [name, a] of Object.entries(attributes)) {
    size += utf8Length(name) + utf8Length(a.dataType);
    if (a.stringValue !== undefined) size += utf8Length(a.stringValue);
    else if (a.binaryValue !== undefined) size += base64DecodedLength(a.binaryValue);
  }
  return size;
}

/**
 * Whether a message fits a queue whose MaximumMessageSize is `limit` (SQS's 1 MiB when not
 * known). Fanout's original-id attribute is not counted: buildReplayEntry leaves it out when it
 * would not fit.
 */
export function fitsQueue(
  body: string,
  attributes: Record<string, SqsAttributeValue>,
  limit: number = SQS_MAX_MESSAGE_BYTES,
): { fits: boolean; size: number; limit: number } {
  const size = messageSize(body, attributes);
  return { fits: size <= limit, size, limit };
}

const encoder = new TextEncoder();
const utf8Length = (s: string) => encoder.encode(s).length;

/** Bytes a base64 text decodes to, counted without decoding (padding and stray characters skipped). */
function base64DecodedLength(text: string): number {
  const digits = text.replace(/[^A-Za-z0-9+/\-_]/g, "").length;
  return Math.floor((digits * 3) / 4);
}

/**
 * Entries one SQS batch request takes at most: SendMessageBatch, DeleteMessageBatch and
 * ChangeMessageVisibilityBatch each accept "a maximum of 10" (SQS API Reference, the three actions).
 */
export const SQS_MAX_BATCH_ENTRIES = 10;

/**
 * Consecutive batches for SendMessageBatch, in order: at most 10 entries and at most 1 MiB in
 * all per batch (SQS API Reference, SendMessageBatch: "The maximum allowed individual message
 * size and the maximum total payload size ... are both 1 MiB"). An entry over the byte limit goes
 * alone so that SQS refuses only that batch and the others still go.
 */
export function chunkEntries(
  entries: ReplayEntry[],
  limits: { maxEntries: number; maxBytes: number } = {
    maxEntries: SQS_MAX_BATCH_ENTRIES,
    maxBytes: SQS_MAX_MESSAGE_BYTES,
  },
): ReplayEntry[][] {
  const chunks: ReplayEntry[][] = [];
  let current: ReplayEntry[] = [];
  let bytes = 0;
  const flush = () => {
    if (current.length) chunks.push(current);
    current = [];
    bytes = 0;
  };
  for (const entry of entries) {
    // An entry over maxBytes closes the chunk before it and fills its own: nothing fits beside it.
    if (current.length >= limits.maxEntries || bytes + entry.byteSize > limits.maxBytes) flush();
    current.push(entry);
    bytes += entry.byteSize;
  }
  flush();
  return chunks;
}

/**
 * Messages per second allowed `elapsedSeconds` into a replay: from 10 % of the target (at least 1)
 * rising linearly to the target over `rampSeconds`, so a consumer that failed under load is not hit
 * with the full rate at once. Never above the target; no target (≤ 0 or not finite) is no limit.
 */
export function rampedRate(elapsedSeconds: number, targetPerSecond: number, rampSeconds = 30): number {
  if (!Number.isFinite(targetPerSecond) || targetPerSecond <= 0) return Infinity;
  const start = Math.min(targetPerSecond, Math.max(1, targetPerSecond * 0.1));
  if (!(rampSeconds > 0) || elapsedSeconds >= rampSeconds) return targetPerSecond;
  if (!(elapsedSeconds > 0)) return start;
  return Math.min(targetPerSecond, start + ((targetPerSecond - start) * elapsedSeconds) / rampSeconds);
}

/** How long to wait after sending a batch of `messages` that took `spentMs`, so that the average stays at the rate. */
export function pacingDelayMs(messages: number, ratePerSecond: number, spentMs: number): number {
  if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0 || !(messages > 0)) return 0;
  return Math.max(0, (messages / ratePerSecond) * 1000 - spentMs);
}

// ---- where a replay may go -----------------------------------------------------------------------

export interface ReplayTarget {
  name: string;
  url: string;
  arn: string;
  fifo: boolean;
  /** The queue's MaximumMessageSize, when read: the largest message it takes. */
  maximumMessageSize?: number;
}

export type TargetResolution =
  | { ok: true; target: ReplayTarget; ownSource: boolean }
  /** No target chosen and several sources: each letter goes back to the source queue it names (see targetOfLetter). */
  | { ok: true; target?: undefined; eachToOwnSource: ReplayTarget[]; ownSource: true }
  /** `forbidden`: the role may not choose this target (403); `invalid`: the request is wrong (422). */
  | { ok: false; field: "target"; message: string; reason: "forbidden" | "invalid" };

const SQS_ARN = /^arn:aws(?:-[a-z]+)*:sqs:/;

/** The queue name at the end of an SQS ARN. */
const queueNameOf = (arn: string) => arn.slice(arn.lastIndexOf(":") + 1);

/**
 * The ARNs of the queues a DLQ's messages came from and may go back to: source queues, and the
 * SQS queues of subscriptions whose DLQ it is (an SQS subscription's endpoint is the queue ARN). A
 * subscription to any other endpoint (HTTP, Lambda, email...) cannot be replayed to: its dead
 * letters can only be exported. Replaying into the SNS topic is never offered: a re-publish would
 * reach every subscriber, not only the one whose delivery failed.
 */
export function sourceQueueArns(dlq: Pick<DeadLetterQueue, "sources">): string[] {
  const arns = dlq.sources.flatMap((source) =>
    source.kind === "queue" ? [source.arn] : SQS_ARN.test(source.endpoint) ? [source.endpoint] : [],
  );
  return [...new Set(arns)];
}

/** The names of a DLQ's source queues, sorted: what the UI offers, and what an operator may choose. */
export function sourceQueueNames(dlq: Pick<DeadLetterQueue, "sources">): string[] {
  return [...new Set(sourceQueueArns(dlq).map(queueNameOf))].sort((a, b) => a.localeCompare(b));
}

/** Whether a role may send a DLQ's messages to a queue that is not one of its sources (with `override`). */
export function mayReplayElsewhere(role: Role): boolean {
  return roleAtLeast(role, "admin");
}

/** The DLQ's source queues that exist, as targets. */
export function replayableSources(dlq: DeadLetterQueue, queues: QueueDescription[]): ReplayTarget[] {
  const byArn = new Map(queues.map((q) => [q.arn, q]));
  return sourceQueueArns(dlq)
    .flatMap((arn) => (byArn.has(arn) ? [toTarget(byArn.get(arn)!)] : []))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Where a replay goes. A DLQ's own source queues are open to operators; any other queue of the
 * same type only to an admin who says so (`override`), so that an operator cannot put one
 * pipeline's dead letters into another's queue. Without a requested queue: the source the message
 * names, the only source, or each letter to the source it names.
 */
export function resolveReplayTarget(input: {
  dlq: DeadLetterQueue;
  queues: QueueDescription[];
  requested?: string;
  override?: boolean;
  messageSourceArn?: string;
  /** The request is for one message known to carry no DeadLetterQueueSourceArn, so "each to its own source" cannot place it. */
  messageWithoutSource?: boolean;
  role: Role;
}): TargetResolution {
  const { dlq, queues } = input;
  const sources = replayableSources(dlq, queues);
  const refuse = (message: string, reason: "forbidden" | "invalid" = "invalid"): TargetResolution => ({
    ok: false,
    field: "target",
    message,
    reason,
  });
  const requested = input.requested?.trim();

  if (requested) {
    const q = queues.find((x) => x.name === requested);
    if (!q) return refuse(`no queue named ${requested}`);
    if (q.arn === dlq.arn) return refuse(`${requested} is this dead-letter queue: choose the queue to replay into`);
    // A FIFO queue's DLQ must be FIFO and a standard queue's standard (SQS Developer Guide, "Using
    // dead-letter queues in Amazon SQS"); replays keep to the same pairing, so group ids keep their meaning.
    if (q.fifo !== dlq.fifo) {
      return refuse(
        dlq.fifo
          ? `${requested} is a standard queue: messages from a FIFO dead-letter queue go only to a FIFO queue`
          : `${requested} is a FIFO queue: messages from a standard dead-letter queue go only to a standard queue`,
      );
    }
    const ownSource = sources.some((s) => s.arn === q.arn);
    if (!ownSource) {
      if (!mayReplayElsewhere(input.role))
        return refuse(
          `${requested} is not a source queue of ${dlq.name}: only an admin may replay its messages to another queue`,
          "forbidden",
        );
      if (!input.override)
        return refuse(
          `${requested} is not a source queue of ${dlq.name}: to send its messages there anyway, confirm with override: true`,
        );
    }
    return { ok: true, target: toTarget(q), ownSource };
  }

  const fromMessage = input.messageSourceArn ? sources.find((s) => s.arn === input.messageSourceArn) : undefined;
  if (fromMessage) return { ok: true, target: fromMessage, ownSource: true };
  const [only] = sources;
  if (only && sources.length === 1) return { ok: true, target: only, ownSource: true };
  if (!only)
    return refuse(
      `${dlq.name} has no SQS source queue to replay to (a DLQ of an SNS subscription to another kind of endpoint): export its messages instead`,
    );
  const names = sources.map((s) => s.name).join(", ");
  if (input.messageSourceArn)
    return refuse(
      `the message names source ${input.messageSourceArn}, which is not one of ${dlq.name}'s source queues (${names}): choose a target`,
    );
  if (input.messageWithoutSource)
    return refuse(
      `${dlq.name} has several source queues (${names}) and the message does not name its own (no DeadLetterQueueSourceArn): choose a target`,
    );
  // Without DestinationArn, "the messages will be redriven back to their respective original source
  // queues" (SQS API Reference, StartMessageMoveTask, DestinationArn); SQS marks each dead letter
  // with its source in the DeadLetterQueueSourceArn system attribute.
  return { ok: true, eachToOwnSource: sources, ownSource: true };
}

/**
 * Where one dead letter goes: the job's chosen target, or else the source queue its
 * DeadLetterQueueSourceArn names, which must be one of the DLQ's sources. A letter that names no
 * usable source cannot be placed and fails with the reason.
 */
export function targetOfLetter(
  chosen: ReplayTarget | undefined,
  sources: ReplayTarget[],
  sourceArn: string | undefined,
): { ok: true; target: ReplayTarget } | { ok: false; reason: string } {
  if (chosen) return { ok: true, target: chosen };
  if (!sourceArn)
    return {
      ok: false,
      reason: "the letter does not name its source queue (no DeadLetterQueueSourceArn): replay it to a chosen target",
    };
  const source = sources.find((s) => s.arn === sourceArn);
  if (!source)
    return {
      ok: false,
      reason: `the letter's source ${sourceArn} is not one of this DLQ's source queues (${sources.map((s) => s.name).join(", ")})`,
    };
  return { ok: true, target: source };
}

function toTarget(q: QueueDescription): ReplayTarget {
  return {
    name: q.name,
    url: q.url,
    arn: q.arn,
    fifo: q.fifo,
    ...(q.maximumMessageSize !== undefined ? { maximumMessageSize: q.maximumMessageSize } : {}),
  };
}

// ---- job status ----------------------------------------------------------------------------------

/**
 * `completed`: every selected dead letter the job could find has moved (or failed for a reason of
 * its own), after a full sweep of the DLQ. `incomplete`: the sweep ended with letters the job could
 * not reach: on a FIFO DLQ, behind letters of their group that it does not move ("Inflight messages
 * block delivery of available messages within the same message group", AWS re:Post knowledge
 * center, sqs-fifo-messages-not-returned); the job's note says how many and which groups.
 */
export type RedriveStatus = "running" | "paused" | "completed" | "incomplete" | "cancelled" | "failed";
/** "fanout": the console sends the messages itself; "sqs-move-task": SQS's StartMessageMoveTask does. */
export type RedriveEngine = "fanout" | "sqs-move-task";
export type RedriveAction = "pause" | "resume" | "cancel";

export function isTerminal(status: RedriveStatus): boolean {
  return status === "completed" || status === "incomplete" || status === "cancelled" || status === "failed";
}

/**
 * What an operator may do to a job now. A message move task can be cancelled while it runs but not
 * paused (SQS API Reference, CancelMessageMoveTask; there is no call to pause one).
 */
export function allowedActions(status: RedriveStatus, engine: RedriveEngine): RedriveAction[] {
  if (engine === "sqs-move-task") return status === "running" ? ["cancel"] : [];
  if (status === "running") return ["pause", "cancel"];
  if (status === "paused") return ["resume", "cancel"];
  return [];
}

const actionResult: Record<RedriveAction, { status: RedriveStatus; done: string }> = {
  pause: { status: "paused", done: "paused" },
  resume: { status: "running", done: "resumed" },
  cancel: { status: "cancelled", done: "cancelled" },
};

/** The status a job is in once `action` is done: a repeated request finds it there already. */
export const statusAfter = (action: RedriveAction): RedriveStatus => actionResult[action].status;

export function applyAction(
  status: RedriveStatus,
  engine: RedriveEngine,
  action: RedriveAction,
): { ok: true; status: RedriveStatus } | { ok: false; message: string } {
  const { status: next, done } = actionResult[action];
  if (allowedActions(status, engine).includes(action)) return { ok: true, status: next };
  if (engine === "sqs-move-task" && action !== "cancel")
    return { ok: false, message: `an SQS message move task cannot be ${done}` };
  return {
    ok: false,
    message: `a ${status} ${engine === "sqs-move-task" ? "message move task" : "job"} cannot be ${done}`,
  };
}
