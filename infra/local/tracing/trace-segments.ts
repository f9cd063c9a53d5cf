/**
 * Builders for AWS X-Ray segment documents, so that the traces the local run produces (moto stores
 * segments but nothing emits them locally) have the shape AWS gives them. Pure: ids come from an
 * injected random source and every time is passed in; nothing here reads a clock or does I/O.
 *
 * Sources:
 *
 * - X-Ray Developer Guide, "AWS X-Ray segment documents": "Segment fields" (name, id, trace_id,
 *   start_time, end_time, in_progress, origin, parent_id), "Subsegments" (namespace `aws` for AWS
 *   SDK calls), "HTTP request data", "AWS resource data" (operation, region, request_id …) and
 *   "Errors and exceptions" (error / throttle / fault, cause, exception, stackFrame).
 * - X-Ray Developer Guide, "AWS X-Ray concepts" → "Tracing header" (Root=…;Parent=…;Sampled=…).
 * - X-Ray Developer Guide, "Amazon SQS and AWS X-Ray": the trace header travels on a message as
 *   its AWSTraceHeader system attribute.
 * - X-Ray Developer Guide, "Tracing event-driven applications": traces of SQS message producers
 *   are linked to the traces of the Lambda functions that consume them; each segment can be linked
 *   to at most 20 traces.
 * - Lambda Developer Guide, "Visualize Lambda function invocations using AWS X-Ray": for each
 *   traced invocation Lambda emits an `AWS::Lambda` service segment and an `AWS::Lambda::Function`
 *   function segment with Initialization (cold starts) and Invocation subsegments.
 *
 * The link shape is not in the segment-document guide. This module uses the one X-Ray returns
 * from BatchGetTraces for linked traces, as public X-Ray trace readers model it:
 * `links: [{ trace_id, id, attributes: { "aws.xray.reserved.reference_type": "parent" } }]`, where
 * `id` is the producer's segment (here: subsegment) id from the message's trace header.
 *
 * Times given to the builders are epoch milliseconds (as Date.now() gives them); documents carry
 * epoch seconds with millisecond fractions, X-Ray's format. Finished documents always have an
 * end_time and never `in_progress`.
 */

import { isTraceId, parseTraceHeader, traceHeader } from "../../../lib/domain/traces/header";

export {
  isSegmentId,
  isTraceId,
  parseTraceHeader,
  traceHeader,
  type ParsedTraceHeader,
} from "../../../lib/domain/traces/header";

/** A random source returning numbers in [0, 1), like Math.random. */
export type Rand = () => number;

export interface StackFrame {
  path?: string;
  line?: number;
  label?: string;
}

export interface XRayException {
  id: string;
  message?: string;
  type?: string;
  remote?: boolean;
  /** Stack frames omitted from `stack`. */
  truncated?: number;
  stack?: StackFrame[];
}

export interface XRayCause {
  working_directory: string;
  paths?: string[];
  exceptions: XRayException[];
}

export interface XRayHttp {
  request?: { method?: string; url?: string; user_agent?: string; client_ip?: string; traced?: boolean };
  response?: { status?: number; content_length?: number };
}

/** A link from this segment to a segment of another trace ("Tracing event-driven applications"). */
export interface SegmentLink {
  trace_id: string;
  id: string;
  attributes: { "aws.xray.reserved.reference_type": "parent" | "child" };
}

type AwsBlock = Record<string, string | number | boolean | string[]>;

interface ErrorFlags {
  error?: boolean;
  throttle?: boolean;
  fault?: boolean;
  /** An object, or the 16-digit id of an exception recorded elsewhere in the trace. */
  cause?: XRayCause | string;
}

export interface Subsegment extends ErrorFlags {
  id: string;
  name: string;
  start_time: number;
  end_time: number;
  namespace?: "aws" | "remote";
  http?: XRayHttp;
  aws?: AwsBlock;
  annotations?: Record<string, string | number | boolean>;
  metadata?: Record<string, Record<string, unknown>>;
  subsegments?: Subsegment[];
}

export interface SegmentDocument extends ErrorFlags {
  id: string;
  trace_id: string;
  name: string;
  start_time: number;
  end_time: number;
  parent_id?: string;
  origin?: string;
  resource_arn?: string;
  http?: XRayHttp;
  aws?: AwsBlock;
  annotations?: Record<string, string | number | boolean>;
  metadata?: Record<string, Record<string, unknown>>;
  subsegments?: Subsegment[];
  links?: SegmentLink[];
}

// --- Ids --------------------------------------------------------------------------------------------

function hexDigits(rand: Rand, count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) {
    const r = rand();
    if (!(r >= 0 && r < 1)) throw new RangeError(`rand must return numbers in [0, 1), got ${r}`);
    out += Math.floor(r * 16).toString(16);
  }
  return out;
}

/**
 * `1-<8 hex digits: epoch seconds of the original request>-<24 hex digits: random>`
 * ("Segment fields" → "Trace ID format").
 */
export function newTraceId(epochSeconds: number, rand: Rand): string {
  const seconds = Math.floor(epochSeconds);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 0xffffffff) {
    throw new RangeError(`a trace id needs epoch seconds that fit 8 hex digits, got ${epochSeconds}`);
  }
  return `1-${seconds.toString(16).padStart(8, "0")}-${hexDigits(rand, 24)}`;
}

/** A 64-bit id in 16 hex digits, as segments, subsegments and exceptions use. */
export function newSegmentId(rand: Rand): string {
  return hexDigits(rand, 16);
}

/** A version-4-shaped UUID for Lambda request ids. */
function newRequestId(rand: Rand): string {
  const h = hexDigits(rand, 30);
  const variant = "89ab"[Math.floor(rand() * 4)] ?? "8";
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(12, 15)}-${variant}${h.slice(15, 18)}-${h.slice(18, 30)}`;
}

// --- Times and errors -------------------------------------------------------------------------------

/** Epoch ms → X-Ray's epoch seconds with millisecond fractions. */
function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}

function checkSpan(what: string, start: number, end: number): void {
  // Epoch seconds passed by mistake would land in 1970; refuse them rather than emit them.
  for (const [name, t] of [
    ["start", start],
    ["end", end],
  ] as const) {
    if (!Number.isFinite(t) || t < 1e11) throw new RangeError(`${what}: ${name} must be epoch milliseconds, got ${t}`);
  }
  if (end < start) throw new RangeError(`${what}: end (${end}) is before start (${start})`);
}

const clamp = (t: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, t));

export interface ErrorInput {
  message: string;
  type: string;
  /** Frames as V8 prints them ("at handler (/var/task/index.js:12:5)"), or the whole `error.stack` split into lines. */
  stack?: string[];
}

/** X-Ray's stackFrame list from V8 stack lines, paths made relative to the working directory. */
export function stackFrames(
  lines: string[],
  error: { message: string; type: string },
  workingDirectory: string,
): StackFrame[] {
  const frames: StackFrame[] = [];
  const relative = (path: string) => {
    const plain = path.replace(/^file:\/\//, "");
    const prefix = workingDirectory.endsWith("/") ? workingDirectory : `${workingDirectory}/`;
    return plain.startsWith(prefix) ? plain.slice(prefix.length) : plain;
  };
  for (const raw of lines) {
    const line = raw.trim();
    if (line === "") continue;
    if (!line.startsWith("at ")) {
      // The header V8 puts first ("TypeError: boom") is not a frame.
      if (line === error.type || line.startsWith(`${error.type}:`) || line === error.message) continue;
      frames.push({ label: line });
      continue;
    }
    const body = line.slice(3).replace(/^async\s+/, "");
    const withLabel = /^(.*?)\s+\((.+):(\d+):\d+\)$/.exec(body);
    const bare = /^(.+):(\d+):\d+$/.exec(body);
    if (withLabel)
      frames.push({ path: relative(withLabel[2] ?? ""), line: Number(withLabel[3]), label: withLabel[1] ?? "" });
    else if (bare) frames.push({ path: relative(bare[1] ?? ""), line: Number(bare[2]) });
    else frames.push({ label: body });
  }
  return frames;
}

/** Frames kept per exception; X-Ray documents are limited to 64 kB, `truncated` counts the rest. */
export const MAX_STACK_FRAMES = 50;

function causeOf(error: ErrorInput, rand: Rand, workingDirectory: string, remote: boolean): XRayCause {
  const exception: XRayException = { id: newSegmentId(rand), message: error.message, type: error.type };
  if (remote) exception.remote = true;
  if (error.stack) {
    const frames = stackFrames(error.stack, error, workingDirectory);
    exception.stack = frames.slice(0, MAX_STACK_FRAMES);
    if (frames.length > MAX_STACK_FRAMES) exception.truncated = frames.length - MAX_STACK_FRAMES;
  }
  return { working_directory: workingDirectory, exceptions: [exception] };
}

/** "Errors and exceptions": error for 4XX, throttle (and error) for 429, fault for 5XX. */
function flagsForStatus(status: number): Pick<ErrorFlags, "error" | "throttle" | "fault"> {
  if (status === 429) return { error: true, throttle: true };
  if (status >= 400 && status < 500) return { error: true };
  if (status >= 500) return { fault: true };
  return {};
}

// --- Producer: an application publishing to SNS ----------------------------------------------------

export interface ProducerTraceInput {
  traceId: string;
  rand: Rand;
  /** The producing application's name, the segment's name (e.g. "storefront"). */
  service: string;
  /** The application's work, epoch ms. */
  start: number;
  end: number;
  topicArn: string;
  region: string;
  operation?: "Publish" | "PublishBatch";
  /** The SNS call inside the work, epoch ms; defaults to the whole span, and is kept inside it. */
  publishStart?: number;
  publishEnd?: number;
  messageId?: string;
  requestId?: string;
  /** The publish failed; status is the HTTP status SNS answered (default 500). */
  error?: ErrorInput & { status?: number };
  workingDirectory?: string;
  /** Annotations the application adds to its segment ("Segment fields" → annotations: indexed for filter expressions). */
  annotations?: Record<string, string | number | boolean>;
}

export interface ProducerTrace {
  segments: SegmentDocument[];
  /** The trace header that travels on the message: Root=<traceId>;Parent=<SNS subsegment id>;Sampled=1. */
  header: string;
}

/**
 * The segments an application instrumented with the X-Ray SDK sends when it publishes to SNS: a
 * segment named after the application (no `origin`: a plain application, not an AWS resource
 * type the guide lists) holding an `aws`-namespace subsegment for the SNS call. The returned header
 * names the SNS subsegment as parent, as the SDK does for the downstream call it instruments.
 *
 * On error the SNS subsegment carries the flags for SNS's status and a cause whose exception is
 * `remote` (returned by a downstream service); the application segment is marked `fault` (its own
 * work failed) with its own exception record.
 */
export function producerTrace(input: ProducerTraceInput): ProducerTrace {
  const { traceId, rand } = input;
  if (!isTraceId(traceId)) throw new RangeError(`not an X-Ray trace id: ${traceId}`);
  checkSpan(`producer ${input.service}`, input.start, input.end);
  const workingDirectory = input.workingDirectory ?? "/";
  const callStart = clamp(input.publishStart ?? input.start, input.start, input.end);
  const callEnd = clamp(input.publishEnd ?? input.end, callStart, input.end);

  const status = input.error ? (input.error.status ?? 500) : 200;
  const aws: AwsBlock = { operation: input.operation ?? "Publish", region: input.region, topic_arn: input.topicArn };
  if (input.requestId !== undefined) aws.request_id = input.requestId;
  if (input.messageId !== undefined) aws.message_id = input.messageId;

  const sns: Subsegment = {
    id: newSegmentId(rand),
    name: "SNS",
    start_time: seconds(callStart),
    end_time: seconds(callEnd),
    namespace: "aws",
    http: { response: { status } },
    aws,
  };
  const segment: SegmentDocument = {
    id: newSegmentId(rand),
    trace_id: traceId,
    name: input.service,
    start_time: seconds(input.start),
    end_time: seconds(input.end),
    subsegments: [sns],
    ...(input.annotations ? { annotations: input.annotations } : {}),
  };
  if (input.error) {
    Object.assign(sns, flagsForStatus(status), { cause: causeOf(input.error, rand, workingDirectory, true) });
    Object.assign(segment, { fault: true, cause: causeOf(input.error, rand, workingDirectory, false) });
  }
  return { segments: [segment], header: traceHeader({ traceId, parentId: sns.id, sampled: true }) };
}

// --- Consumer: a Lambda function invoked with an SQS batch -----------------------------------------

/** "Each trace segment can be linked to up to 20 traces" ("Tracing event-driven applications"). */
export const MAX_LINKS_PER_SEGMENT = 20;

export interface RecordFailure {
  messageId: string;
  /** When the handler gave up on the record, epoch ms. */
  at: number;
  error: ErrorInput;
}

export interface ConsumerTraceInput {
  /** The invocation's own trace: a batch consumer starts a new trace and links to the producers'. */
  traceId: string;
  rand: Rand;
  functionName: string;
  functionArn: string;
  region: string;
  /** The invocation, epoch ms. */
  start: number;
  end: number;
  /** The AWSTraceHeader of each message in the batch (undefined for a message without one). */
  linkedTraceHeaders: Array<string | undefined>;
  requestId?: string;
  /** The handler threw: a function error, recorded as a fault. */
  error?: ErrorInput;
  /** The handler reported this many batchItemFailures: not an error for Lambda. */
  batchItemFailures?: number;
  /**
   * Records the handler caught an error for (and reported as batch item failures), each recorded
   * as a subsegment of Invocation annotated with the SQS message id, the error as its cause.
   */
  recordFailures?: RecordFailure[];
  coldStart?: boolean;
  /** Length of the Initialization subsegment on a cold start; 0 (unknown) by default. */
  initDurationMs?: number;
  /** Lambda's working directory, /var/task. */
  workingDirectory?: string;
}

/**
 * Links from the consumer to each producer trace: one per distinct sampled header with a Parent,
 * at most {@link MAX_LINKS_PER_SEGMENT}. A header with Sampled=0 names a trace that was never
 * recorded, and one without Parent names no segment to link to; both are skipped, as are
 * unreadable ones.
 */
export function linksFromHeaders(headers: Array<string | undefined>): SegmentLink[] {
  const links: SegmentLink[] = [];
  const seen = new Set<string>();
  for (const text of headers) {
    const parsed = text === undefined ? undefined : parseTraceHeader(text);
    if (!parsed || parsed.sampled === false || parsed.parent === undefined) continue;
    const key = `${parsed.root}/${parsed.parent}`;
    if (seen.has(key)) continue;
    seen.add(key);
    links.push({
      trace_id: parsed.root,
      id: parsed.parent,
      attributes: { "aws.xray.reserved.reference_type": "parent" },
    });
    if (links.length === MAX_LINKS_PER_SEGMENT) break;
  }
  return links;
}

/**
 * The segments Lambda emits for one traced invocation from an SQS event source mapping:
 *
 * - the `AWS::Lambda` service segment (origin `AWS::Lambda`, named after the function,
 *   `aws.request_id`, the Invoke's HTTP status, and `links` to the producer traces);
 * - the `AWS::Lambda::Function` function segment, its child through `parent_id`, with an
 *   `Initialization` subsegment on a cold start and an `Invocation` subsegment.
 *
 * A thrown handler error sets `fault` on both segments and on Invocation, with the exception as
 * `cause` on Invocation and on the function segment (each its own exception id, ids being unique
 * in a trace). The service segment's HTTP status stays 200: Invoke itself succeeded and reported a
 * function error. A batch with partial failures (batchItemFailures) is a successful invocation: no
 * flags; the count is kept in the Invocation subsegment's metadata.
 */
export function consumerTrace(input: ConsumerTraceInput): SegmentDocument[] {
  const { traceId, rand } = input;
  if (!isTraceId(traceId)) throw new RangeError(`not an X-Ray trace id: ${traceId}`);
  checkSpan(`consumer ${input.functionName}`, input.start, input.end);
  const workingDirectory = input.workingDirectory ?? "/var/task";
  const accountId = input.functionArn.split(":")[4];

  const serviceAws: AwsBlock = { request_id: input.requestId ?? newRequestId(rand), region: input.region };
  const service: SegmentDocument = {
    id: newSegmentId(rand),
    trace_id: traceId,
    name: input.functionName,
    start_time: seconds(input.start),
    end_time: seconds(input.end),
    origin: "AWS::Lambda",
    resource_arn: input.functionArn,
    http: { response: { status: 200 } },
    aws: serviceAws,
  };
  const links = linksFromHeaders(input.linkedTraceHeaders);
  if (links.length > 0) service.links = links;

  const subsegments: Subsegment[] = [];
  let invocationStart = input.start;
  if (input.coldStart) {
    invocationStart = clamp(input.start + Math.max(0, input.initDurationMs ?? 0), input.start, input.end);
    subsegments.push({
      id: newSegmentId(rand),
      name: "Initialization",
      start_time: seconds(input.start),
      end_time: seconds(invocationStart),
    });
  }
  const invocation: Subsegment = {
    id: newSegmentId(rand),
    name: "Invocation",
    start_time: seconds(invocationStart),
    end_time: seconds(input.end),
  };
  if (input.batchItemFailures !== undefined) {
    invocation.metadata = {
      batch: { size: input.linkedTraceHeaders.length, batch_item_failures: input.batchItemFailures },
    };
  }
  // As a handler instrumented per record does it (a subsegment per record, the caught error added
  // to it): fault, because the function's own code failed ("Errors and exceptions").
  const records = (input.recordFailures ?? []).map((f): Subsegment => {
    const at = clamp(f.at, invocationStart, input.end);
    return {
      id: newSegmentId(rand),
      name: "process record",
      start_time: seconds(at),
      end_time: seconds(at),
      fault: true,
      cause: causeOf(f.error, rand, workingDirectory, false),
      annotations: { message_id: f.messageId },
    };
  });
  if (records.length > 0) invocation.subsegments = records;
  subsegments.push(invocation);

  const functionAws: AwsBlock = { function_arn: input.functionArn, resource_names: [input.functionName] };
  if (accountId) functionAws.account_id = accountId;
  const fn: SegmentDocument = {
    id: newSegmentId(rand),
    trace_id: traceId,
    name: input.functionName,
    start_time: seconds(input.start),
    end_time: seconds(input.end),
    parent_id: service.id,
    origin: "AWS::Lambda::Function",
    resource_arn: input.functionArn,
    aws: functionAws,
    subsegments,
  };

  if (input.error) {
    invocation.fault = true;
    invocation.cause = causeOf(input.error, rand, workingDirectory, false);
    fn.fault = true;
    fn.cause = causeOf(input.error, rand, workingDirectory, false);
    service.fault = true;
  }
  return [service, fn];
}
