import type { Span, Trace, TraceException, TraceStatus } from "./model";
import { allSpans } from "./parse";

/** What a span is about: the topic, queue or function its AWS data or origin names. */
export interface ResourceRef {
  kind: "topic" | "queue" | "function";
  name: string;
  arn?: string;
}

const STATUS_RANK: Record<TraceStatus, number> = { ok: 0, error: 1, throttle: 2, fault: 3 };

/**
 * "Errors and exceptions": fault for 5XX (the service's own failure), throttle for 429 (also an
 * error), error for other 4XX. One word per span, the worst flag it carries.
 */
export function statusOf(span: Pick<Span, "error" | "fault" | "throttle">): TraceStatus {
  return span.fault ? "fault" : span.throttle ? "throttle" : span.error ? "error" : "ok";
}

export function worstStatus(statuses: Iterable<TraceStatus>): TraceStatus {
  let worst: TraceStatus = "ok";
  for (const s of statuses) if (STATUS_RANK[s] > STATUS_RANK[worst]) worst = s;
  return worst;
}

/** Milliseconds from start to end; null while in progress. */
export function durationMs(span: Pick<Span, "start" | "end">): number | null {
  return span.end === undefined ? null : Math.max(0, Math.round((span.end - span.start) * 1000));
}

/**
 * A topic, queue or function ARN as a resource; other ARNs are none of these.
 * `arn:<partition>:sns|sqs:<region>:<account>:<name>`, `arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]`;
 * the qualifier is dropped, so the versions of one function are one resource.
 */
export function resourceOfArn(arn: string): ResourceRef | undefined {
  const parts = arn.split(":");
  if (parts[0] !== "arn" || parts.length < 6) return undefined;
  const [, , service, , , resource, fn] = parts;
  if ((service === "sns" || service === "sqs") && parts.length === 6 && resource)
    return { kind: service === "sns" ? "topic" : "queue", name: resource, arn };
  if (service === "lambda" && resource === "function" && fn)
    return { kind: "function", name: fn, arn: parts.slice(0, 7).join(":") };
  return undefined;
}

/** https://sqs.<region>.amazonaws.com/<account>/<name> → name and ARN (the URL may be any host, e.g. a local endpoint). */
function queueFromUrl(url: string, region?: string): ResourceRef | undefined {
  let path: string[];
  try {
    path = new URL(url).pathname.split("/").filter(Boolean);
  } catch {
    return undefined;
  }
  const [account, name] = path.slice(-2);
  if (!name) return undefined;
  const host = /^sqs\.([a-z0-9-]+)\./.exec(new URL(url).hostname)?.[1];
  const r = region ?? host;
  return {
    kind: "queue",
    name,
    ...(account && /^\d{12}$/.test(account) && r ? { arn: `arn:aws:sqs:${r}:${account}:${name}` } : {}),
  };
}

/**
 * The resource a span names: an SNS topic (`aws.topic_arn`), an SQS queue (`aws.queue_url`), or a
 * Lambda function (`aws.function_arn`, or a segment of origin AWS::Lambda / AWS::Lambda::Function,
 * named after the function, "AWS resource data" and Lambda's "Using AWS Lambda with AWS X-Ray").
 */
export function resourceOf(span: Span): ResourceRef | undefined {
  const aws = span.aws;
  if (aws?.topicArn) return resourceOfArn(aws.topicArn) ?? { kind: "topic", name: aws.topicArn };
  if (aws?.queueUrl) return queueFromUrl(aws.queueUrl, aws.region);
  const functionArn = aws?.functionArn ?? (span.origin?.startsWith("AWS::Lambda") ? span.resourceArn : undefined);
  const fn = functionArn ? resourceOfArn(functionArn) : undefined;
  if (fn) return fn;
  if (span.origin === "AWS::Lambda" || span.origin === "AWS::Lambda::Function")
    return { kind: "function", name: span.name };
  return undefined;
}

/** Every exception recorded in a trace, by id, to resolve causes given as an exception id. */
export function exceptionsById(trace: Trace): Map<string, TraceException> {
  const byId = new Map<string, TraceException>();
  for (const span of allSpans(trace)) for (const e of span.cause?.exceptions ?? []) if (e.id) byId.set(e.id, e);
  return byId;
}

/** A span's exceptions, a cause given by reference looked up in the trace. */
export function exceptionsOf(span: Span, byId: Map<string, TraceException>): TraceException[] {
  if (!span.cause) return [];
  if (span.cause.exceptions.length > 0) return span.cause.exceptions;
  const ref = span.cause.exceptionRef ? byId.get(span.cause.exceptionRef) : undefined;
  return ref ? [ref] : [];
}
