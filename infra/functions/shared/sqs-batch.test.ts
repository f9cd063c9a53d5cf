import { describe, expect, it, vi } from "vitest";
import { isFifoQueueArn, processBatch, type SQSRecord } from "./sqs-batch";
import { fifoQueueArn, sqsEvent, standardQueueArn } from "./testing";

/** Fails the records whose body is "fail", synchronously or, for "reject", as a rejected promise. */
function failing(record: SQSRecord) {
  if (record.body === "fail") throw new Error(`failed ${record.messageId}`);
  if (record.body === "reject") return Promise.reject(new Error(`rejected ${record.messageId}`));
  return record.messageId;
}

const ids = (response: { batchItemFailures: { itemIdentifier: string }[] }) =>
  response.batchItemFailures.map((f) => f.itemIdentifier);

describe("processBatch", () => {
  it.each([
    // name, bodies (m-1, m-2, …), queue, reported, processed
    ["standard: all succeed", ["ok", "ok", "ok"], standardQueueArn, [], ["m-1", "m-2", "m-3"]],
    ["standard: one failure", ["ok", "fail", "ok"], standardQueueArn, ["m-2"], ["m-1", "m-2", "m-3"]],
    [
      "standard: failures reported, successes not",
      ["fail", "ok", "reject", "ok", "fail"],
      standardQueueArn,
      ["m-1", "m-3", "m-5"],
      ["m-1", "m-2", "m-3", "m-4", "m-5"],
    ],
    ["standard: all fail", ["fail", "reject"], standardQueueArn, ["m-1", "m-2"], ["m-1", "m-2"]],
    ["FIFO: all succeed", ["ok", "ok"], fifoQueueArn, [], ["m-1", "m-2"]],
    [
      "FIFO: stops at the first failure, reports it and every later record",
      ["ok", "ok", "fail", "ok", "fail"],
      fifoQueueArn,
      ["m-3", "m-4", "m-5"],
      ["m-1", "m-2", "m-3"],
    ],
    ["FIFO: a rejected promise stops it too", ["ok", "reject", "ok"], fifoQueueArn, ["m-2", "m-3"], ["m-1", "m-2"]],
    ["FIFO: first record fails, whole batch back", ["fail", "ok", "ok"], fifoQueueArn, ["m-1", "m-2", "m-3"], ["m-1"]],
    ["FIFO: last record fails", ["ok", "ok", "fail"], fifoQueueArn, ["m-3"], ["m-1", "m-2", "m-3"]],
    ["empty batch (standard)", [], standardQueueArn, [], []],
    ["empty batch (FIFO)", [], fifoQueueArn, [], []],
  ])("%s", async (_name, bodies, queueArn, reported, processed) => {
    const seen: string[] = [];
    const response = await processBatch(sqsEvent(bodies, queueArn), (record) => {
      seen.push(record.messageId);
      return failing(record);
    });
    expect(ids(response)).toEqual(reported);
    expect(seen).toEqual(processed);
  });

  it("tells onFailure about each record that threw, not the ones left unprocessed", async () => {
    const onFailure = vi.fn();
    await processBatch(sqsEvent(["ok", "fail", "ok"], fifoQueueArn), failing, onFailure);
    expect(onFailure).toHaveBeenCalledTimes(1);
    expect(onFailure.mock.calls[0]?.[0]).toMatchObject({ messageId: "m-2" });
    expect(onFailure.mock.calls[0]?.[1]).toEqual(new Error("failed m-2"));
  });

  it("processes records one at a time, in order", async () => {
    const order: string[] = [];
    await processBatch(sqsEvent(["a", "b", "c"], standardQueueArn), async (record) => {
      order.push(`start ${record.body}`);
      await new Promise((resolve) => setTimeout(resolve, record.body === "a" ? 5 : 0));
      order.push(`end ${record.body}`);
    });
    expect(order).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
  });
});

describe("isFifoQueueArn", () => {
  it.each([
    [fifoQueueArn, true],
    [standardQueueArn, false],
    ["arn:aws:sqs:us-east-1:123456789012:fifo", false],
    ["arn:aws:sqs:us-east-1:123456789012:orders.fifo-archive", false],
  ])("%s → %s", (arn, expected) => {
    expect(isFifoQueueArn(arn)).toBe(expected);
  });
});
