import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ReceivedMessage, SqsAttributeValue } from "./dead-letter-message";
import { describeDeadLetterQueues, type DeadLetterQueue, type SubscriptionRedrive } from "./dead-letters";
import {
  FIFO_DEDUPLICATION_INTERVAL_MS,
  ORIGINAL_ID_ATTRIBUTE,
  SQS_MAX_MESSAGE_BYTES,
  allowedActions,
  applyAction,
  statusAfter,
  buildReplayEntry,
  chunkEntries,
  fitsQueue,
  isTerminal,
  mayReplayElsewhere,
  messageSize,
  moveTaskRateProblem,
  pacingDelayMs,
  rampedRate,
  replayableSources,
  resendMayDuplicate,
  resolveReplayTarget,
  sourceQueueNames,
  targetOfLetter,
  type RedriveAction,
  type RedriveEngine,
  type RedriveStatus,
  type ReplayEntry,
} from "./replay";
import { queue, queueArn } from "../../test/fixtures/dead-letters";

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
  return Object.fromEntries(
    Array.from({ length: n }, (_, i) => [`a${i}`, { dataType: "String", stringValue: `v${i}` }]),
  );
}

describe("the module", () => {
  it("uses no Node API, so the browser runs the same target rule as the server", () => {
    const source = readFileSync(new URL("./replay.ts", import.meta.url), "utf8");
    expect(source).not.toMatch(/from "node:|require\(|\bBuffer\./);
  });
});

describe("moveTaskRateProblem", () => {
  it.each([1, 2, 250, 500])("accepts %s messages per second", (rate) => {
    expect(moveTaskRateProblem(rate)).toBeUndefined();
  });
  it.each([0, 0.4, 0.5, 2.5, 501, 3000])("refuses %s: StartMessageMoveTask takes whole numbers 1 to 500", (rate) => {
    expect(moveTaskRateProblem(rate)).toMatch(/from 1 to 500/);
  });
});

describe("messageSize", () => {
  it.each<[string, string, Record<string, SqsAttributeValue>, number]>([
    ["ASCII body", "hello", {}, 5],
    ["multibyte body", "héllo €😀", {}, 1 + 2 + 3 + 1 + 3 + 4],
    ["string attribute: name + type + value", "", { kind: { dataType: "String", stringValue: "order" } }, 4 + 6 + 5],
    ["multibyte attribute value and name", "x", { clé: { dataType: "String", stringValue: "€" } }, 1 + 4 + 6 + 3],
    ["binary attribute counts decoded bytes", "", { blob: { dataType: "Binary", binaryValue: "AAECAwQ=" } }, 4 + 6 + 5],
    ["custom type counts in full", "", { n: { dataType: "Number.int", stringValue: "42" } }, 1 + 10 + 2],
  ])("%s", (_label, body, attrs, expected) => {
    expect(messageSize(body, attrs)).toBe(expected);
  });
});

describe("buildReplayEntry", () => {
  it("builds a standard-queue entry: body, attributes and group id kept, original id added, no deduplication id", () => {
    const e = buildReplayEntry(received(), { fifo: false, index: 3, deduplicationId: undefined });
    expect(e).toEqual({
      id: "m3",
      body: "hello",
      messageAttributes: {
        kind: { dataType: "String", stringValue: "order" },
        [ORIGINAL_ID_ATTRIBUTE]: { dataType: "String", stringValue: "msg-1" },
      },
      traceHeader: "Root=1-abc;Sampled=1",
      groupId: "g-7",
      originalMessageId: "msg-1",
      byteSize: 5 + (4 + 6 + 5) + (ORIGINAL_ID_ATTRIBUTE.length + 6 + 5),
      originalIdKept: true,
    });
  });

  it("gives a FIFO entry the message's group id and the replay's deduplication id", () => {
    const e = buildReplayEntry(received(), { fifo: true, index: 0, deduplicationId: "dedup-1" });
    expect(e.groupId).toBe("g-7");
    expect(e.deduplicationId).toBe("dedup-1");
  });

  it("keeps the group id on a standard queue (fair queues), with no deduplication id", () => {
    const e = buildReplayEntry(received(), { fifo: false, index: 0, deduplicationId: undefined });
    expect(e.groupId).toBe("g-7");
    expect("deduplicationId" in e).toBe(false);
  });

  it("sends no group id when the message had none", () => {
    const e = buildReplayEntry(received({ attributes: { SentTimestamp: "1" } }), {
      fifo: false,
      index: 0,
      deduplicationId: undefined,
    });
    expect("groupId" in e).toBe(false);
  });

  it("leaves out the original id when it would push the message over the target's MaximumMessageSize", () => {
    const idSize = ORIGINAL_ID_ATTRIBUTE.length + "String".length + "msg-1".length;
    const plain = messageSize("hello", received().messageAttributes);
    const fits = buildReplayEntry(received(), {
      fifo: false,
      index: 0,
      deduplicationId: undefined,
      maxMessageSize: plain + idSize,
    });
    expect(fits.originalIdKept).toBe(true);
    expect(fits.byteSize).toBe(plain + idSize);
    const tight = buildReplayEntry(received(), {
      fifo: false,
      index: 0,
      deduplicationId: undefined,
      maxMessageSize: plain + idSize - 1,
    });
    expect(tight.originalIdKept).toBe(false);
    expect(tight.messageAttributes).toEqual(received().messageAttributes);
    expect(tight.byteSize).toBe(plain);
  });

  it("counts against SQS's 1 MiB when the target's limit is not known", () => {
    const big = "x".repeat(SQS_MAX_MESSAGE_BYTES - messageSize("", received().messageAttributes) - 10);
    expect(
      buildReplayEntry(received({ body: big }), { fifo: false, index: 0, deduplicationId: undefined }).originalIdKept,
    ).toBe(false);
    expect(
      buildReplayEntry(received({ body: "x".repeat(300_000) }), { fifo: false, index: 0, deduplicationId: undefined })
        .originalIdKept,
    ).toBe(true);
  });

  it("leaves out the trace header when the message has none", () => {
    const e = buildReplayEntry(received({ attributes: {} }), { fifo: false, index: 0, deduplicationId: undefined });
    expect("traceHeader" in e).toBe(false);
  });

  it("uses the edits instead of the original body and attributes", () => {
    const m = received();
    const e = buildReplayEntry(m, {
      fifo: false,
      index: 1,
      deduplicationId: undefined,
      edits: { body: "fixed €", attributes: { fixed: { dataType: "Number", stringValue: "1" } } },
    });
    expect(e.body).toBe("fixed €");
    expect(Object.keys(e.messageAttributes).sort()).toEqual([ORIGINAL_ID_ATTRIBUTE, "fixed"]);
    expect(e.byteSize).toBe(messageSize("fixed €", e.messageAttributes));
    expect(m.messageAttributes).toEqual({ kind: { dataType: "String", stringValue: "order" } }); // The message itself is not changed.
  });

  it.each([
    [9, true, 10],
    [10, false, 10],
  ])("with %i attributes, the original id kept: %s (%i in all)", (n, kept, total) => {
    const e = buildReplayEntry(received({ messageAttributes: attributes(n) }), {
      fifo: false,
      index: 0,
      deduplicationId: undefined,
    });
    expect(e.originalIdKept).toBe(kept);
    expect(ORIGINAL_ID_ATTRIBUTE in e.messageAttributes).toBe(kept);
    expect(Object.keys(e.messageAttributes)).toHaveLength(total);
  });

  it("keeps the first original id on a replay of a replay, even with 10 attributes", () => {
    const attrs = { ...attributes(9), [ORIGINAL_ID_ATTRIBUTE]: { dataType: "String", stringValue: "first-original" } };
    const e = buildReplayEntry(received({ messageId: "replay-1", messageAttributes: attrs }), {
      fifo: false,
      index: 0,
      deduplicationId: undefined,
    });
    expect(e.messageAttributes[ORIGINAL_ID_ATTRIBUTE]?.stringValue).toBe("first-original");
    expect(e.originalIdKept).toBe(true);
    expect(e.originalMessageId).toBe("replay-1");
  });
});

describe("fitsQueue", () => {
  it("compares body and attributes with the queue's limit, SQS's 1 MiB by default", () => {
    expect(fitsQueue("x".repeat(1024), {}, 1024)).toEqual({ fits: true, size: 1024, limit: 1024 });
    expect(fitsQueue("x".repeat(1020), { a: { dataType: "String", stringValue: "v" } }, 1024)).toEqual({
      fits: false,
      size: 1028,
      limit: 1024,
    });
    expect(fitsQueue("x".repeat(300_000), {}).fits).toBe(true);
    expect(fitsQueue("x".repeat(1_048_577), {}).fits).toBe(false);
  });
});

describe("chunkEntries", () => {
  const entry = (i: number, byteSize: number): ReplayEntry => ({
    id: `m${i}`,
    body: "",
    messageAttributes: {},
    originalMessageId: `o${i}`,
    byteSize,
    originalIdKept: true,
  });
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
    expect(ids(chunkEntries([entry(0, 10), entry(1, 1001), entry(2, 10), entry(3, 1000)], limits))).toEqual([
      ["m0"],
      ["m1"],
      ["m2"],
      ["m3"],
    ]);
  });

  it("uses SQS's limits by default: 10 entries and 1 MiB", () => {
    expect(chunkEntries([entry(0, 1_048_576), entry(1, 1)]).map((c) => c.length)).toEqual([1, 1]);
    expect(chunkEntries([entry(0, 524_288), entry(1, 524_288), entry(2, 1)]).map((c) => c.length)).toEqual([2, 1]);
    expect(chunkEntries(Array.from({ length: 4 }, (_, i) => entry(i, 262_144))).map((c) => c.length)).toEqual([4]);
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

/** A replay target: the queue's name, URL, ARN and type. */
const target = (name: string) => {
  const { url, arn, fifo } = queue(name);
  return { name, url, arn, fifo };
};
const topic = "arn:aws:sns:us-east-1:123456789012:orders";
const sub = (endpoint: string, dlq: string, id: string): SubscriptionRedrive => ({
  subscriptionArn: `${topic}:${id}`,
  topicArn: topic,
  endpoint,
  deadLetterTargetArn: queueArn(dlq),
});

const queues = [
  queue("billing", { redrivePolicy: { deadLetterTargetArn: queueArn("shared-dlq"), maxReceiveCount: 5 } }),
  queue("shipping", { redrivePolicy: { deadLetterTargetArn: queueArn("shared-dlq"), maxReceiveCount: 5 } }),
  queue("shared-dlq"),
  queue("orders.fifo", { redrivePolicy: { deadLetterTargetArn: queueArn("orders-dlq.fifo"), maxReceiveCount: 3 } }),
  queue("orders-dlq.fifo"),
  queue("audit.fifo"),
  queue("inbox"), // Subscribed to the topic; its subscription's DLQ is sns-dlq.
  queue("sns-dlq"),
  queue("http-dlq"),
  queue("scratch"),
];
const subscriptions = [
  sub(queueArn("inbox"), "sns-dlq", "00000000-0000-0000-0000-000000000001"),
  sub(queueArn("inbox"), "sns-dlq", "00000000-0000-0000-0000-000000000002"), // Same queue twice: listed once.
  sub("https://hooks.example/orders", "http-dlq", "00000000-0000-0000-0000-000000000003"),
  sub("arn:aws:lambda:us-east-1:123456789012:function:f", "http-dlq", "00000000-0000-0000-0000-000000000004"),
];
const dlqs = describeDeadLetterQueues(queues, subscriptions);
const dlq = (name: string): DeadLetterQueue => {
  const found = dlqs.find((d) => d.name === name);
  if (!found) throw new Error(`no DLQ ${name}`);
  return found;
};

/** Each DLQ of the account above and the source queues a replay may go back to. */
const SOURCES_OF_EACH_DLQ: [dlq: string, sources: string[]][] = [
  ["shared-dlq", ["billing", "shipping"]],
  ["orders-dlq.fifo", ["orders.fifo"]],
  ["sns-dlq", ["inbox"]],
  ["http-dlq", []],
];

describe("replayableSources", () => {
  it.each(SOURCES_OF_EACH_DLQ)("%s → %j", (name, expected) => {
    expect(replayableSources(dlq(name), queues).map((t) => t.name)).toEqual(expected);
  });

  it("describes each target by name, url, arn and type, and skips a source queue that is gone", () => {
    expect(replayableSources(dlq("orders-dlq.fifo"), queues)).toEqual([target("orders.fifo")]);
    expect(
      replayableSources(
        dlq("shared-dlq"),
        queues.filter((q) => q.name !== "billing"),
      ),
    ).toEqual([target("shipping")]);
  });
});

describe("sourceQueueNames and mayReplayElsewhere: what the UI offers", () => {
  it.each(SOURCES_OF_EACH_DLQ)("%s → %j, the same queues the server accepts from an operator", (name, expected) => {
    expect(sourceQueueNames(dlq(name))).toEqual(expected);
    expect(replayableSources(dlq(name), queues).map((t) => t.name)).toEqual(expected);
  });

  it("reads an SQS endpoint in another partition as a queue, and other endpoints not", () => {
    const china = "arn:aws-cn:sqs:cn-north-1:123456789012:inbox-cn";
    const d: Pick<DeadLetterQueue, "sources"> = {
      sources: [
        { kind: "subscription", subscriptionArn: "s1", topicArn: topic, endpoint: china },
        { kind: "subscription", subscriptionArn: "s2", topicArn: topic, endpoint: "https://arn:aws:sqs:x" },
      ],
    };
    expect(sourceQueueNames(d)).toEqual(["inbox-cn"]);
  });

  it("lets only an admin choose another queue", () => {
    expect([mayReplayElsewhere("viewer"), mayReplayElsewhere("operator"), mayReplayElsewhere("admin")]).toEqual([
      false,
      false,
      true,
    ]);
  });
});

describe("resolveReplayTarget", () => {
  const base = { queues, role: "operator" as const };
  const admin = "admin" as const;

  it.each([
    [
      "a source queue, by name",
      { dlq: dlq("shared-dlq"), requested: "shipping" },
      { ok: true, target: target("shipping"), ownSource: true },
    ],
    [
      "a source queue with override: true (not needed, not harmful)",
      { dlq: dlq("shared-dlq"), requested: "shipping", override: true },
      { ok: true, target: target("shipping"), ownSource: true },
    ],
    [
      "another queue of the same type, by an admin who overrides",
      { dlq: dlq("shared-dlq"), requested: "scratch", override: true, role: admin },
      { ok: true, target: target("scratch"), ownSource: false },
    ],
    [
      "FIFO to another FIFO queue, by an admin who overrides",
      { dlq: dlq("orders-dlq.fifo"), requested: "audit.fifo", override: true, role: admin },
      { ok: true, target: target("audit.fifo"), ownSource: false },
    ],
    [
      "a requested name with spaces around it",
      { dlq: dlq("shared-dlq"), requested: " billing " },
      { ok: true, target: target("billing"), ownSource: true },
    ],
    [
      "the source the message names",
      { dlq: dlq("shared-dlq"), messageSourceArn: queueArn("shipping") },
      { ok: true, target: target("shipping"), ownSource: true },
    ],
    ["the only source", { dlq: dlq("orders-dlq.fifo") }, { ok: true, target: target("orders.fifo"), ownSource: true }],
    ["a subscription's queue", { dlq: dlq("sns-dlq") }, { ok: true, target: target("inbox"), ownSource: true }],
    [
      "the only source, when the message names one that is not a source",
      { dlq: dlq("sns-dlq"), messageSourceArn: queueArn("scratch") },
      { ok: true, target: target("inbox"), ownSource: true },
    ],
  ])("accepts %s", (_label, input, expected) => {
    expect(resolveReplayTarget({ ...base, ...input })).toEqual(expected);
  });

  it("sends each letter to its own source when the DLQ has several and no target is chosen", () => {
    expect(resolveReplayTarget({ ...base, dlq: dlq("shared-dlq") })).toEqual({
      ok: true,
      eachToOwnSource: [target("billing"), target("shipping")],
      ownSource: true,
    });
  });

  it("places one letter: the chosen target, else the source it names if that is one of the DLQ's", () => {
    const sources = [target("billing"), target("shipping")];
    expect(targetOfLetter(target("scratch"), sources, queueArn("billing"))).toEqual({
      ok: true,
      target: target("scratch"),
    });
    expect(targetOfLetter(undefined, sources, queueArn("shipping"))).toEqual({ ok: true, target: target("shipping") });
    expect(targetOfLetter(undefined, sources, undefined)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no DeadLetterQueueSourceArn/),
    });
    expect(targetOfLetter(undefined, sources, queueArn("scratch"))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not one of this DLQ's source queues \(billing, shipping\)/),
    });
  });

  it("carries the target's MaximumMessageSize", () => {
    const withSize = queues.map((q) => (q.name === "billing" ? { ...q, maximumMessageSize: 2048 } : q));
    expect(
      resolveReplayTarget({ ...base, queues: withSize, dlq: dlq("shared-dlq"), requested: "billing" }),
    ).toMatchObject({ ok: true, target: { name: "billing", maximumMessageSize: 2048 } });
  });

  it.each([
    ["an unknown queue", { dlq: dlq("shared-dlq"), requested: "nowhere" }, /no queue named nowhere/, "invalid"],
    ["the DLQ itself", { dlq: dlq("shared-dlq"), requested: "shared-dlq" }, /is this dead-letter queue/, "invalid"],
    [
      "a FIFO queue for a standard DLQ",
      { dlq: dlq("shared-dlq"), requested: "audit.fifo" },
      /audit\.fifo is a FIFO queue.*standard/,
      "invalid",
    ],
    [
      "a standard queue for a FIFO DLQ",
      { dlq: dlq("orders-dlq.fifo"), requested: "scratch" },
      /scratch is a standard queue.*FIFO/,
      "invalid",
    ],
    [
      "another queue, by an operator",
      { dlq: dlq("shared-dlq"), requested: "scratch" },
      /scratch is not a source queue of shared-dlq: only an admin/,
      "forbidden",
    ],
    [
      "another queue, by an operator who overrides",
      { dlq: dlq("shared-dlq"), requested: "scratch", override: true },
      /only an admin/,
      "forbidden",
    ],
    [
      "another queue, by a viewer",
      { dlq: dlq("shared-dlq"), requested: "scratch", role: "viewer" as const },
      /only an admin/,
      "forbidden",
    ],
    [
      "another queue, by an admin without override",
      { dlq: dlq("shared-dlq"), requested: "scratch", role: admin },
      /confirm with override: true/,
      "invalid",
    ],
    [
      "no SQS source (subscriptions to HTTP and Lambda)",
      { dlq: dlq("http-dlq") },
      /http-dlq has no SQS source queue to replay to.*export/,
      "invalid",
    ],
    [
      "several sources and one message without a source ARN",
      { dlq: dlq("shared-dlq"), messageWithoutSource: true },
      /several source queues \(billing, shipping\) and the message does not name its own.*choose a target/,
      "invalid",
    ],
    [
      "several sources and an unknown source ARN",
      { dlq: dlq("shared-dlq"), messageSourceArn: queueArn("scratch") },
      /not one of shared-dlq's source queues.*choose a target/,
      "invalid",
    ],
  ])("refuses %s", (_label, input, message, reason) => {
    const r = resolveReplayTarget({ ...base, ...input });
    expect(r).toMatchObject({ ok: false, field: "target", reason });
    expect(r.ok ? "" : r.message).toMatch(message);
  });

  it("refuses the type mismatch before the override rule, even for an admin", () => {
    const r = resolveReplayTarget({
      ...base,
      dlq: dlq("shared-dlq"),
      requested: "audit.fifo",
      override: true,
      role: admin,
    });
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
    expect(statusAfter(action)).toBe(next);
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
