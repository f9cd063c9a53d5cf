import { describe, expect, it } from "vitest";
import { traceHeader } from "./header";
import type { Trace } from "./model";
import { buildMessageStory, tracedRecords, type MessageStoryInput } from "./story";
import {
  batchOfTen,
  consumer,
  fanOutToThreeQueues,
  fnArn,
  id,
  parse,
  producer,
  retriedMessage,
  T0,
  topicArn,
  traceId,
} from "../../../test/fixtures/traces";

const MINUTE = 60_000;
const DAY = 86_400_000;
const NOW = T0 * 1000 + 10 * MINUTE;
const SCANNED = { from: T0 * 1000 - 10 * MINUTE, to: NOW, traces: 4, complete: true };
const WINDOW = "from 2026-09-21T14:03:20.000Z to 2026-09-21T14:23:20.000Z";

const story = (header: string | undefined, traces: Trace[], more: Partial<MessageStoryInput> = {}) =>
  buildMessageStory({ header, traces, scanned: SCANNED, now: NOW, ...more });

describe("buildMessageStory: found", () => {
  it("joins a fan-out: the failed billing invocation first, then inventory and shipping by start", () => {
    const { published, traces, billing, inventory, shipping } = fanOutToThreeQueues();
    const s = story(published.header, traces);
    expect(s.state).toBe("found");
    expect(s.traceId).toBe(published.trace);
    expect(s.invocations.map((i) => i.functionName)).toEqual(["billing", "inventory", "shipping"]);
    expect(s.invocations.map((i) => i.traceId)).toEqual([billing.trace, inventory.trace, shipping.trace]);
    expect(s.attempts).toBe(3);
    expect(s.failedAttempts).toBe(1);

    const [b, inv, ship] = s.invocations;
    expect(b).toMatchObject({
      functionName: "billing",
      functionArn: fnArn("billing"),
      requestId: "req-12",
      start: 1790000001200,
      durationMs: 200,
      status: "fault",
      failed: true,
      coldStart: false,
      linkedMessages: 1,
      linkedSegmentIds: [published.snsId],
    });
    // Recorded on the function segment and on Invocation with different ids: shown once.
    expect(b?.exceptions.map((e) => `${e.type}: ${e.message}`)).toEqual(["PaymentDeclined: card 4242 declined"]);
    expect(inv).toMatchObject({ status: "ok", failed: false, batch: { size: 1, itemFailures: 0 }, exceptions: [] });
    expect(ship).toMatchObject({ coldStart: true, failed: false, status: "ok" });
    expect(ship?.batch).toBeUndefined();

    expect(s.producer).toEqual({
      traceId: published.trace,
      found: true,
      service: "storefront",
      topic: { kind: "topic", name: "orders", arn: topicArn("orders") },
      publishedAt: 1790000000040,
      status: "ok",
    });
    expect(s.reason).toBe(
      "3 invocations of 3 functions (billing, inventory, shipping) consumed this message; 1 failed in billing with PaymentDeclined: card 4242 declined. " +
        "Published by storefront to orders at 2026-09-21T14:13:20.040Z.",
    );
    expect(s.scanned).toBe(SCANNED);
  });

  it("lists the three attempts of a retried message by start, each with its one exception", () => {
    const { published, attempts, traces } = retriedMessage();
    const s = story(published.header, traces);
    expect(s.state).toBe("found");
    expect(s.attempts).toBe(3);
    expect(s.failedAttempts).toBe(3);
    expect(s.invocations.map((i) => i.traceId)).toEqual(attempts.map((a) => a.trace));
    expect(s.invocations.map((i) => i.start)).toEqual([1, 31, 61].map((d) => (T0 + d) * 1000));
    expect(s.invocations.map((i) => i.exceptions.map((e) => e.message))).toEqual([
      ["attempt 1: amount is undefined"],
      ["attempt 2: amount is undefined"],
      ["attempt 3: amount is undefined"],
    ]);
    expect(s.reason).toBe(
      "3 invocations of billing consumed this message; all 3 failed, the last with TypeError: attempt 3: amount is undefined. " +
        "Published by storefront to orders at 2026-09-21T14:13:20.040Z.",
    );
  });

  it("finds the one invocation of a batch of ten for any one of its messages, failed because of a batch item failure", () => {
    const { published, invocation, traces } = batchOfTen();
    const message = published[3]!;
    const s = story(message.header, traces);
    expect(s.state).toBe("found");
    expect(s.invocations).toHaveLength(1);
    expect(s.invocations[0]).toMatchObject({
      traceId: invocation.trace,
      functionName: "inventory",
      status: "ok",
      batch: { size: 10, itemFailures: 1 },
      linkedMessages: 10,
      failed: true,
      exceptions: [],
      linkedSegmentIds: [message.snsId],
    });
    expect(s.failedAttempts).toBe(1);
    // The other nine producer traces are in the input but are not this message's.
    expect(s.producer?.traceId).toBe(message.trace);
    expect(s.producer?.publishedAt).toBe(1790000000340);
    expect(s.reason).toBe(
      "1 invocation of inventory consumed this message; 1 failed: it reported 1 of 10 batch items as failed, possibly this message. " +
        "Published by storefront to orders at 2026-09-21T14:13:20.340Z.",
    );
  });

  it("says so when the producer trace is missing but consumers link to it", () => {
    const { published, traces } = retriedMessage();
    const s = story(
      published.header,
      traces.filter((t) => t.id !== published.trace),
    );
    expect(s.state).toBe("found");
    expect(s.producer).toEqual({ traceId: published.trace, found: false });
    expect(s.attempts).toBe(3);
    expect(s.reason).toBe(
      "3 invocations of billing consumed this message; all 3 failed, the last with TypeError: attempt 3: amount is undefined. " +
        `The producer trace ${published.trace} was not returned (expired, not indexed ` +
        `yet or not fetched); the invocations were found through their links to it.`,
    );
  });

  it("reports a traced publish with no linked invocation, the scanned window and the cap", () => {
    const published = producer(4, T0, { fault: true });
    const s = story(published.header, [parse(published)], { scanned: { ...SCANNED, traces: 1, complete: false } });
    expect(s.state).toBe("found");
    expect(s.producer).toMatchObject({ found: true, status: "fault" });
    expect(s.attempts).toBe(0);
    expect(s.reason).toBe(
      `The publish by storefront to orders at 2026-09-21T14:13:20.040Z was traced (the publish trace ` +
        `shows a fault), but no invocation linked to it was found in the 1 trace scanned ${WINDOW}. ` +
        "The scan was capped before it covered the whole window, so a linked invocation may have been missed.",
    );
  });

  it("counts a trace given twice once", () => {
    const { published, attempts, traces } = retriedMessage();
    const s = story(published.header, [...traces, parse(attempts[0]!), parse(published), parse(attempts[2]!)]);
    expect(s.attempts).toBe(3);
    expect(new Set(s.invocations.map((i) => i.traceId)).size).toBe(3);
  });

  it("keeps the fuller copy of a trace given twice", () => {
    const { published, attempts, traces } = retriedMessage();
    const partial: Trace = { ...parse(attempts[0]!), segments: parse(attempts[0]!).segments.slice(0, 1) };
    const s = story(published.header, [partial, ...traces]);
    // The function segment, only in the full copy, holds the Invocation subsegment.
    expect(s.invocations.find((i) => i.traceId === attempts[0]!.trace)?.exceptions).toHaveLength(1);
    expect(s.attempts).toBe(3);
  });

  it("leaves out a consumer linked to another trace", () => {
    const { published, traces } = fanOutToThreeQueues();
    const other = consumer(99, "billing", T0 + 5, {
      links: [producer(3, T0)],
      error: { type: "Boom", message: "other message" },
    });
    const s = story(published.header, [...traces, parse(other)]);
    expect(s.attempts).toBe(3);
    expect(s.invocations.map((i) => i.traceId)).not.toContain(other.trace);
    expect(s.reason).not.toContain("Boom");
  });

  it("accepts a link to any segment of the producer trace, not only the header's Parent", () => {
    const published = producer(5, T0);
    const viaSegment = consumer(51, "audit", T0 + 1, { links: [{ ...published, snsId: id("a", 5) }] });
    const s = story(published.header, [parse(viaSegment)]);
    expect(s.state).toBe("found");
    expect(s.invocations[0]?.linkedSegmentIds).toEqual([id("a", 5)]);
    expect(s.reason.startsWith("1 invocation of audit consumed this message; none failed.")).toBe(true);
  });

  it("reads a header without a sampling decision as possibly traced", () => {
    const { published, traces } = retriedMessage();
    const s = story(
      traceHeader({ traceId: published.trace, parentId: published.snsId, sampled: true }).replace(";Sampled=1", ""),
      traces,
    );
    expect(s.state).toBe("found");
    expect(s.attempts).toBe(3);
  });

  it("orders faults, throttles, errors, batch item failures, then the rest, by start and trace id", () => {
    const published = producer(6, T0);
    const links = [published];
    const ok = consumer(0x31, "f", T0 + 1, { links });
    const okSameStart = consumer(0x30, "f", T0 + 1, { links });
    const partial = consumer(0x32, "f", T0 + 2, { links, batchItemFailures: 1 });
    const errored = consumer(0x33, "f", T0 + 3, { links });
    const throttled = consumer(0x34, "f", T0 + 4, { links });
    const lateFault = consumer(0x35, "f", T0 + 5, { links, error: { type: "Late", message: "late" } });
    const earlyFault = consumer(0x36, "f", T0 + 0.5, { links, error: { type: "Early", message: "early" } });
    const traces = [ok, okSameStart, partial, errored, throttled, lateFault, earlyFault].map(parse);
    traces[3]!.segments[0]!.error = true;
    Object.assign(traces[4]!.segments[0]!, { error: true, throttle: true });
    const s = story(published.header, traces);
    expect(s.invocations.map((i) => i.traceId)).toEqual(
      [earlyFault, lateFault, throttled, errored, partial, okSameStart, ok].map((t) => t.trace),
    );
    expect(s.invocations.map((i) => i.status)).toEqual(["fault", "fault", "throttle", "error", "ok", "ok", "ok"]);
    expect(s.failedAttempts).toBe(5);
    // The latest failure, not the first in the list, is the one reported.
    expect(s.reason).toContain("7 invocations of f consumed this message; 5 failed, the last with Late: late.");
  });

  it("names a failure without exception by its status, and cuts a long exception message", () => {
    const published = producer(7, T0);
    const quiet = parse(consumer(71, "quiet", T0 + 1, { links: [published] }));
    quiet.segments[0]!.throttle = true;
    expect(story(published.header, [quiet]).reason).toContain("1 failed with a throttle and no exception recorded.");

    const long = consumer(72, "loud", T0 + 1, {
      links: [published],
      error: { type: "Error", message: `line one\n   line two ${"x".repeat(300)}` },
    });
    const reason = story(published.header, [parse(long)]).reason;
    expect(reason).toContain("1 failed with Error: line one line two xxx");
    const shown = /with (.*)\. The producer trace/.exec(reason)?.[1];
    expect(shown).toHaveLength(200);
    expect(shown?.endsWith("x…")).toBe(true);
  });
});

describe("buildMessageStory: this message's own records", () => {
  // A FIFO batch of two: the poison message m-1 fails, m-2 after it comes back unprocessed.
  const first = producer(300, T0);
  const second = producer(301, T0 + 0.1);
  const attempts = [0, 1].map((i) =>
    consumer(310 + i, "payment", T0 + 1 + i * 10, {
      links: [first, second],
      batchItemFailures: 2,
      recordFailures: [{ messageId: "m-1", type: "Error", message: "poison message: e-1" }],
    }),
  );
  const traces = [first, second, ...attempts].map(parse);

  it("puts the invocations that failed on this very message first, its exception as the cause", () => {
    const s = story(first.header, traces, { messageId: "m-1" });
    expect(s.invocations.map((i) => i.thisMessage)).toEqual(["failed", "failed"]);
    expect(s.invocations[0]?.exceptions.map((e) => e.message)).toEqual(["poison message: e-1"]);
    expect(s.reason).toContain("all 2 failed, the last with Error: poison message: e-1.");
  });

  it("says when the invocations failed on another message of the batch, not on this one", () => {
    const s = story(second.header, traces, { messageId: "m-2" });
    expect(s.invocations.map((i) => i.thisMessage)).toEqual(["not-failed", "not-failed"]);
    expect(s.reason).toContain(
      "but not on this message: it was returned with a batch in which another message failed (Error: poison message: e-1)",
    );
  });

  it("without a message id, or without per-record spans, it cannot tell", () => {
    expect(story(first.header, traces).invocations.map((i) => i.thisMessage)).toEqual([undefined, undefined]);
    const { published, traces: fanOut } = fanOutToThreeQueues();
    expect(
      story(published.header, fanOut, { messageId: "m-1" }).invocations.every((i) => i.thisMessage === undefined),
    ).toBe(true);
  });
});

describe("buildMessageStory: the consumers of the dead letter's queue", () => {
  it("keeps other subscribers' invocations of the same publish apart", () => {
    const { published, traces } = fanOutToThreeQueues();
    const s = story(published.header, traces, { consumers: ["billing"] });
    expect(s.invocations.map((i) => i.functionName)).toEqual(["billing"]);
    expect(s.otherDeliveries.map((i) => i.functionName)).toEqual(["inventory", "shipping"]);
    expect(s.attempts).toBe(1);
    expect(s.reason).toMatch(
      /^1 invocation of billing consumed this message; 1 failed with PaymentDeclined: card 4242 declined\./,
    );
  });

  it("says when only other subscribers' consumers were found", () => {
    const { published, traces } = fanOutToThreeQueues();
    const s = story(published.header, traces, { consumers: ["refunds"] });
    expect(s.invocations).toEqual([]);
    expect(s.otherDeliveries).toHaveLength(3);
    expect(s.reason).toBe(
      `No invocation of refunds linked to this publish was found in the 4 traces scanned ${WINDOW}; 3 invocations of other subscribers' consumers were.`,
    );
  });
});

describe("buildMessageStory: nothing to show", () => {
  const published = producer(8, T0);

  it("no header", () => {
    const s = story(undefined, fanOutToThreeQueues().traces);
    expect(s).toEqual({
      state: "no-header",
      reason:
        "The message has no AWSTraceHeader: its publish was not traced, so X-Ray cannot tell which invocations consumed it.",
      invocations: [],
      otherDeliveries: [],
      attempts: 0,
      failedAttempts: 0,
      scanned: SCANNED,
    });
  });

  it("unreadable header", () => {
    const s = story("Root=nope;Sampled=1", []);
    expect(s.state).toBe("unreadable-header");
    expect(s.reason).toBe(
      'The message\'s AWSTraceHeader "Root=nope;Sampled=1" is not an X-Ray trace header (Root=1-…;Parent=…;Sampled=…).',
    );
    expect(s.traceId).toBeUndefined();
    expect(story(`Root=${"z".repeat(300)}`, []).reason).toContain(`"Root=${"z".repeat(94)}…"`);
  });

  it("not sampled: no trace is looked at", () => {
    const { published: fanned, traces } = fanOutToThreeQueues();
    const s = story(traceHeader({ traceId: fanned.trace, parentId: fanned.snsId, sampled: false }), traces);
    expect(s.state).toBe("not-sampled");
    expect(s.reason).toBe("The publish was not sampled (Sampled=0): X-Ray recorded no trace of this message.");
    expect(s.traceId).toBe(fanned.trace);
    expect(s.invocations).toEqual([]);
    expect(s.producer).toBeUndefined();
  });

  it("not retained after 30 days by default", () => {
    const s = story(published.header, [], { now: T0 * 1000 + 31 * DAY });
    expect(s.state).toBe("not-retained");
    expect(s.reason).toBe(
      "X-Ray keeps traces 30 days and the trace started on 2026-09-21T14:13:20.000Z (31 days ago): it is no longer available.",
    );
    expect(s.traceId).toBe(published.trace);
    // Just inside the retention period the traces are still searched.
    expect(story(published.header, [], { now: T0 * 1000 + 30 * DAY }).state).toBe("not-found");
  });

  it("not retained after a shorter retention given", () => {
    const s = story(published.header, [parse(published)], { now: T0 * 1000 + 8 * DAY, retentionDays: 7 });
    expect(s.state).toBe("not-retained");
    expect(s.reason).toBe(
      "X-Ray keeps traces 7 days and the trace started on 2026-09-21T14:13:20.000Z (8 days ago): it is no longer available.",
    );
  });

  it("not found: names the window and the number of traces scanned", () => {
    const unrelated = parse(consumer(81, "billing", T0 + 1, { links: [producer(9, T0)] }));
    const s = story(published.header, [unrelated], { scanned: { ...SCANNED, traces: 250 } });
    expect(s.state).toBe("not-found");
    expect(s.producer).toEqual({ traceId: published.trace, found: false });
    expect(s.attempts).toBe(0);
    expect(s.reason).toBe(
      `Neither the producer trace ${published.trace} nor any invocation linked to it was found in the 250 traces scanned ${WINDOW}.`,
    );
  });

  it("not found: a trace started under 2 minutes ago may not be indexed yet, and a capped scan says so", () => {
    const s = story(published.header, [], {
      now: T0 * 1000 + MINUTE,
      scanned: { ...SCANNED, traces: 1000, complete: false },
    });
    expect(s.state).toBe("not-found");
    expect(s.reason).toBe(
      `Neither the producer trace ${published.trace} nor any invocation linked to it was found in the 1000 traces scanned ${WINDOW}. ` +
        "The trace started less than 2 minutes ago and may not be indexed yet: X-Ray makes traces available for retrieval after a short delay. " +
        "The scan was capped before it covered the whole window, so a linked invocation may have been missed.",
    );
  });

  it("not retained is judged from the start time in the root trace id, not from the scanned window", () => {
    const old = traceHeader({ traceId: traceId(10, T0 - 40 * 86_400), sampled: true });
    const s = story(old, []);
    expect(s.state).toBe("not-retained");
    expect(s.reason).toContain("started on 2026-08-12T14:13:20.000Z (40 days ago)");
  });
});

describe("buildMessageStory: X-Ray's link cap", () => {
  // "Each trace segment can be linked to up to 20 traces" (X-Ray Developer Guide, "Trace linking").
  const batchOf = (n: number) => {
    const published = Array.from({ length: n }, (_, i) => producer(300 + i, T0 + i * 0.01));
    const invocation = consumer(400, "inventory", T0 + 2, { links: published });
    return { published, traces: [...published, invocation].map(parse) };
  };

  it("says a batch of 20 linked messages consumed at least 20: the segment could link no more", () => {
    const { published, traces } = batchOf(20);
    const s = story(published[0]!.header, traces);
    expect(s.invocations[0]).toMatchObject({ linkedMessages: 20, linkedMessagesAtLeast: true });
  });

  it("counts a batch of 19 exactly", () => {
    const { published, traces } = batchOf(19);
    const s = story(published[0]!.header, traces);
    expect(s.invocations[0]?.linkedMessages).toBe(19);
    expect(s.invocations[0]?.linkedMessagesAtLeast).toBeUndefined();
  });
});

describe("buildMessageStory: under CloudWatch Transaction Search", () => {
  it("says the scan saw X-Ray's indexed sample, not that the trace was not recorded", () => {
    const header = traceHeader({ traceId: traceId(77, T0), parentId: id("5", 77), sampled: true });
    const s = story(header, [], { transactionSearch: true });
    expect(s.state).toBe("not-found");
    expect(s.reason).toContain("was not found in the Transaction Search log group nor in X-Ray");
    expect(s.reason).toContain("indexed sample (1 % of spans by default)");
    expect(s.reason).not.toMatch(/not recorded|not indexed yet|retention/);
  });

  it("adds the sampled scan to a story whose publish was found without consumers", () => {
    const published = producer(78, T0);
    const s = story(published.header, [parse(published)], { transactionSearch: true });
    expect(s.state).toBe("found");
    expect(s.reason).toContain("no invocation linked to it was found");
    expect(s.reason).toContain("This account uses CloudWatch Transaction Search");
  });

  it("points to the log group for a trace past X-Ray's retention", () => {
    const header = traceHeader({ traceId: traceId(79, T0 - 40 * 86_400), parentId: id("5", 79), sampled: true });
    const s = story(header, [], { transactionSearch: true });
    expect(s.state).toBe("not-retained");
    expect(s.reason).toContain("the spans may still be in the aws/spans log group");
  });
});

describe("tracedRecords", () => {
  it("tallies each function's batch records and the failures it reported, leaving out invocations that threw", () => {
    const published = producer(400, T0);
    const second = producer(401, T0 + 0.1);
    const links = [published, second];
    const traces = [
      consumer(410, "payment", T0 + 1, { links, batchItemFailures: 1 }),
      consumer(411, "payment", T0 + 2, { links, batchItemFailures: 0 }),
      consumer(412, "payment", T0 + 3, { links, error: { type: "Boom", message: "whole batch" } }),
      // No batch metadata: the trace says nothing of its records.
      consumer(413, "inventory", T0 + 4, { links }),
      published,
    ].map(parse);
    expect(tracedRecords(traces)).toEqual(new Map([["payment", { invocations: 2, records: 4, failed: 1 }]]));
  });
});
