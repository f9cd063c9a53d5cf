/**
 * The X-Ray trace header, as it travels in X-Amzn-Trace-Id and in an SQS message's AWSTraceHeader
 * system attribute (X-Ray Developer Guide, "AWS X-Ray concepts" → "Tracing header"; "Amazon SQS
 * and AWS X-Ray").
 */

const TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/i;
const SEGMENT_ID = /^[0-9a-f]{16}$/i;

export function isTraceId(text: string): boolean {
  return TRACE_ID.test(text);
}

export function isSegmentId(text: string): boolean {
  return SEGMENT_ID.test(text);
}

/** `Root=<trace id>;Parent=<segment or subsegment id>;Sampled=1|0` ("AWS X-Ray concepts" → "Tracing header"). */
export function traceHeader(fields: { traceId: string; parentId?: string; sampled: boolean }): string {
  if (!isTraceId(fields.traceId)) throw new RangeError(`not an X-Ray trace id: ${fields.traceId}`);
  if (fields.parentId !== undefined && !isSegmentId(fields.parentId))
    throw new RangeError(`not an X-Ray segment id: ${fields.parentId}`);
  const parent = fields.parentId === undefined ? "" : `;Parent=${fields.parentId}`;
  return `Root=${fields.traceId}${parent};Sampled=${fields.sampled ? 1 : 0}`;
}

export interface ParsedTraceHeader {
  root: string;
  parent?: string;
  /** Absent when the header carries no decision, or "?" (decision requested). */
  sampled?: boolean;
}

/**
 * Reads a trace header, as sent in X-Amzn-Trace-Id or AWSTraceHeader. Keys are matched without
 * regard to case, surrounding whitespace is ignored, and other keys (Self, Lineage …) are skipped.
 * Returns undefined for anything that is not a header: no Root, a malformed Root or Parent, a
 * Sampled other than 1, 0 or ?, or a part that is not key=value.
 */
export function parseTraceHeader(text: string): ParsedTraceHeader | undefined {
  let root: string | undefined;
  let parent: string | undefined;
  let sampled: boolean | undefined;
  for (const raw of text.split(";")) {
    const part = raw.trim();
    if (part === "") continue;
    const eq = part.indexOf("=");
    if (eq <= 0) return undefined;
    const key = part.slice(0, eq).trim().toLowerCase();
    const value = part.slice(eq + 1).trim();
    if (key === "root") {
      if (!isTraceId(value)) return undefined;
      root = value;
    } else if (key === "parent") {
      if (!isSegmentId(value)) return undefined;
      parent = value;
    } else if (key === "sampled") {
      if (value === "1") sampled = true;
      else if (value === "0") sampled = false;
      else if (value !== "?") return undefined;
    }
  }
  if (root === undefined) return undefined;
  return { root, ...(parent === undefined ? {} : { parent }), ...(sampled === undefined ? {} : { sampled }) };
}

/**
 * The console page of a message's story, from the trace its header names (root relative, to be
 * scoped): the DLQ and the message id let the page find its attempts. Undefined without a readable header.
 */
export function messageTraceHref(queue: string, messageId: string, header?: string): string | undefined {
  const root = header ? parseTraceHeader(header)?.root : undefined;
  return root && header
    ? `/traces/${encodeURIComponent(root)}?${new URLSearchParams({ header, dlq: queue, message: messageId })}`
    : undefined;
}

/** When a trace started, from its id ("Segment fields" → "Trace ID format": epoch seconds in hex). */
export function traceIdTime(traceId: string): Date | undefined {
  if (!isTraceId(traceId)) return undefined;
  return new Date(parseInt(traceId.slice(2, 10), 16) * 1000);
}
