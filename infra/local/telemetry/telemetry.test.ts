import { describe, expect, it } from "vitest";
import {
  MetricBuffer,
  recordEmulatorMetrics,
  recordInvocationMetrics,
  stateOwnedBy,
  type EmulatorState,
} from "./telemetry";

const minute = Date.UTC(2026, 10, 28, 8, 0, 0);

function byName(buffer: MetricBuffer) {
  const out: Record<string, { dims: string; stats: unknown; at: number }[]> = {};
  for (const [namespace, data] of buffer.drain()) {
    for (const d of data) {
      (out[`${namespace}/${d.MetricName}`] ??= []).push({
        dims: d.Dimensions!.map((x) => `${x.Name}=${x.Value}`).join(","),
        stats: d.StatisticValues,
        at: d.Timestamp!.getTime(),
      });
    }
  }
  return out;
}

describe("MetricBuffer", () => {
  it("aggregates values of one metric, dimension set and minute into a statistic set", () => {
    const buffer = new MetricBuffer();
    buffer.add("AWS/Lambda", "Duration", { FunctionName: "f" }, 100, "Milliseconds", minute + 1_000);
    buffer.add("AWS/Lambda", "Duration", { FunctionName: "f" }, 300, "Milliseconds", minute + 59_000);
    buffer.add("AWS/Lambda", "Duration", { FunctionName: "f" }, 50, "Milliseconds", minute + 60_000);
    buffer.add("AWS/Lambda", "Duration", { FunctionName: "g" }, 7, "Milliseconds", minute);
    const metrics = byName(buffer);
    expect(metrics["AWS/Lambda/Duration"]).toEqual([
      { dims: "FunctionName=f", stats: { SampleCount: 2, Sum: 400, Minimum: 100, Maximum: 300 }, at: minute },
      { dims: "FunctionName=f", stats: { SampleCount: 1, Sum: 50, Minimum: 50, Maximum: 50 }, at: minute + 60_000 },
      { dims: "FunctionName=g", stats: { SampleCount: 1, Sum: 7, Minimum: 7, Maximum: 7 }, at: minute },
    ]);
    expect(buffer.drain().size).toBe(0);
  });
});

describe("recordInvocationMetrics", () => {
  it("counts an invocation, its error, its duration and its concurrency", () => {
    const buffer = new MetricBuffer();
    const base = { functionName: "f", functionArn: "arn", requestId: "r", event: {}, concurrency: 2 };
    recordInvocationMetrics(buffer, { ...base, start: minute, end: minute + 40 });
    recordInvocationMetrics(buffer, {
      ...base,
      start: minute + 10,
      end: minute + 30,
      concurrency: 1,
      error: { errorType: "Error", errorMessage: "x" },
    });
    const m = byName(buffer);
    expect(m["AWS/Lambda/Invocations"]![0]!.stats).toMatchObject({ Sum: 2 });
    expect(m["AWS/Lambda/Errors"]![0]!.stats).toMatchObject({ Sum: 1, SampleCount: 2 });
    expect(m["AWS/Lambda/Throttles"]![0]!.stats).toMatchObject({ Sum: 0 });
    expect(m["AWS/Lambda/Duration"]![0]!.stats).toMatchObject({ Sum: 60, Maximum: 40 });
    expect(m["AWS/Lambda/ConcurrentExecutions"]![0]!.stats).toMatchObject({ Maximum: 2 });
  });
});

describe("recordEmulatorMetrics", () => {
  const queue = "arn:aws:sqs:us-east-1:123456789012:q.fifo";
  const topic = "arn:aws:sns:us-east-1:123456789012:t.fifo";
  const previous: EmulatorState = {
    sns: { [topic]: { published: 10, delivered: 20, filteredOut: 10, failed: 0 } },
    sqs: {
      [queue]: {
        sent: 20,
        received: 25,
        deleted: 18,
        visible: 2,
        notVisible: 0,
        delayed: 0,
        oldestSentTimestamp: null,
      },
    },
  };
  const current: EmulatorState = {
    sns: { [topic]: { published: 13, delivered: 25, filteredOut: 14, failed: 0 } },
    sqs: {
      [queue]: {
        sent: 25,
        received: 31,
        deleted: 24,
        visible: 1,
        notVisible: 2,
        delayed: 0,
        oldestSentTimestamp: minute + 5_000,
      },
    },
  };

  it("publishes the change in each counter and the current depth and age", () => {
    const buffer = new MetricBuffer();
    recordEmulatorMetrics(buffer, previous, current, minute + 35_000);
    const m = byName(buffer);
    const sum = (name: string) => (m[name]![0]!.stats as { Sum: number }).Sum;
    expect(sum("AWS/SNS/NumberOfMessagesPublished")).toBe(3);
    expect(sum("AWS/SNS/NumberOfNotificationsDelivered")).toBe(5);
    expect(sum("AWS/SNS/NumberOfNotificationsFilteredOut")).toBe(4);
    expect(m["AWS/SNS/NumberOfNotificationsFailed"]).toBeUndefined(); // no activity, no datapoint
    expect(sum("AWS/SQS/NumberOfMessagesSent")).toBe(5);
    expect(sum("AWS/SQS/NumberOfMessagesReceived")).toBe(6);
    expect(sum("AWS/SQS/NumberOfMessagesDeleted")).toBe(6);
    expect(sum("AWS/SQS/ApproximateNumberOfMessagesVisible")).toBe(1);
    expect(sum("AWS/SQS/ApproximateNumberOfMessagesNotVisible")).toBe(2);
    expect(sum("AWS/SQS/ApproximateAgeOfOldestMessage")).toBe(30);
    expect(m["AWS/SQS/NumberOfMessagesSent"]![0]!.dims).toBe("QueueName=q.fifo");
    expect(m["AWS/SNS/NumberOfMessagesPublished"]![0]!.dims).toBe("TopicName=t.fifo");
  });

  it("reports an empty queue's oldest message as 0 seconds old and its quiet counters as zeros", () => {
    const buffer = new MetricBuffer();
    recordEmulatorMetrics(
      buffer,
      current,
      { ...current, sqs: { [queue]: { ...current.sqs[queue]!, oldestSentTimestamp: null } } },
      minute,
    );
    const m = byName(buffer);
    expect((m["AWS/SQS/ApproximateAgeOfOldestMessage"]![0]!.stats as { Sum: number }).Sum).toBe(0);
    expect((m["AWS/SQS/NumberOfMessagesSent"]![0]!.stats as { Sum: number }).Sum).toBe(0);
  });
});

describe("stateOwnedBy", () => {
  const counters = {
    sent: 1,
    received: 1,
    deleted: 1,
    visible: 0,
    notVisible: 0,
    delayed: 0,
    oldestSentTimestamp: null,
  };
  const topic = { published: 1, delivered: 1, filteredOut: 0, failed: 0 };
  const state: EmulatorState = {
    sns: {
      "arn:aws:sns:us-east-1:123456789012:orders.fifo": topic,
      "arn:aws:sns:eu-west-1:222222222222:orders.fifo": topic,
    },
    sqs: {
      "arn:aws:sqs:us-east-1:123456789012:inventory.fifo": counters,
      "arn:aws:sqs:eu-west-1:123456789012:inventory.fifo": counters,
      "arn:aws:sqs:eu-west-1:222222222222:inventory.fifo": counters,
      "arn:aws:sqs:us-east-1:222222222222:inventory.fifo": counters,
    },
  };

  it("keeps the topics and queues of one account in one region, as that account's CloudWatch would report", () => {
    const owned = stateOwnedBy(state, { accountId: "222222222222", region: "eu-west-1" });
    expect(Object.keys(owned.sns)).toEqual(["arn:aws:sns:eu-west-1:222222222222:orders.fifo"]);
    expect(Object.keys(owned.sqs)).toEqual(["arn:aws:sqs:eu-west-1:222222222222:inventory.fifo"]);
  });
});
