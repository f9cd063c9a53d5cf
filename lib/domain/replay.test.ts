import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { ReceivedMessage, SqsAttributeValue } from "./dead-letter-message";
import { describeDeadLetterQueues, type DeadLetterQueue, type QueueDescription, type SubscriptionRedrive } from "./dead-letters";
import {
  FIFO_DEDUPLICATION_INTERVAL_MS,
  ORIGINAL_ID_ATTRIBUTE,
  allowedActions,
  applyAction,
  buildReplayEntry,
  chunkEntries,
  isTerminal,
  messageSize,
  pacingDelayMs,
  rampedRate,
  replayDeduplicationId,
  replayableSources,
  resendMayDuplicate,
  resolveReplayTarget,
  targetOfLetter,
  type RedriveAction,
  type RedriveEngine,
  type RedriveStatus,
  type ReplayEntry,
} from "./replay";

function received(extra: Partial<ReceivedMessage> = {}): ReceivedMessage {
  return {
    messageId: "msg-1",
    receiptHandle: "rh",
    body: "hello",
    attributes: { SentTimestamp: "1735787045678", AWSTraceHeader: "Root=1-abc;Sampled=1", MessageGroupId: "g-7" },
    messageAttributes: { kind: { dataType: "String", stringValue: "order" } },
    ...extra,
  };
}

function attributes(n: number): Record<string, SqsAttributeValue> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`a${i}`, { dataType: "String", stringValue: `v${i}` }]));
}

describe("replayDeduplicationId", () => {
  it("is the sha256 hex of job and message id: stable, 64 characters, different per job and message", () => {
    const id = replayDeduplicationId("job-1", "msg-1");
    expect(id).toBe(createHash("sha256").update("job-1:msg-1").digest("hex"));
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(replayDeduplicationId("job-1", "msg-1")).toBe(id);
    expect(replayDeduplicationId("job-2", "msg-1")).not.toBe(id);
    expect(replayDeduplicationId("job-1", "msg-2")).not.toBe(id);
  });
});

describe("messageSize", () => {
  it.each<[string, string, Record<string, SqsAttributeValue>, number]>([
    ["ASCII body", "hello", {}, 5],
    ["multibyte body", "héllo €😀", {}, 1 + 2 + 3 + 1 + 3 + 4],
    ["string attribute: name + type + value", "", { kind: { dataType: "String", stringValue: "order" } }, 4 + 6 + 5],
    ["multibyte attribute value and name", "x", { "clé": { dataType: "String", stringValue: "€" } }, 1 + 4 + 6 + 3],
    ["binary attribute counts decoded bytes", "", { blob: { dataType: "Binary", binaryValue: "AAECAwQ=" } }, 4 + 6 + 5],
    ["custom type counts in full", "", { n: { dataType: "Number.int", stringValue: "42" } }, 1 + 10 + 2],
  ])("%s", (_label, body, attrs, expected) => {
    expect(messageSize(body, attrs)).toBe(expected);
  });
});

describe("buildReplayEntry", () => {
  it("builds a standard-queue entry: body and attributes kept, original id added, no group or deduplication id", () => {
    const e = buildReplayEntry(received(), { jobId: "job-1", fifo: false, index: 3 });
    expect(e).toEqual({
      id: "m3",
      body: "hello",
      messageAttributes: { kind: { dataType: "String", stringValue: "order" }, [ORIGINAL_ID_ATTRIBUTE]: { dataType: "String", stringValue: "msg-1" } },
      traceHeader: "Root=1-abc;Sampled=1",
      originalMessageId: "msg-1",
      byteSize: 5 + (4 + 6 + 5) + (ORIGINAL_ID_ATTRIBUTE.length + 6 + 5),
      originalIdKept: true,
    });
  });

  it("gives a FIFO entry the message's group id and a replay deduplication id", () => {
    const e = buildReplayEntry(received(), { jobId: "job-1", fifo: true, index: 0 });
    expect(e.groupId).toBe("g-7");
    expect(e.deduplicationId).toBe(replayDeduplicationId("job-1", "msg-1"));
  });

  it("leaves out the trace header when the message has none", () => {
    const e = buildReplayEntry(received({ attributes: {} }), { jobId: "j", fifo: false, index: 0 });
    expect("traceHeader" in e).toBe(false);
  });

  it("uses the edits instead of the original body and attributes", () => {
    const m = received();
    const e = buildReplayEntry(m, { jobId: "j", fifo: false, index: 1, edits: { body: "fixed €", attributes: { fixed: { dataType: "Number", stringValue: "1" } } } });
    expect(e.body).toBe("fixed €");
    expect(Object.keys(e.messageAttributes).sort()).toEqual([ORIGINAL_ID_ATTRIBUTE, "fixed"]);
    expect(e.byteSize).toBe(messageSize("fixed €", e.messageAttributes));
    expect(m.messageAttributes).toEqual({ kind: { dataType: "String", stringValue: "order" } }); // The message itself is not changed.
  });

  it.each([
    [9, true, 10],
    [10, false, 10],
  ])("with %i attributes, the original id kept: %s (%i in all)", (n, kept, total) => {
    const e = buildReplayEntry(received({ messageAttributes: attributes(n) }), { jobId: "j", fifo: false, index: 0 });
    expect(e.originalIdKept).toBe(kept);
    expect(ORIGINAL_ID_ATTRIBUTE in e.messageAttributes).toBe(kept);
    expect(Object.keys(e.messageAttributes)).toHaveLength(total);
  });

  it("keeps the first original id on a replay of a replay, even with 10 attributes", () => {
    const attrs = { ...attributes(9), [ORIGINAL_ID_ATTRIBUTE]: { dataType: "String", stringValue: "first-original" } };
    const e = buildReplayEntry(received({ messageId: "replay-1", messageAttributes: attrs }), { jobId: "j", fifo: false, index: 0 });
    expect(e.messageAttributes[ORIGINAL_ID_ATTRIBUTE]?.stringValue).toBe("first-original");
    expect(e.originalIdKept).toBe(true);
    expect(e.originalMessageId).toBe("replay-1");
  });
});

describe("chunkEntries", () => {
  const entry = (i: number, byteSize: number): ReplayEntry => ({ id: `m${i}`, body: "", messageAttributes: {}, originalMessageId: `o${i}`, byteSize, originalIdKept: true });
  const ids = (chunks: ReplayEntry[][]) => chunks.map((c) => c.map((e) => e.id));

  it("splits by count: 10, 10, 5", () => {
    const chunks = chunkEntries(Array.from({ length: 25 }, (_, i) => entry(i, 100)));
    expect(chunks.map((c) => c.length)).toEqual([10, 10, 5]);
    expect(chunks.flat().map((e) => e.id)).toEqual(Array.from({ length: 25 }, (_, i) => `m${i}`));
  });

  it("fills a chunk to exactly the byte limit, and starts another one byte over", () => {
    const limits = { maxEntries: 10, maxBytes: 1000 };
    expect(ids(chunkEntries([entry(0, 600), entry(1, 400), entry(2, 1)], limits))).toEqual([["m0", "m1"], ["m2"]]);
    expect(ids(chunkEntries([entry(0, 600), entry(1, 401), entry(2, 1)], limits))).toEqual([["m0"], ["m1", "m2"]]);
  });

  it("sends an oversized entry alone, keeping the order", () => {
    const limits = { maxEntries: 10, maxBytes: 1000 };
    expect(ids(chunkEntries([entry(0, 10), entry(1, 1001), entry(2, 10), entry(3, 1000)], limits))).toEqual([["m0"], ["m1"], ["m2"], ["m3"]]);
  });

  it("uses SQS's limits by default: 10 entries and 256 KiB", () => {
    expect(chunkEntries([entry(0, 262_144), entry(1, 1)]).map((c) => c.length)).toEqual([1, 1]);
    expect(chunkEntries([entry(0, 131_072), entry(1, 131_072)]).map((c) => c.length)).toEqual([2]);
  });

  it("returns no chunks for no entries", () => {
    expect(chunkEntries([])).toEqual([]);
  });
});

describe("rampedRate", () => {
  it.each([
    [0, 100, 10],
    [-5, 100, 10],
    [15, 100, 55],
    [29.999, 100, 10 + 90 * (29.999 / 30)],
    [30, 100, 100],
    [3600, 100, 100],
    [0, 5, 1], // 10 % is below 1: start at 1.
    [15, 5, 3],
    [0, 0.5, 0.5], // Never above the target, even at the start.
    [0, 0, Infinity],
    [10, -1, Infinity],
    [10, Number.POSITIVE_INFINITY, Infinity],
    [10, Number.NaN, Infinity],
  ])("at %s s toward %s/s: %s", (elapsed, target, expected) => {
    expect(rampedRate(elapsed, target)).toBeCloseTo(expected, 9);
  });

  it("rises monotonically and never exceeds the target", () => {
    const rates = Array.from({ length: 40 }, (_, s) => rampedRate(s, 50));
    expect(rates.every((r, i) => r <= 50 && (i === 0 || r >= rates[i - 1]!))).toBe(true);
  });

  it("honours a custom ramp length, and no ramp at all", () => {
    expect(rampedRate(5, 100, 10)).toBeCloseTo(55, 9);
    expect(rampedRate(0, 100, 0)).toBe(100);
  });
});

describe("pacingDelayMs", () => {
  it.each([
    [10, 10, 0, 1000],
    [10, 10, 300, 700],
    [10, 10, 1500, 0],
    [5, 20, 0, 250],
    [10, Infinity, 0, 0],
    [0, 10, 0, 0],
  ])("%i messages at %s/s after %i ms: wait %i ms", (messages, rate, spent, expected) => {
    expect(pacingDelayMs(messages, rate, spent)).toBe(expected);
  });
});

// ---- targets ---------------------------------------------------------------------------------------

const arn = (name: string) => `arn:aws:sqs:us-east-1:123456789012:${name}`;
function queue(name: string, extra: Partial<QueueDescription> = {}): QueueDescription {
  return { name, url: `https://sqs.example/123456789012/${name}`, arn: arn(name), fifo: name.endsWith(".fifo"), visible: 0, inFlight: 0, delayed: 0, retentionSeconds: 345_600, ...extra };
}
const target = (name: string) => ({ name, url: `https://sqs.example/123456789012/${name}`, arn: arn(name), fifo: name.endsWith(".fifo") });
const topic = "arn:aws:sns:us-east-1:123456789012:orders";
const sub = (endpoint: string, dlq: string, id: string): SubscriptionRedrive => ({ subscriptionArn: `${topic}:${id}`, topicArn: topic, endpoint, deadLetterTargetArn: arn(dlq) });

const queues = [
  queue("billing", { redrivePolicy: { deadLetterTargetArn: arn("shared-dlq"), maxReceiveCount: 5 } }),
  queue("shipping", { redrivePolicy: { deadLetterTargetArn: arn("shared-dlq"), maxReceiveCount: 5 } }),
  queue("shared-dlq"),
  queue("orders.fifo", { redrivePolicy: { deadLetterTargetArn: arn("orders-dlq.fifo"), maxReceiveCount: 3 } }),
  queue("orders-dlq.fifo"),
  queue("audit.fifo"),
  queue("inbox"), // Subscribed to the topic; its subscription's DLQ is sns-dlq.
  queue("sns-dlq"),
  queue("http-dlq"),
  queue("scratch"),
];
const subscriptions = [
  sub(arn("inbox"), "sns-dlq", "00000000-0000-0000-0000-000000000001"),
  sub(arn("inbox"), "sns-dlq", "00000000-0000-0000-0000-000000000002"), // Same queue twice: listed once.
  sub("https://hooks.example/orders", "http-dlq", "00000000-0000-0000-0000-000000000003"),
  sub("arn:aws:lambda:us-east-1:123456789012:function:f", "http-dlq", "00000000-0000-0000-0000-000000000004"),
];
const dlqs = describeDeadLetterQueues(queues, subscriptions);
const dlq = (name: string): DeadLetterQueue => {
  const found = dlqs.find((d) => d.name === name);
  if (!found) throw new Error(`no DLQ ${name}`);
  return found;
};

describe("replayableSources", () => {
  it.each([
    ["shared-dlq", ["billing", "shipping"]],
    ["orders-dlq.fifo", ["orders.fifo"]],
    ["sns-dlq", ["inbox"]],
    ["http-dlq", []],
  ])("%s → %j", (name, expected) => {
    expect(replayableSources(dlq(name), queues).map((t) => t.name)).toEqual(expected);
  });

  it("describes each target by name, url, arn and type, and skips a source queue that is gone", () => {
    expect(replayableSources(dlq("orders-dlq.fifo"), queues)).toEqual([target("orders.fifo")]);
    expect(replayableSources(dlq("shared-dlq"), queues.filter((q) => q.name !== "billing"))).toEqual([target("shipping")]);
  });
});

describe("resolveReplayTarget", () => {
  const base = { queues, edited: false, role: "operator" as const };

  it.each([
    ["a source queue, by name", { dlq: dlq("shared-dlq"), requested: "shipping" }, { ok: true, target: target("shipping"), ownSource: true }],
    ["another queue of the same type", { dlq: dlq("shared-dlq"), requested: "scratch" }, { ok: true, target: target("scratch"), ownSource: false }],
    ["FIFO to another FIFO queue", { dlq: dlq("orders-dlq.fifo"), requested: "audit.fifo" }, { ok: true, target: target("audit.fifo"), ownSource: false }],
    ["an edited message to its own source", { dlq: dlq("shared-dlq"), requested: "billing", edited: true }, { ok: true, target: target("billing"), ownSource: true }],
    ["an edited message elsewhere, by an admin", { dlq: dlq("shared-dlq"), requested: "scratch", edited: true, role: "admin" as const }, { ok: true, target: target("scratch"), ownSource: false }],
    ["a requested name with spaces around it", { dlq: dlq("shared-dlq"), requested: " billing " }, { ok: true, target: target("billing"), ownSource: true }],
    ["the source the message names", { dlq: dlq("shared-dlq"), messageSourceArn: arn("shipping") }, { ok: true, target: target("shipping"), ownSource: true }],
    ["the only source", { dlq: dlq("orders-dlq.fifo") }, { ok: true, target: target("orders.fifo"), ownSource: true }],
    ["a subscription's queue", { dlq: dlq("sns-dlq") }, { ok: true, target: target("inbox"), ownSource: true }],
    ["the only source, when the message names one that is not a source", { dlq: dlq("sns-dlq"), messageSourceArn: arn("scratch") }, { ok: true, target: target("inbox"), ownSource: true }],
  ])("accepts %s", (_label, input, expected) => {
    expect(resolveReplayTarget({ ...base, ...input })).toEqual(expected);
  });

  it("sends each letter to its own source when the DLQ has several and no target is chosen", () => {
    expect(resolveReplayTarget({ ...base, dlq: dlq("shared-dlq") })).toEqual({ ok: true, eachToOwnSource: [target("billing"), target("shipping")], ownSource: true });
  });

  it("places one letter: the chosen target, else the source it names if that is one of the DLQ's", () => {
    const sources = [target("billing"), target("shipping")];
    expect(targetOfLetter(target("scratch"), sources, arn("billing"))).toEqual({ ok: true, target: target("scratch") });
    expect(targetOfLetter(undefined, sources, arn("shipping"))).toEqual({ ok: true, target: target("shipping") });
    expect(targetOfLetter(undefined, sources, undefined)).toMatchObject({ ok: false, reason: expect.stringMatching(/no DeadLetterQueueSourceArn/) });
    expect(targetOfLetter(undefined, sources, arn("scratch"))).toMatchObject({ ok: false, reason: expect.stringMatching(/not one of this DLQ's source queues \(billing, shipping\)/) });
  });

  it.each([
    ["an unknown queue", { dlq: dlq("shared-dlq"), requested: "nowhere" }, /no queue named nowhere/],
    ["the DLQ itself", { dlq: dlq("shared-dlq"), requested: "shared-dlq" }, /is this dead-letter queue/],
    ["a FIFO queue for a standard DLQ", { dlq: dlq("shared-dlq"), requested: "audit.fifo" }, /audit\.fifo is a FIFO queue.*standard/],
    ["a standard queue for a FIFO DLQ", { dlq: dlq("orders-dlq.fifo"), requested: "scratch" }, /scratch is a standard queue.*FIFO/],
    ["an edited message elsewhere, by an operator", { dlq: dlq("shared-dlq"), requested: "scratch", edited: true }, /edited messages go only to this DLQ's own source queues unless you are an admin/],
    ["an edited message elsewhere, by a viewer", { dlq: dlq("shared-dlq"), requested: "scratch", edited: true, role: "viewer" as const }, /unless you are an admin/],
    ["no SQS source (subscriptions to HTTP and Lambda)", { dlq: dlq("http-dlq") }, /http-dlq has no SQS source queue to replay to.*export/],
    ["several sources and one message without a source ARN", { dlq: dlq("shared-dlq"), messageWithoutSource: true }, /several source queues \(billing, shipping\) and the message does not name its own.*choose a target/],
    ["several sources and an unknown source ARN", { dlq: dlq("shared-dlq"), messageSourceArn: arn("scratch") }, /not one of shared-dlq's source queues.*choose a target/],
  ])("refuses %s", (_label, input, message) => {
    const r = resolveReplayTarget({ ...base, ...input });
    expect(r).toMatchObject({ ok: false, field: "target" });
    expect(r.ok ? "" : r.message).toMatch(message);
  });

  it("refuses the type mismatch before the edit rule, even for an admin", () => {
    const r = resolveReplayTarget({ ...base, dlq: dlq("shared-dlq"), requested: "audit.fifo", edited: true, role: "admin" });
    expect(r.ok ? "" : r.message).toMatch(/FIFO/);
  });
});

// ---- job status ------------------------------------------------------------------------------------

describe("job actions", () => {
  it.each<[RedriveStatus, RedriveEngine, RedriveAction[]]>([
    ["running", "fanout", ["pause", "cancel"]],
    ["paused", "fanout", ["resume", "cancel"]],
    ["completed", "fanout", []],
    ["cancelled", "fanout", []],
    ["failed", "fanout", []],
    ["running", "sqs-move-task", ["cancel"]],
    ["paused", "sqs-move-task", []],
    ["completed", "sqs-move-task", []],
    ["failed", "sqs-move-task", []],
  ])("%s %s job allows %j", (status, engine, actions) => {
    expect(allowedActions(status, engine)).toEqual(actions);
  });

  it.each<[RedriveStatus, boolean]>([
    ["running", false],
    ["paused", false],
    ["completed", true],
    ["cancelled", true],
    ["failed", true],
  ])("%s is terminal: %s", (status, terminal) => {
    expect(isTerminal(status)).toBe(terminal);
    if (terminal) expect(allowedActions(status, "fanout")).toEqual([]);
  });

  it.each<[RedriveStatus, RedriveEngine, RedriveAction, RedriveStatus]>([
    ["running", "fanout", "pause", "paused"],
    ["paused", "fanout", "resume", "running"],
    ["running", "fanout", "cancel", "cancelled"],
    ["paused", "fanout", "cancel", "cancelled"],
    ["running", "sqs-move-task", "cancel", "cancelled"],
  ])("%s %s job, %s → %s", (status, engine, action, next) => {
    expect(applyAction(status, engine, action)).toEqual({ ok: true, status: next });
  });

  it.each<[RedriveStatus, RedriveEngine, RedriveAction, string]>([
    ["paused", "fanout", "pause", "a paused job cannot be paused"],
    ["running", "fanout", "resume", "a running job cannot be resumed"],
    ["completed", "fanout", "cancel", "a completed job cannot be cancelled"],
    ["failed", "fanout", "resume", "a failed job cannot be resumed"],
    ["cancelled", "fanout", "pause", "a cancelled job cannot be paused"],
    ["running", "sqs-move-task", "pause", "an SQS message move task cannot be paused"],
    ["running", "sqs-move-task", "resume", "an SQS message move task cannot be resumed"],
    ["completed", "sqs-move-task", "cancel", "a completed message move task cannot be cancelled"],
  ])("refuses: %s %s job, %s", (status, engine, action, message) => {
    expect(applyAction(status, engine, action)).toEqual({ ok: false, message });
  });
});

describe("resendMayDuplicate: a resend after an unknown first outcome", () => {
  const t0 = Date.parse("2026-12-02T12:00:00Z");
  it("may duplicate on a standard queue whenever it happens", () => {
    expect(resendMayDuplicate(false, t0, t0 + 1_000)).toBe(true);
  });
  it("on FIFO is dropped by SQS within the 5-minute deduplication interval, and may duplicate after it", () => {
    expect(resendMayDuplicate(true, t0, t0 + 1_000)).toBe(false);
    expect(resendMayDuplicate(true, t0, t0 + FIFO_DEDUPLICATION_INTERVAL_MS - 1)).toBe(false);
    expect(resendMayDuplicate(true, t0, t0 + FIFO_DEDUPLICATION_INTERVAL_MS)).toBe(true);
    expect(resendMayDuplicate(true, t0, t0 + 6 * 60_000)).toBe(true);
  });
  it("on FIFO counts an unknown first-send time as old", () => {
    expect(resendMayDuplicate(true, undefined, t0)).toBe(true);
  });
});

describe("job statuses", () => {
  it("an incomplete job is over and offers no action", () => {
    expect(isTerminal("incomplete")).toBe(true);
    expect(allowedActions("incomplete", "fanout")).toEqual([]);
  });
});
