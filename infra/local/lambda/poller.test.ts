import { describe, expect, it } from "vitest";
import type { InvocationRecord } from "./lambda-service";
import { recordsToDelete, toEventRecord } from "./poller";

const queueArn = "arn:aws:sqs:us-east-1:123456789012:orders.fifo";
const records = ["a", "b", "c"].map((id) =>
  toEventRecord({ MessageId: id, ReceiptHandle: `rh-${id}`, Body: `{"id":"${id}"}` }, queueArn, "us-east-1"),
);

function invocation(outcome: { result?: unknown; error?: boolean }): InvocationRecord {
  return {
    functionName: "f",
    functionArn: "arn:aws:lambda:us-east-1:123456789012:function:f",
    requestId: "r",
    start: 0,
    end: 1,
    concurrency: 1,
    event: { Records: records },
    ...("result" in outcome ? { result: outcome.result } : {}),
    ...(outcome.error ? { error: { errorType: "Error", errorMessage: "boom" } } : {}),
  };
}

const ids = (list: Array<{ messageId: string }>) => list.map((r) => r.messageId);

describe("recordsToDelete (Lambda developer guide, partial batch responses)", () => {
  it.each<[string, { result?: unknown; error?: boolean }, boolean, string[]]>([
    ["a thrown error keeps the whole batch", { error: true }, true, []],
    [
      "success without ReportBatchItemFailures deletes all",
      { result: { batchItemFailures: [{ itemIdentifier: "b" }] } },
      false,
      ["a", "b", "c"],
    ],
    ["no response deletes all", { result: undefined }, true, ["a", "b", "c"]],
    ["null deletes all", { result: null }, true, ["a", "b", "c"]],
    ["an empty failure list deletes all", { result: { batchItemFailures: [] } }, true, ["a", "b", "c"]],
    [
      "reported failures are kept",
      { result: { batchItemFailures: [{ itemIdentifier: "b" }, { itemIdentifier: "c" }] } },
      true,
      ["a"],
    ],
    [
      "an unknown identifier keeps the whole batch",
      { result: { batchItemFailures: [{ itemIdentifier: "zzz" }] } },
      true,
      [],
    ],
    [
      "an empty identifier keeps the whole batch",
      { result: { batchItemFailures: [{ itemIdentifier: "" }] } },
      true,
      [],
    ],
    ["a malformed failure list keeps the whole batch", { result: { batchItemFailures: "b" } }, true, []],
  ])("%s", (_label, outcome, reports, expected) => {
    expect(ids(recordsToDelete(records, invocation(outcome), reports))).toEqual(expected);
  });
});

describe("toEventRecord", () => {
  it("shapes a message as Lambda's SQS event record", () => {
    const record = toEventRecord(
      {
        MessageId: "m1",
        ReceiptHandle: "rh",
        Body: "hello",
        MD5OfBody: "5d41402abc4b2a76b9719d911017c592",
        MD5OfMessageAttributes: "abc",
        Attributes: {
          ApproximateReceiveCount: "2",
          MessageGroupId: "g1",
          AWSTraceHeader: "Root=1-00000000-000000000000000000000000",
        },
        MessageAttributes: {
          eventType: { DataType: "String", StringValue: "order.placed" },
          blob: { DataType: "Binary", BinaryValue: new Uint8Array([1, 2, 3]) },
        },
      },
      queueArn,
      "us-east-1",
    );
    expect(record).toEqual({
      messageId: "m1",
      receiptHandle: "rh",
      body: "hello",
      attributes: {
        ApproximateReceiveCount: "2",
        MessageGroupId: "g1",
        AWSTraceHeader: "Root=1-00000000-000000000000000000000000",
      },
      messageAttributes: {
        eventType: { stringValue: "order.placed", stringListValues: [], binaryListValues: [], dataType: "String" },
        blob: { binaryValue: "AQID", stringListValues: [], binaryListValues: [], dataType: "Binary" },
      },
      md5OfBody: "5d41402abc4b2a76b9719d911017c592",
      md5OfMessageAttributes: "abc",
      eventSource: "aws:sqs",
      eventSourceARN: queueArn,
      awsRegion: "us-east-1",
    });
  });
});
