import type { Trace } from "./model";
import { parseTrace } from "./parse";

/**
 * Hand-made segment documents for the unit tests of this folder, in the shape X-Ray returns them
 * from BatchGetTraces ("AWS X-Ray segment documents"; Lambda's service and function segments; links
 * from a consumer to the producer trace, "Tracing event-driven applications"). Times are epoch
 * seconds from T0; ids are deterministic so a test can name them.
 */

export const T0 = 1_790_000_000; // 2026-09-21
export const REGION = "us-east-1";
export const ACCOUNT = "123456789012";
export const topicArn = (name: string) => `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;
export const fnArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
export const queueUrl = (name: string) => `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`;

/** A trace id of the form 1-<8 hex seconds>-<24 hex>, from a small number. */
export function traceId(n: number, seconds = T0): string {
  return `1-${seconds.toString(16).padStart(8, "0")}-${n.toString(16).padStart(24, "0")}`;
}

/** A 16-hex-digit segment id from a tag and a number, e.g. id("a", 1) = "a000000000000001". */
export function id(tag: string, n: number): string {
  return `${tag}${n.toString(16).padStart(16 - tag.length, "0")}`;
}

type Doc = Record<string, unknown>;

export interface Producer {
  trace: string;
  snsId: string;
  header: string;
  documents: string[];
}

/** An application ("storefront") publishing to a topic: one segment with an SNS subsegment. */
export function producer(n: number, at: number, options: { topic?: string; fault?: boolean } = {}): Producer {
  const trace = traceId(n, Math.floor(at));
  const snsId = id("5", n);
  const segment: Doc = {
    id: id("a", n),
    trace_id: trace,
    name: "storefront",
    start_time: at,
    end_time: at + 0.05,
    subsegments: [
      {
        id: snsId,
        name: "SNS",
        namespace: "aws",
        start_time: at + 0.01,
        end_time: at + 0.04,
        http: { response: { status: options.fault ? 500 : 200 } },
        aws: {
          operation: "Publish",
          region: REGION,
          topic_arn: topicArn(options.topic ?? "orders"),
          message_id: `msg-${n}`,
        },
        ...(options.fault
          ? {
              fault: true,
              cause: {
                working_directory: "/app",
                exceptions: [{ id: id("e", n), type: "InternalError", message: "SNS failed", remote: true }],
              },
            }
          : {}),
      },
    ],
    ...(options.fault ? { fault: true } : {}),
  };
  return { trace, snsId, header: `Root=${trace};Parent=${snsId};Sampled=1`, documents: [JSON.stringify(segment)] };
}

export interface ConsumerOptions {
  /** Producer traces of the messages in the batch. */
  links: Producer[];
  /** The handler threw this. */
  error?: { type: string; message: string; stack?: Array<{ path: string; line: number; label: string }> };
  batchItemFailures?: number;
  coldStart?: boolean;
  durationS?: number;
  /** An SQS SendMessage the function makes, to a queue of this name. */
  sendsTo?: string;
  /** Records the handler failed on, each a faulted subsegment annotated with its message id. */
  recordFailures?: Array<{ messageId: string; type: string; message: string }>;
}

/** One traced Lambda invocation from an SQS event source: service segment, function segment, Invocation. */
export function consumer(
  n: number,
  fn: string,
  at: number,
  options: ConsumerOptions,
): { trace: string; documents: string[] } {
  const trace = traceId(n, Math.floor(at));
  const end = at + (options.durationS ?? 0.2);
  const serviceId = id("b", n);
  const cause = options.error
    ? (tag: string) => ({
        working_directory: "/var/task",
        exceptions: [
          {
            id: id(tag, n),
            type: options.error!.type,
            message: options.error!.message,
            stack: options.error!.stack ?? [],
          },
        ],
      })
    : undefined;
  const subsegments: Doc[] = [];
  let invocationStart = at;
  if (options.coldStart) {
    invocationStart = at + 0.1;
    subsegments.push({ id: id("c", n), name: "Initialization", start_time: at, end_time: invocationStart });
  }
  const invocation: Doc = { id: id("d", n), name: "Invocation", start_time: invocationStart, end_time: end };
  if (options.batchItemFailures !== undefined)
    invocation.metadata = { batch: { size: options.links.length, batch_item_failures: options.batchItemFailures } };
  if (cause) Object.assign(invocation, { fault: true, cause: cause("f") });
  if (options.recordFailures) {
    invocation.subsegments = options.recordFailures.map((f, i) => ({
      id: id("8", n * 16 + i),
      name: "process record",
      start_time: invocationStart + 0.01,
      end_time: invocationStart + 0.01,
      fault: true,
      annotations: { message_id: f.messageId },
      cause: {
        working_directory: "/var/task",
        exceptions: [{ id: id("6", n * 16 + i), type: f.type, message: f.message }],
      },
    }));
  }
  if (options.sendsTo) {
    invocation.subsegments = [
      {
        id: id("9", n),
        name: "SQS",
        namespace: "aws",
        start_time: invocationStart + 0.01,
        end_time: invocationStart + 0.03,
        http: { response: { status: 200 } },
        aws: { operation: "SendMessage", region: REGION, queue_url: queueUrl(options.sendsTo) },
      },
    ];
  }
  subsegments.push(invocation);
  const service: Doc = {
    id: serviceId,
    trace_id: trace,
    name: fn,
    start_time: at,
    end_time: end,
    origin: "AWS::Lambda",
    resource_arn: fnArn(fn),
    http: { response: { status: 200 } },
    aws: { request_id: `req-${n}`, region: REGION },
    links: options.links.map((p) => ({
      trace_id: p.trace,
      id: p.snsId,
      attributes: { "aws.xray.reserved.reference_type": "parent" },
    })),
    ...(options.error ? { fault: true } : {}),
  };
  const fnSegment: Doc = {
    id: id("f", n + 0x1000),
    trace_id: trace,
    name: fn,
    start_time: at,
    end_time: end,
    parent_id: serviceId,
    origin: "AWS::Lambda::Function",
    resource_arn: fnArn(fn),
    aws: { function_arn: fnArn(fn), resource_names: [fn], account_id: ACCOUNT },
    subsegments,
    ...(cause ? { fault: true, cause: cause("7") } : {}),
  };
  return { trace, documents: [JSON.stringify(service), JSON.stringify(fnSegment)] };
}

export const parse = (t: { trace: string; documents: string[] }): Trace => parseTrace(t.trace, t.documents);

const STACK = [
  { path: "billing/index.js", line: 42, label: "charge" },
  { path: "billing/index.js", line: 12, label: "handler" },
];

/** One order published and fanned out to three functions; billing faults, shipping sends to a queue. */
export function fanOutToThreeQueues() {
  const published = producer(1, T0);
  const inventory = consumer(11, "inventory", T0 + 1, { links: [published], batchItemFailures: 0 });
  const billing = consumer(12, "billing", T0 + 1.2, {
    links: [published],
    error: { type: "PaymentDeclined", message: "card 4242 declined", stack: STACK },
  });
  const shipping = consumer(13, "shipping", T0 + 1.4, {
    links: [published],
    sendsTo: "shipping-events",
    coldStart: true,
  });
  return { published, inventory, billing, shipping, traces: [published, inventory, billing, shipping].map(parse) };
}

/** A poison message received three times, each invocation linked to its producer and failing. */
export function retriedMessage() {
  const published = producer(2, T0);
  const attempts = [0, 1, 2].map((i) =>
    consumer(21 + i, "billing", T0 + 1 + i * 30, {
      links: [published],
      error: { type: "TypeError", message: `attempt ${i + 1}: amount is undefined`, stack: STACK },
    }),
  );
  return { published, attempts, traces: [published, ...attempts].map(parse) };
}

/** Ten orders consumed by one invocation, which reports one of them as a batch item failure. */
export function batchOfTen() {
  const published = Array.from({ length: 10 }, (_, i) => producer(100 + i, T0 + i * 0.1));
  const invocation = consumer(200, "inventory", T0 + 2, { links: published, batchItemFailures: 1 });
  return { published, invocation, traces: [...published, invocation].map(parse) };
}

/** A trace of one application segment ("app", a000000000000001, from second 1 to 2), the given fields over those. */
export function appTrace(fields: Record<string, unknown> = {}): Trace {
  return parseTrace(traceId(1), [
    JSON.stringify({ id: "a000000000000001", name: "app", start_time: 1, end_time: 2, ...fields }),
  ]);
}
