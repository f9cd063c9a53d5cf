import type { AwsResourceData, SegmentLink, Span, StackFrame, Trace, TraceCause, TraceException } from "./model";
import { isRecord } from "../is-record";

/**
 * Reads segment documents ("AWS X-Ray segment documents") into spans. Documents come from whoever
 * called PutTraceSegments, so every field is checked: a wrong type is dropped, not trusted, and a
 * document without id, name or start time is counted as unreadable. Subsegments deeper than
 * {@link MAX_DEPTH} are cut off, so a hostile document cannot exhaust the stack.
 */

export const MAX_DEPTH = 64;

type Json = Record<string, unknown>;

const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const positive = (v: unknown): number | undefined => {
  const n = num(v);
  return n !== undefined && n > 0 ? n : undefined;
};

/** The fields that have a value: a parsed span carries no key that is present but undefined. */
function definedFields<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function frames(v: unknown): StackFrame[] {
  return list(v)
    .filter(isRecord)
    .map((f): StackFrame => definedFields({ path: text(f.path), line: num(f.line), label: text(f.label) }));
}

function exception(e: Json): TraceException {
  return {
    remote: e.remote === true,
    stack: frames(e.stack),
    ...definedFields({
      id: text(e.id),
      type: text(e.type),
      message: text(e.message),
      truncated: positive(e.truncated),
    }),
  };
}

/** "Errors and exceptions": a cause is an object with exceptions, or the id of an exception recorded elsewhere. */
function cause(v: unknown): TraceCause | undefined {
  if (typeof v === "string" && v !== "") return { exceptions: [], exceptionRef: v };
  if (!isRecord(v)) return undefined;
  return {
    exceptions: list(v.exceptions).filter(isRecord).map(exception),
    ...definedFields({ workingDirectory: text(v.working_directory) }),
  };
}

const AWS_FIELDS: Record<string, keyof Omit<AwsResourceData, "other">> = {
  operation: "operation",
  region: "region",
  request_id: "requestId",
  queue_url: "queueUrl",
  topic_arn: "topicArn",
  function_arn: "functionArn",
  message_id: "messageId",
  account_id: "accountId",
};

function awsData(v: unknown): AwsResourceData | undefined {
  if (!isRecord(v)) return undefined;
  const out: AwsResourceData = { other: {} };
  for (const [key, value] of Object.entries(v)) {
    const field = AWS_FIELDS[key];
    if (field && typeof value === "string") out[field] = value;
    else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
      out.other[key] = String(value);
    else if (Array.isArray(value) && value.every((x) => typeof x === "string")) out.other[key] = value.join(", ");
  }
  return out;
}

function http(v: unknown): Span["http"] {
  if (!isRecord(v)) return undefined;
  const request = isRecord(v.request) ? v.request : {};
  const response = isRecord(v.response) ? v.response : {};
  const out = definedFields({ method: text(request.method), url: text(request.url), status: num(response.status) });
  return Object.keys(out).length > 0 ? out : undefined;
}

function annotations(v: unknown): Span["annotations"] {
  const out: Span["annotations"] = {};
  if (!isRecord(v)) return out;
  for (const [key, value] of Object.entries(v)) {
    if (
      typeof value === "string" ||
      typeof value === "boolean" ||
      (typeof value === "number" && Number.isFinite(value))
    )
      out[key] = value;
  }
  return out;
}

function links(v: unknown): SegmentLink[] {
  return list(v)
    .filter(isRecord)
    .flatMap((l) => {
      const traceId = text(l.trace_id);
      const id = text(l.id);
      if (!traceId || !id) return [];
      const attributes = isRecord(l.attributes) ? l.attributes : {};
      return [{ traceId, id, referenceType: text(attributes["aws.xray.reserved.reference_type"]) ?? "parent" }];
    });
}

function span(doc: Json, traceId: string, kind: Span["kind"], depth: number): Span | undefined {
  const id = text(doc.id);
  const name = text(doc.name);
  const start = num(doc.start_time);
  if (!id || name === undefined || start === undefined) return undefined;
  const end = num(doc.end_time);
  const out: Span = {
    id,
    traceId,
    name,
    kind,
    start,
    inProgress: end === undefined || doc.in_progress === true,
    error: doc.error === true,
    fault: doc.fault === true,
    throttle: doc.throttle === true,
    annotations: annotations(doc.annotations),
    links: links(doc.links),
    children: [],
  };
  if (end !== undefined) out.end = end;
  const optional: Partial<Span> = {
    parentId: kind === "segment" ? text(doc.parent_id) : undefined,
    origin: kind === "segment" ? text(doc.origin) : undefined,
    namespace: kind === "subsegment" ? text(doc.namespace) : undefined,
    resourceArn: text(doc.resource_arn),
    cause: cause(doc.cause),
    http: http(doc.http),
    aws: awsData(doc.aws),
    metadata: isRecord(doc.metadata) ? doc.metadata : undefined,
  };
  Object.assign(out, definedFields(optional));
  if (depth < MAX_DEPTH) {
    for (const child of list(doc.subsegments)) {
      const sub = isRecord(child) ? span(child, traceId, "subsegment", depth + 1) : undefined;
      if (sub) out.children.push(sub);
    }
  }
  return out;
}

/**
 * One trace from the documents BatchGetTraces returned for it. Segments are ordered by start time
 * (then id, for a stable order); a document of another trace is refused as unreadable.
 */
export function parseTrace(traceId: string, documents: string[]): Trace {
  const segments: Span[] = [];
  let unreadable = 0;
  for (const document of documents) {
    let doc: unknown;
    try {
      doc = JSON.parse(document);
    } catch {
      unreadable++;
      continue;
    }
    const segment =
      isRecord(doc) && (doc.trace_id === undefined || doc.trace_id === traceId)
        ? span(doc, traceId, "segment", 0)
        : undefined;
    if (segment) segments.push(segment);
    else unreadable++;
  }
  segments.sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
  return { id: traceId, segments, unreadable };
}

/** Every span of a trace, depth first, each segment followed by its subsegments. */
export function* allSpans(trace: Trace): Generator<Span> {
  const stack = [...trace.segments].reverse();
  while (stack.length > 0) {
    const s = stack.pop()!;
    yield s;
    for (let i = s.children.length - 1; i >= 0; i--) stack.push(s.children[i]!);
  }
}
