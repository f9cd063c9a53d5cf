import { randomInt, randomUUID } from "node:crypto";
import { expect } from "vitest";
import { PutTraceSegmentsCommand, type XRayClient } from "@aws-sdk/client-xray";
import { consumerTrace, newTraceId, producerTrace, type SegmentDocument } from "../infra/local";

/** Traces in AWS's shape for the integration tests of the trace views. */

const region = "us-east-1";
const account = "123456789012";

/**
 * One order message, each name suffixed with a random id: `storefront-<id>` publishes it to the
 * topic `orders-<id>` at `publishedAt`; `billing-<id>` and `inventory-<id>` consume it. `consume`
 * makes the trace of one invocation of a function, at `at` for 150 ms, linked to the messages of
 * `headers`, failing with a TypeError whose message is `error` if given.
 */
export function orderTraces(publishedAt = Date.now() - 120_000) {
  const id = randomUUID().slice(0, 8);
  const topicArn = `arn:aws:sns:${region}:${account}:orders-${id}`;
  const rand = () => randomInt(0, 2 ** 32) / 2 ** 32;
  /** A new trace id of the given time (epoch ms). */
  const traceIdAt = (ms: number) => newTraceId(Math.floor(ms / 1000), rand);
  const producer = producerTrace({
    traceId: traceIdAt(publishedAt),
    rand,
    service: `storefront-${id}`,
    start: publishedAt,
    end: publishedAt + 40,
    topicArn,
    region,
    messageId: `m-${id}`,
  });
  const consume = (fn: string, at: number, headers: string[], error?: string) =>
    consumerTrace({
      traceId: traceIdAt(at),
      rand,
      functionName: fn,
      functionArn: `arn:aws:lambda:${region}:${account}:function:${fn}`,
      region,
      start: at,
      end: at + 150,
      linkedTraceHeaders: headers,
      ...(error
        ? {
            error: {
              message: error,
              type: "TypeError",
              stack: [
                "TypeError: x",
                "    at charge (/var/task/index.js:42:5)",
                "    at handler (/var/task/index.js:12:3)",
              ],
            },
          }
        : { batchItemFailures: 0 }),
    });
  return {
    id,
    region,
    topicArn,
    billing: `billing-${id}`,
    inventory: `inventory-${id}`,
    rand,
    traceIdAt,
    publishedAt,
    producer,
    producerId: producer.segments[0]!.trace_id,
    consume,
  };
}

/** Puts segments to X-Ray, every one of them processed. */
export async function putSegments(xray: XRayClient, segments: SegmentDocument[]): Promise<void> {
  const out = await xray.send(
    new PutTraceSegmentsCommand({ TraceSegmentDocuments: segments.map((s) => JSON.stringify(s)) }),
  );
  expect(out.UnprocessedTraceSegments ?? []).toEqual([]);
}
