/**
 * X-Ray traces as the console reads them. Segment documents are untrusted JSON (anything may send
 * PutTraceSegments), so `parse.ts` turns them into these plain, checked shapes and everything else
 * in this folder works on these alone.
 *
 * Sources: X-Ray Developer Guide, "AWS X-Ray segment documents" (segment fields, subsegments,
 * HTTP request data, AWS resource data, errors and exceptions) and "Tracing event-driven
 * applications" (links between the traces of a producer and its consumers).
 */

export interface StackFrame {
  path?: string;
  line?: number;
  label?: string;
}

export interface TraceException {
  id?: string;
  type?: string;
  message?: string;
  /** Returned by a downstream service rather than raised here. */
  remote: boolean;
  stack: StackFrame[];
  /** Frames left out of `stack` by the SDK. */
  truncated?: number;
}

export interface TraceCause {
  workingDirectory?: string;
  exceptions: TraceException[];
  /** The cause was given as the id of an exception recorded elsewhere in the trace. */
  exceptionRef?: string;
}

/** The `aws` block of a segment or subsegment, keeping the fields the console shows. */
export interface AwsResourceData {
  operation?: string;
  region?: string;
  requestId?: string;
  queueUrl?: string;
  topicArn?: string;
  functionArn?: string;
  messageId?: string;
  accountId?: string;
  /** Any other scalar fields, as text. */
  other: Record<string, string>;
}

export interface SegmentLink {
  traceId: string;
  /** The segment or subsegment of the other trace. */
  id: string;
  /** "parent": the other trace produced what this one consumed. */
  referenceType: string;
}

/** A segment or subsegment, with its subsegments as children. */
export interface Span {
  id: string;
  traceId: string;
  name: string;
  kind: "segment" | "subsegment";
  /** Segments only: the segment or subsegment that called this one, possibly in the same trace. */
  parentId?: string;
  /** Segments only: the AWS resource type, e.g. AWS::Lambda::Function. */
  origin?: string;
  /** Subsegments only: "aws" for AWS SDK calls, "remote" for other downstream calls. */
  namespace?: string;
  resourceArn?: string;
  /** Epoch seconds with fractions, as X-Ray records them. */
  start: number;
  /** Absent while in progress. */
  end?: number;
  inProgress: boolean;
  error: boolean;
  fault: boolean;
  throttle: boolean;
  cause?: TraceCause;
  http?: { method?: string; url?: string; status?: number };
  aws?: AwsResourceData;
  annotations: Record<string, string | number | boolean>;
  /** Metadata, kept as given, shown as a tree. */
  metadata?: Record<string, unknown>;
  links: SegmentLink[];
  children: Span[];
}

/** One trace: its segments (subsegments nested in them) as BatchGetTraces returned them. */
export interface Trace {
  id: string;
  segments: Span[];
  /** Documents that could not be read; the trace is shown without them and says so. */
  unreadable: number;
}

export type TraceStatus = "ok" | "error" | "throttle" | "fault";
