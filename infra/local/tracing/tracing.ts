import { randomInt } from "node:crypto";
import { PutTraceSegmentsCommand, type XRayClient } from "@aws-sdk/client-xray";
import type { FunctionConfiguration } from "../lambda/lambda-service";
import type { BatchOutcome } from "../lambda/poller";
import {
  consumerTrace,
  newTraceId,
  parseTraceHeader,
  producerTrace,
  traceHeader,
  type RecordFailure,
  type SegmentDocument,
} from "./trace-segments";

/**
 * X-Ray traces of the local run, in AWS's shape (trace-segments.ts): a producer trace per
 * published event whose header travels on the message, and a trace per Lambda invocation linked
 * to the producer traces of the messages in its batch. Sampling: the producer decides per event
 * (`sampleRate`, AWS's default rule being a reservoir plus 5 %); an unsampled event's header says
 * Sampled=0 and nothing is recorded for it. A consumer invocation is recorded when its function
 * has active tracing and at least one message of the batch was sampled (or none carried a header).
 */

const rand = () => randomInt(0, 2 ** 32) / 2 ** 32;

export class LocalTracer {
  constructor(
    private readonly xray: XRayClient,
    private readonly options: {
      region: string;
      sampleRate: number;
      service?: string;
      onError?: (err: unknown) => void;
    },
  ) {}

  private put(segments: SegmentDocument[]) {
    void this.xray
      .send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: segments.map((s) => JSON.stringify(s)) }))
      .then((result) => {
        if (result.UnprocessedTraceSegments?.length)
          throw new Error(`X-Ray refused segments: ${JSON.stringify(result.UnprocessedTraceSegments)}`);
      })
      .catch((err: unknown) => this.options.onError?.(err));
  }

  /**
   * Starts the producer side of one publish: returns the header to send with it and a function
   * that records the trace once the publish has answered.
   */
  beginPublish(
    topicArn: string,
    annotations?: Record<string, string>,
  ): { header: string; finish(result: { messageId?: string; error?: Error }): void } {
    const start = Date.now();
    const traceId = newTraceId(Math.floor(start / 1000), rand);
    if (rand() >= this.options.sampleRate) {
      return { header: traceHeader({ traceId, sampled: false }), finish: () => {} };
    }
    // Built up front so the header can name the SNS subsegment; rebuilt in finish with the same
    // random draws, hence the same ids, and the real end time and outcome.
    const draws: number[] = [];
    const trace = producerTrace({
      traceId,
      rand: () => draws[draws.push(rand()) - 1]!,
      service: this.options.service ?? "storefront",
      start,
      end: start,
      topicArn,
      region: this.options.region,
    });
    return {
      header: trace.header,
      finish: ({ messageId, error }) => {
        const end = Date.now();
        const done = producerTrace({
          traceId,
          rand: replay(draws),
          service: this.options.service ?? "storefront",
          start,
          end,
          topicArn,
          region: this.options.region,
          ...(annotations ? { annotations } : {}),
          ...(messageId ? { messageId } : {}),
          ...(error
            ? { error: { message: error.message, type: error.name, stack: error.stack?.split("\n").slice(1) } }
            : {}),
        });
        this.put(done.segments);
      },
    };
  }

  /** Records one invocation; `recordFailures` are the records its handler caught an error for. */
  recordBatch(outcome: BatchOutcome, fn: FunctionConfiguration, recordFailures: RecordFailure[] = []) {
    if (fn.TracingConfig.Mode !== "Active") return;
    const parsed = outcome.traceHeaders.map((h) => (h ? parseTraceHeader(h) : undefined));
    const anySampled = parsed.some((p) => p?.sampled !== false);
    if (!anySampled) return;
    const { invocation } = outcome;
    const failures = (invocation.result as { batchItemFailures?: unknown[] } | undefined)?.batchItemFailures;
    const segments = consumerTrace({
      traceId: newTraceId(Math.floor(invocation.start / 1000), rand),
      rand,
      functionName: invocation.functionName,
      functionArn: invocation.functionArn,
      region: this.options.region,
      start: invocation.start,
      end: Math.max(invocation.end, invocation.start),
      linkedTraceHeaders: outcome.traceHeaders,
      requestId: invocation.requestId,
      // Handlers run from the repository here, not from /var/task: frames relative to it read the same.
      workingDirectory: process.cwd(),
      ...(invocation.error
        ? {
            error: {
              message: invocation.error.errorMessage,
              type: invocation.error.errorType,
              stack: invocation.error.stackTrace,
            },
          }
        : { batchItemFailures: Array.isArray(failures) ? failures.length : 0, recordFailures }),
    });
    this.put(segments);
  }
}

/** A random source that first returns the given draws again, then fresh ones. */
function replay(draws: number[]): () => number {
  let next = 0;
  return () => (next < draws.length ? draws[next++]! : rand());
}

/** A handler's failed-record line (infra/functions/shared/log.ts) as a record failure of its trace. */
export function recordFailureOf(text: string, at: number): RecordFailure | undefined {
  let line: unknown;
  try {
    line = JSON.parse(text);
  } catch {
    return undefined;
  }
  const l = line as { messageId?: unknown; error?: unknown; errorType?: unknown; stack?: unknown };
  if (typeof l.messageId !== "string" || typeof l.error !== "string") return undefined;
  const stack = Array.isArray(l.stack) ? l.stack.filter((x): x is string => typeof x === "string") : undefined;
  return {
    messageId: l.messageId,
    at,
    error: {
      message: l.error,
      type: typeof l.errorType === "string" ? l.errorType : "Error",
      ...(stack ? { stack } : {}),
    },
  };
}
