import { createHash } from "node:crypto";
import type { ReceivedMessage, SqsAttributeValue } from "./dead-letter-message";
import type { DeadLetterQueue, QueueDescription } from "./dead-letters";
import { roleAtLeast, type Role } from "./roles";

/**
 * Replaying dead letters: what each resent message looks like, how they are batched and paced,
 * where they may go, and which job actions are allowed when. Server-only (node:crypto).
 */

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

/**
 * The MessageDeduplicationId of a FIFO replay: sha256 hex of job and message id, 64 characters
 * (SQS allows 128). It differs from the original's, so a replay within the 5-minute deduplication
 * interval is not dropped as a duplicate of the original (SQS Developer Guide, "Exactly-once
 * processing in Amazon SQS"); it stays the same when the job resends a message after a crash, so
 * SQS drops that second copy, but only within the 5-minute deduplication interval of the first
 * send: "duplicates are accepted successfully but aren't delivered during the 5-minute
 * deduplication interval" (SQS API Reference, SendMessage, MessageDeduplicationId). A resend
 * later than that may be delivered twice (see resendMayDuplicate).
 */
export function replayDeduplicationId(jobId: string, messageId: string): string {
  return createHash("sha256").update(`${jobId}:${messageId}`).digest("hex");
}

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

export function buildReplayEntry(m: ReceivedMessage, opts: { jobId: string; fifo: boolean; index: number; edits?: ReplayEdits }): ReplayEntry {
  const body = opts.edits?.body ?? m.body;
  const messageAttributes: Record<string, SqsAttributeValue> = { ...(opts.edits?.attributes ?? m.messageAttributes) };
  // A replay of a replay keeps the id of the first original. With 10 attributes already there is no
  // room: the message is resent as it was rather than losing one of its own attributes.
  if (!Object.hasOwn(messageAttributes, ORIGINAL_ID_ATTRIBUTE) && Object.keys(messageAttributes).length < MAX_ATTRIBUTES) {
    messageAttributes[ORIGINAL_ID_ATTRIBUTE] = { dataType: "String", stringValue: m.messageId };
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
  if (opts.fifo) {
    const groupId = m.attributes.MessageGroupId;
    if (groupId) entry.groupId = groupId;
    entry.deduplicationId = replayDeduplicationId(opts.jobId, m.messageId);
  }
  return entry;
}

/**
 * A message's size as SQS counts it against the size limit: the body's UTF-8 bytes plus, per
 * message attribute, its name, data type and value (SQS Developer Guide, "Amazon SQS message
 * attributes": they count toward the message size). Binary values count as decoded bytes.
 */
export function messageSize(body: string, attributes: Record<string, SqsAttributeValue>): number {
  const utf8 = (s: string) => Buffer.byteLength(s, "utf8");
  let size = utf8(body);
  for (const [name, a] of Object.entries(attributes)) {
    size += utf8(name) + utf8(a.dataType);
    if (a.stringValue !== undefined) size += utf8(a.stringValue);
    else if (a.binaryValue !== undefined) size += Buffer.from(a.binaryValue, "base64").length;
  }
  return size;
}

/**
 * Consecutive batches for SendMessageBatch, in order: at most 10 entries and at most 256 KiB in
 * all per batch (SQS API Reference, SendMessageBatch). An entry over the byte limit goes alone so
 * that SQS rejects it by itself and the others still go.
 */
export function chunkEntries(entries: ReplayEntry[], limits: { maxEntries: number; maxBytes: number } = { maxEntries: 10, maxBytes: 262_144 }): ReplayEntry[][] {
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
}

export type TargetResolution =
  | { ok: true; target: ReplayTarget; ownSource: boolean }
  /** No target chosen and several sources: each letter goes back to the source queue it names (see targetOfLetter). */
  | { ok: true; target?: undefined; eachToOwnSource: ReplayTarget[]; ownSource: true }
  | { ok: false; field: "target"; message: string };

const SQS_ARN = /^arn:aws(?:-[a-z]+)*:sqs:/;

/**
 * The queues a DLQ's messages came from and may go back to: source queues, and the SQS queues of
 * subscriptions whose DLQ it is (an SQS subscription's endpoint is the queue ARN). A subscription
 * to any other endpoint (HTTP, Lambda, email...) cannot be replayed to: its dead letters can only be
 * exported. Replaying into the SNS topic is never offered: a re-publish would reach every
 * subscriber, not only the one whose delivery failed.
 */
export function replayableSources(dlq: DeadLetterQueue, queues: QueueDescription[]): ReplayTarget[] {
  const byArn = new Map(queues.map((q) => [q.arn, q]));
  const found = new Map<string, ReplayTarget>();
  for (const source of dlq.sources) {
    const arn = source.kind === "queue" ? source.arn : SQS_ARN.test(source.endpoint) ? source.endpoint : undefined;
    const q = arn === undefined ? undefined : byArn.get(arn);
    if (q) found.set(q.arn, toTarget(q));
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * `messageWithoutSource`: the request is for one message known to carry no DeadLetterQueueSourceArn,
 * so "each to its own source" cannot place it.
 */
export function resolveReplayTarget(input: {
  dlq: DeadLetterQueue;
  queues: QueueDescription[];
  requested?: string;
  messageSourceArn?: string;
  messageWithoutSource?: boolean;
  edited: boolean;
  role: Role;
}): TargetResolution {
  const { dlq, queues } = input;
  const sources = replayableSources(dlq, queues);
  const refuse = (message: string): TargetResolution => ({ ok: false, field: "target", message });
  const requested = input.requested?.trim();

  if (requested) {
    const q = queues.find((x) => x.name === requested);
    if (!q) return refuse(`no queue named ${requested}`);
    if (q.arn === dlq.arn) return refuse(`${requested} is this dead-letter queue: choose the queue to replay into`);
    // A FIFO queue's DLQ must be FIFO and a standard queue's standard (SQS Developer Guide, "Using
    // dead-letter queues in Amazon SQS"); replays keep to the same pairing, so group ids keep their meaning.
    if (q.fifo !== dlq.fifo) {
      return refuse(dlq.fifo ? `${requested} is a standard queue: messages from a FIFO dead-letter queue go only to a FIFO queue` : `${requested} is a FIFO queue: messages from a standard dead-letter queue go only to a standard queue`);
    }
    const ownSource = sources.some((s) => s.arn === q.arn);
    // An edited message is a new message: elsewhere than where it came from, only an admin may send it.
    if (input.edited && !ownSource && !roleAtLeast(input.role, "admin")) return refuse("edited messages go only to this DLQ's own source queues unless you are an admin");
    return { ok: true, target: toTarget(q), ownSource };
  }

  const fromMessage = input.messageSourceArn ? sources.find((s) => s.arn === input.messageSourceArn) : undefined;
  if (fromMessage) return { ok: true, target: fromMessage, ownSource: true };
  const [only] = sources;
  if (only && sources.length === 1) return { ok: true, target: only, ownSource: true };
  if (!only) return refuse(`${dlq.name} has no SQS source queue to replay to (a DLQ of an SNS subscription to another kind of endpoint): export its messages instead`);
  const names = sources.map((s) => s.name).join(", ");
  if (input.messageSourceArn) return refuse(`the message names source ${input.messageSourceArn}, which is not one of ${dlq.name}'s source queues (${names}): choose a target`);
  if (input.messageWithoutSource) return refuse(`${dlq.name} has several source queues (${names}) and the message does not name its own (no DeadLetterQueueSourceArn): choose a target`);
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
export function targetOfLetter(chosen: ReplayTarget | undefined, sources: ReplayTarget[], sourceArn: string | undefined): { ok: true; target: ReplayTarget } | { ok: false; reason: string } {
  if (chosen) return { ok: true, target: chosen };
  if (!sourceArn) return { ok: false, reason: "the letter does not name its source queue (no DeadLetterQueueSourceArn): replay it to a chosen target" };
  const source = sources.find((s) => s.arn === sourceArn);
  if (!source) return { ok: false, reason: `the letter's source ${sourceArn} is not one of this DLQ's source queues (${sources.map((s) => s.name).join(", ")})` };
  return { ok: true, target: source };
}

function toTarget(q: QueueDescription): ReplayTarget {
  return { name: q.name, url: q.url, arn: q.arn, fifo: q.fifo };
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

export function applyAction(status: RedriveStatus, engine: RedriveEngine, action: RedriveAction): { ok: true; status: RedriveStatus } | { ok: false; message: string } {
  const { status: next, done } = actionResult[action];
  if (allowedActions(status, engine).includes(action)) return { ok: true, status: next };
  if (engine === "sqs-move-task" && action !== "cancel") return { ok: false, message: `an SQS message move task cannot be ${done}` };
  return { ok: false, message: `a ${status} ${engine === "sqs-move-task" ? "message move task" : "job"} cannot be ${done}` };
}
