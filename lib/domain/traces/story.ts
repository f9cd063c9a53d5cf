import { plural } from "../format";
import type { Span, Trace, TraceException, TraceStatus } from "./model";
import { parseTraceHeader, traceIdTime } from "./header";
import { allSpans } from "./parse";
import { durationMs, exceptionsById, exceptionsOf, resourceOf, statusOf, worstStatus, type ResourceRef } from "./spans";

/**
 * The story of one dead letter: the trace of the publish that produced it (named by the message's
 * AWSTraceHeader) joined with the traced Lambda invocations that consumed it.
 *
 * Sources, X-Ray Developer Guide:
 * - "Tracing event-driven applications": a consumer that receives a batch starts its own trace and
 *   links it to each producer trace; one invocation per batch, one more per retry.
 * - "AWS X-Ray segment documents": segment fields, errors and exceptions, metadata.
 * - Trace retention: X-Ray keeps trace data for 30 days ("AWS X-Ray endpoints and quotas"; the
 *   X-Ray FAQs), so a trace that started earlier can no longer be fetched.
 * - "Getting data from AWS X-Ray": traces are processed before they can be retrieved, so a trace
 *   that just started may not be found yet.
 *
 * Pure: `now` is passed in; the traces are whatever the caller fetched.
 */

export interface Invocation {
  traceId: string;
  functionName: string;
  functionArn?: string;
  /** Epoch ms. */
  start: number;
  durationMs: number | null;
  /** Worst over the trace's spans. */
  status: TraceStatus;
  /** The exceptions the function raised, de-duplicated by type + message (Lambda records the same error on the function segment and on Invocation). */
  exceptions: TraceException[];
  /** aws.request_id of the AWS::Lambda segment. */
  requestId?: string;
  /** An Initialization subsegment. */
  coldStart: boolean;
  /** Invocation metadata.batch, when present and numeric. */
  batch?: { size: number; itemFailures: number };
  /** How many messages (distinct linked producer traces) the invocation consumed. */
  linkedMessages: number;
  /**
   * True when `linkedMessages` is a lower bound: a segment links to at most 20 traces and a trace
   * holds at most 100 links (X-Ray Developer Guide, "Trace linking"), so a batch of more messages
   * than that shows only the first ones.
   */
  linkedMessagesAtLeast?: true;
  /** The invocation failed for this message or may have: fault/error status, or batch item failures reported. */
  failed: boolean;
  /** The exact segment ids this invocation linked to in the producer trace (to show which link matched). */
  linkedSegmentIds: string[];
  /**
   * Whether the handler failed on this very message, when the trace says per record (subsegments
   * annotated with `message_id`) and the message id is known; absent otherwise.
   */
  thisMessage?: "failed" | "not-failed";
}

export type StoryState = "found" | "no-header" | "unreadable-header" | "not-sampled" | "not-retained" | "not-found";

export interface MessageStoryInput {
  /** The message's AWSTraceHeader; undefined when it has none. */
  header?: string;
  /**
   * Every trace fetched for the story: the producer trace (root of the header) if the endpoint returned it,
   * and the traces of the scanned window. Duplicates by id must be tolerated.
   */
  traces: Trace[];
  /** The window that was scanned for consumer traces, and whether the scan covered it all (false when a cap on traces stopped it). */
  scanned: { from: number; to: number; traces: number; complete: boolean };
  /** Epoch ms. */
  now: number;
  /** 30 by default (X-Ray keeps trace data for 30 days). */
  retentionDays?: number;
  /** The SQS message id of the dead letter (kept when SQS moves a message to its DLQ), to find the records of it. */
  messageId?: string;
  /**
   * Names of the functions that consume the queue the message was dead-lettered from. A publish
   * fans out to every subscribed queue; the invocations of other queues' consumers handled other
   * copies of it and are kept apart in `otherDeliveries`. Absent: every linked invocation counts.
   */
  consumers?: string[];
  /**
   * The account uses CloudWatch Transaction Search: traces were read by id from its log group, and
   * the scanned traces are X-Ray's indexed sample of them (1 % of spans by default).
   */
  transactionSearch?: boolean;
}

export interface MessageStory {
  state: StoryState;
  /** Plain sentences for the operator that say exactly what is known and why. */
  reason: string;
  traceId?: string;
  producer?: {
    traceId: string;
    found: boolean;
    /** Name of the producer's root segment. */
    service?: string;
    /** From the SNS call subsegment. */
    topic?: ResourceRef;
    /** Epoch ms: end of the span named by Parent, or of the root segment. */
    publishedAt?: number;
    status?: TraceStatus;
  };
  /** Failed ones first (fault, then throttle, then error, then partial batch failures), then by start time; ties by traceId. */
  invocations: Invocation[];
  /** Invocations of other subscribers' consumers linked to the same publish (other copies of the message), in the same order. */
  otherDeliveries: Invocation[];
  /** invocations.length */
  attempts: number;
  failedAttempts: number;
  scanned: MessageStoryInput["scanned"];
}

export const DEFAULT_RETENTION_DAYS = 30;
/** "Each trace segment can be linked to up to 20 traces, while a trace can include a maximum of 100 links" (X-Ray Developer Guide, "Trace linking"). */
export const MAX_LINKS_PER_SEGMENT = 20;
export const MAX_LINKS_PER_TRACE = 100;
/** Younger than this, a trace may not be retrievable yet. */
export const INDEXING_DELAY_MS = 2 * 60_000;
const DAY_MS = 86_400_000;
/** Exception text in a reason is cut here: the full text is in `invocations`. */
const MAX_EXCEPTION_TEXT = 200;

const iso = (ms: number) => new Date(ms).toISOString();
const toMs = (seconds: number) => Math.round(seconds * 1000);

/** One trace per id; of duplicates the one with the most segments (a later fetch may be more complete), else the first. */
function distinct(traces: Trace[]): Trace[] {
  const byId = new Map<string, Trace>();
  for (const t of traces) {
    const seen = byId.get(t.id);
    if (!seen || t.segments.length > seen.segments.length) byId.set(t.id, t);
  }
  return [...byId.values()];
}

/** Segments not called from within the trace: no parent, or a parent that is not in it. */
function rootSegment(trace: Trace): Span | undefined {
  const ids = new Set<string>();
  for (const s of allSpans(trace)) ids.add(s.id);
  return trace.segments.find((s) => s.parentId === undefined || !ids.has(s.parentId)) ?? trace.segments[0];
}

function findSpan(trace: Trace, id: string | undefined): Span | undefined {
  if (id === undefined) return undefined;
  for (const s of allSpans(trace)) if (s.id === id) return s;
  return undefined;
}

function producerOf(trace: Trace, parent: string | undefined): NonNullable<MessageStory["producer"]> {
  const root = rootSegment(trace);
  const named = findSpan(trace, parent);
  const out: NonNullable<MessageStory["producer"]> = { traceId: trace.id, found: true };
  if (root) out.service = root.name;
  // The Parent is normally the SNS call itself; else the first topic the trace names.
  let topic = named ? resourceOf(named) : undefined;
  if (topic?.kind !== "topic") {
    topic = undefined;
    for (const s of allSpans(trace)) {
      const r = resourceOf(s);
      if (r?.kind === "topic") {
        topic = r;
        break;
      }
    }
  }
  if (topic) out.topic = topic;
  const end = named?.end ?? root?.end;
  if (end !== undefined) out.publishedAt = toMs(end);
  out.status = worstStatus([...allSpans(trace)].map(statusOf));
  return out;
}

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** Invocation metadata.batch {size, batch_item_failures}, as the local pipeline records it. */
function batchOf(invocation: Span | undefined): Invocation["batch"] {
  const batch = invocation?.metadata?.batch;
  if (typeof batch !== "object" || batch === null) return undefined;
  const size = num((batch as Record<string, unknown>).size);
  const itemFailures = num((batch as Record<string, unknown>).batch_item_failures);
  return size === undefined || itemFailures === undefined ? undefined : { size, itemFailures };
}

/** Per function, its traced invocations that say how many batch records they had and failed. */
export type TracedRecords = Map<string, { invocations: number; records: number; failed: number }>;

/**
 * The batch records of each function's invocations in these traces, and how many the handler
 * reported as batch item failures (Invocation metadata.batch). A reported record is no Lambda
 * error; an invocation that threw is one, counted by Lambda's Errors, and is left out here. Only
 * invocations whose trace records the batch count: where none does, the function is absent.
 */
export function tracedRecords(traces: Trace[]): TracedRecords {
  const byFunction: TracedRecords = new Map();
  for (const trace of traces) {
    const service = trace.segments.find((s) => s.origin === "AWS::Lambda");
    const work = trace.segments.find((s) => s.origin === "AWS::Lambda::Function") ?? service;
    const batch = batchOf(work?.children.find((c) => c.name === "Invocation"));
    if (!service || !batch || statusOf(service) === "fault") continue;
    const tally = byFunction.get(service.name) ?? { invocations: 0, records: 0, failed: 0 };
    tally.invocations += 1;
    tally.records += batch.size;
    tally.failed += batch.itemFailures;
    byFunction.set(service.name, tally);
  }
  return byFunction;
}

interface Links {
  segmentIds: string[];
  messages: number;
  /** A span or the trace reached X-Ray's link cap: more messages may have been consumed than linked. */
  capped: boolean;
}

/** The trace's links to the producer trace, or undefined when it has none. */
function linksTo(trace: Trace, root: string): Links | undefined {
  const segmentIds: string[] = [];
  const producers = new Set<string>();
  let links = 0;
  let spanCapped = false;
  for (const s of allSpans(trace)) {
    links += s.links.length;
    if (new Set(s.links.map((l) => l.traceId)).size >= MAX_LINKS_PER_SEGMENT) spanCapped = true;
    for (const link of s.links) {
      producers.add(link.traceId);
      if (link.traceId === root && !segmentIds.includes(link.id)) segmentIds.push(link.id);
    }
  }
  return producers.has(root)
    ? { segmentIds, messages: producers.size, capped: spanCapped || links >= MAX_LINKS_PER_TRACE }
    : undefined;
}

/**
 * Per-record outcome: a handler that traces each record annotates its subsegment with the message
 * id and records the record's error there. Undefined when the trace has no per-record spans.
 */
function recordOutcome(
  trace: Trace,
  messageId: string | undefined,
  byId: Map<string, TraceException>,
): { failed: boolean; exceptions: TraceException[] } | undefined {
  if (messageId === undefined) return undefined;
  let perRecord = false;
  const exceptions: TraceException[] = [];
  let failed = false;
  for (const s of allSpans(trace)) {
    const id = s.annotations.message_id;
    if (id === undefined) continue;
    perRecord = true;
    if (id !== messageId) continue;
    if (statusOf(s) !== "ok") failed = true;
    exceptions.push(...exceptionsOf(s, byId));
  }
  return perRecord ? { failed, exceptions } : undefined;
}

function invocationOf(trace: Trace, links: Links, messageId: string | undefined): Invocation | undefined {
  // Lambda's service segment carries the request id and the whole invocation; the function segment
  // its work (Lambda Developer Guide, "Visualize Lambda function invocations using AWS X-Ray").
  const service = trace.segments.find((s) => s.origin === "AWS::Lambda") ?? rootSegment(trace);
  if (!service) return undefined;
  const fn = trace.segments.find((s) => s.origin === "AWS::Lambda::Function");
  const work = fn ?? service;

  const byId = exceptionsById(trace);
  const exceptions: TraceException[] = [];
  const seen = new Set<string>();
  const statuses: TraceStatus[] = [];
  for (const s of allSpans(trace)) {
    statuses.push(statusOf(s));
    for (const e of exceptionsOf(s, byId)) {
      const key = `${e.type ?? ""}\u0000${e.message ?? ""}`;
      if (seen.has(key)) continue;
      seen.add(key);
      exceptions.push(e);
    }
  }
  const status = worstStatus(statuses);
  const batch = batchOf(work.children.find((c) => c.name === "Invocation"));
  const record = recordOutcome(trace, messageId, byId);
  // This message's own exceptions last: the story names the last exception as the cause.
  const own = new Set(record?.exceptions ?? []);
  if (own.size > 0) exceptions.sort((a, b) => Number(own.has(a)) - Number(own.has(b)));

  const out: Invocation = {
    traceId: trace.id,
    functionName: service.name,
    start: toMs(service.start),
    durationMs: durationMs(service),
    status,
    exceptions,
    coldStart: work.children.some((c) => c.name === "Initialization"),
    linkedMessages: links.messages,
    // Batch item failures name no message in the trace: this one may be among them.
    failed: status !== "ok" || (batch?.itemFailures ?? 0) > 0,
    linkedSegmentIds: links.segmentIds,
  };
  if (record) out.thisMessage = record.failed ? "failed" : "not-failed";
  // A batch the trace says is larger than its links shows the links' cap at work too.
  if (links.capped || (batch !== undefined && batch.size > links.messages && links.messages >= MAX_LINKS_PER_SEGMENT))
    out.linkedMessagesAtLeast = true;
  const functionArn = service.resourceArn ?? fn?.resourceArn ?? fn?.aws?.functionArn;
  if (functionArn !== undefined) out.functionArn = functionArn;
  const requestId = service.aws?.requestId;
  if (requestId !== undefined) out.requestId = requestId;
  if (batch) out.batch = batch;
  return out;
}

const FAILURE_RANK: Record<TraceStatus, number> = { fault: 0, throttle: 1, error: 2, ok: 3 };
// Failures on this very message first, then other failures by severity, then the rest.
const rank = (i: Invocation) => (i.thisMessage === "failed" ? -1 : i.failed ? FAILURE_RANK[i.status] : 4);

function byFailureThenStart(a: Invocation, b: Invocation): number {
  return rank(a) - rank(b) || a.start - b.start || a.traceId.localeCompare(b.traceId);
}

function exceptionText(e: TraceException): string {
  const raw =
    e.type && e.message ? `${e.type}: ${e.message}` : (e.type ?? e.message ?? "an exception without type or message");
  const text = raw.replace(/\s+/g, " ").trim();
  return text.length > MAX_EXCEPTION_TEXT ? `${text.slice(0, MAX_EXCEPTION_TEXT - 1)}…` : text;
}

const STATUS_TEXT: Record<Exclude<TraceStatus, "ok">, string> = {
  fault: "a fault",
  throttle: "a throttle",
  error: "an error",
};

/** How one failed invocation failed, as the end of "… failed …". */
function howItFailed(i: Invocation, withName: boolean): string {
  const where = withName ? ` in ${i.functionName}` : "";
  // The last exception recorded is the one the handler ended with.
  const last = i.exceptions[i.exceptions.length - 1];
  if (i.thisMessage === "not-failed")
    return (
      `${where}, but not on this message: it was returned with a batch in ` +
      `which another message failed${last ? ` (${exceptionText(last)})` : ""}; ` +
      `on a FIFO queue the messages after a failure are returned unprocessed`
    );
  if (last) return `${where} with ${exceptionText(last)}`;
  if (i.status !== "ok") return `${where} with ${STATUS_TEXT[i.status]} and no exception recorded`;
  const b = i.batch ?? { size: 0, itemFailures: 0 };
  return `${where}: it reported ${b.itemFailures} of ${plural(b.size, "batch item")} as failed, possibly this message`;
}

function scanText(scanned: MessageStoryInput["scanned"]): string {
  return `the ${plural(scanned.traces, "trace")} scanned from ${iso(scanned.from)} to ${iso(scanned.to)}`;
}

const CAPPED = " The scan was capped before it covered the whole window, so a linked invocation may have been missed.";

/** Under Transaction Search, the scan only saw X-Ray's indexed sample of the traces. */
const SAMPLED_SCAN =
  " This account uses CloudWatch Transaction Search, so the traces scanned are X-Ray's indexed " +
  "sample (1 % of spans by default): an invocation that consumed the message may not be among them.";

function foundReason(
  invocations: Invocation[],
  producer: NonNullable<MessageStory["producer"]>,
  scanned: MessageStoryInput["scanned"],
  transactionSearch: boolean,
): string {
  const parts: string[] = [];
  if (invocations.length > 0) {
    const names = [...new Set(invocations.map((i) => i.functionName))].sort();
    const who = names.length === 1 ? `of ${names[0]}` : `of ${names.length} functions (${names.join(", ")})`;
    const failed = invocations.filter((i) => i.failed);
    let outcome = "none failed";
    if (failed.length > 0) {
      // The latest failure is the one that sent the message to the dead-letter queue.
      const latest = failed.reduce((a, b) =>
        b.start > a.start || (b.start === a.start && b.traceId > a.traceId) ? b : a,
      );
      const count =
        failed.length === invocations.length && failed.length > 1 ? `all ${failed.length}` : `${failed.length}`;
      outcome = `${count} failed${failed.length > 1 ? ", the last" : ""}${howItFailed(latest, names.length > 1)}`;
    }
    parts.push(`${plural(invocations.length, "invocation")} ${who} consumed this message; ${outcome}.`);
  }
  if (producer.found) {
    const by = producer.service ? ` by ${producer.service}` : "";
    const to = producer.topic ? ` to ${producer.topic.name}` : "";
    const at = producer.publishedAt !== undefined ? ` at ${iso(producer.publishedAt)}` : "";
    const bad =
      producer.status && producer.status !== "ok" ? ` (the publish trace shows ${STATUS_TEXT[producer.status]})` : "";
    if (invocations.length > 0) parts.push(`Published${by}${to}${at}${bad}.`);
    else
      parts.push(
        `The publish${by}${to}${at} was traced${bad}, but no invocation linked to it was found in ` +
          `${scanText(scanned)}.${scanned.complete ? "" : CAPPED}${transactionSearch ? SAMPLED_SCAN : ""}`,
      );
  } else if (transactionSearch) {
    parts.push(
      `The producer trace ${producer.traceId} was not found in the Transaction Search ` +
        `log group nor in X-Ray; the invocations were found through their links to it.`,
    );
  } else {
    parts.push(
      `The producer trace ${producer.traceId} was not returned (expired, not indexed ` +
        `yet or not fetched); the invocations were found through their links to it.`,
    );
  }
  return parts.join(" ");
}

function notFoundReason(root: string, started: number, input: MessageStoryInput): string {
  if (input.transactionSearch) {
    let reason =
      `The producer trace ${root} was not found in the Transaction Search log group nor in X-Ray, ` +
      `and no invocation linked to it was found in ${scanText(input.scanned)}.${SAMPLED_SCAN}`;
    if (input.now - started < INDEXING_DELAY_MS)
      reason += " The trace started less than 2 minutes ago: its spans may not have reached the log group yet.";
    if (!input.scanned.complete) reason += CAPPED;
    return reason;
  }
  let reason = `Neither the producer trace ${root} nor any invocation linked to it was found in ${scanText(input.scanned)}.`;
  if (input.now - started < INDEXING_DELAY_MS) {
    reason +=
      " The trace started less than 2 minutes ago and may not be indexed yet: X-Ray makes traces available for retrieval after a short delay.";
  }
  if (!input.scanned.complete) reason += CAPPED;
  return reason;
}

export function buildMessageStory(input: MessageStoryInput): MessageStory {
  const { scanned } = input;
  const empty = { invocations: [], otherDeliveries: [], attempts: 0, failedAttempts: 0, scanned };
  if (input.header === undefined) {
    return {
      state: "no-header",
      reason:
        "The message has no AWSTraceHeader: its publish was not traced, so X-Ray cannot tell which invocations consumed it.",
      ...empty,
    };
  }
  const header = parseTraceHeader(input.header);
  if (!header) {
    const shown = input.header.length > 100 ? `${input.header.slice(0, 99)}…` : input.header;
    return {
      state: "unreadable-header",
      reason: `The message's AWSTraceHeader ${JSON.stringify(shown)} is not an X-Ray trace header (Root=1-…;Parent=…;Sampled=…).`,
      ...empty,
    };
  }
  const root = header.root;
  if (header.sampled === false) {
    return {
      state: "not-sampled",
      reason: "The publish was not sampled (Sampled=0): X-Ray recorded no trace of this message.",
      traceId: root,
      ...empty,
    };
  }
  // A valid root always carries its start time ("Segment fields" → "Trace ID format").
  const started = traceIdTime(root)?.getTime() ?? input.now;
  const days = input.retentionDays ?? DEFAULT_RETENTION_DAYS;
  if (started < input.now - days * DAY_MS) {
    const age = Math.floor((input.now - started) / DAY_MS);
    const where = input.transactionSearch
      ? ` This account uses CloudWatch Transaction Search: the spans may still be in the ` +
        `aws/spans log group, for as long as its retention setting keeps them; search them there.`
      : "";
    return {
      state: "not-retained",
      reason:
        `X-Ray keeps traces ${plural(days, "day")} and the trace started on ` +
        `${iso(started)} (${plural(age, "day")} ago): it is no longer available.${where}`,
      traceId: root,
      ...empty,
    };
  }

  const traces = distinct(input.traces);
  const producerTrace = traces.find((t) => t.id === root);
  const invocations: Invocation[] = [];
  for (const t of traces) {
    if (t.id === root) continue;
    // Any link to the root trace counts: a producer may have several segments, not only Parent.
    const links = linksTo(t, root);
    const invocation = links ? invocationOf(t, links, input.messageId) : undefined;
    if (invocation) invocations.push(invocation);
  }
  invocations.sort(byFailureThenStart);
  const consumers = input.consumers ? new Set(input.consumers) : undefined;
  // Other copies of the publish: whether they failed on "this message" does not apply to them.
  const otherDeliveries = consumers
    ? invocations
        .filter((i) => !consumers.has(i.functionName))
        .map(({ thisMessage: _, ...other }) => other)
        .sort(byFailureThenStart)
    : [];
  const own = consumers ? invocations.filter((i) => consumers.has(i.functionName)) : invocations;

  const producer = producerTrace ? producerOf(producerTrace, header.parent) : { traceId: root, found: false };
  const failedAttempts = own.filter((i) => i.failed).length;
  const story = {
    traceId: root,
    producer,
    invocations: own,
    otherDeliveries,
    attempts: own.length,
    failedAttempts,
    scanned,
  };
  if (!producerTrace && invocations.length === 0)
    return { state: "not-found", reason: notFoundReason(root, started, input), ...story };
  const reason =
    consumers && own.length === 0 && otherDeliveries.length > 0
      ? `No invocation of ${[...consumers].sort().join(", ")} linked to this publish was found in ` +
        `${scanText(scanned)}; ${plural(otherDeliveries.length, "invocation")} of other subscribers' ` +
        `consumers were.${scanned.complete ? "" : CAPPED}${input.transactionSearch ? SAMPLED_SCAN : ""}`
      : foundReason(own, producer, scanned, input.transactionSearch === true);
  return { state: "found", reason, ...story };
}
