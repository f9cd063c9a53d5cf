import { describe, expect, it } from "vitest";
import {
  MAX_LINKS_PER_SEGMENT,
  MAX_STACK_FRAMES,
  consumerTrace,
  linksFromHeaders,
  newSegmentId,
  newTraceId,
  parseTraceHeader,
  producerTrace,
  stackFrames,
  traceHeader,
  type Rand,
  type SegmentDocument,
  type Subsegment,
} from "./trace-segments";

/** A small linear congruential generator: the same seed gives the same sequence. */
function seeded(seed: number): Rand {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Gives the hex digits 0, 1, 2 … f, 0, 1 … in turn. */
function counting(): Rand {
  let i = 0;
  return () => (i++ % 16) / 16;
}

const T0 = Date.UTC(2026, 10, 28, 7, 41, 0, 250); // epoch ms
const TOPIC = "arn:aws:sns:eu-west-1:123456789012:orders";
const FN_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:billing-consumer";
const traceIdFor = (seed: number) => newTraceId(Math.floor(T0 / 1000), seeded(seed));

const HEX16 = /^[0-9a-f]{16}$/;
const TRACE = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;

type Node = SegmentDocument | Subsegment;

/** Every document and subsegment, each with its parent's times. */
function walk(segments: SegmentDocument[]): Array<{ node: Node; parent?: Node }> {
  const out: Array<{ node: Node; parent?: Node }> = [];
  const visit = (node: Node, parent?: Node) => {
    out.push({ node, parent });
    for (const sub of node.subsegments ?? []) visit(sub, node);
  };
  for (const s of segments) visit(s);
  return out;
}

function expectWellFormed(segments: SegmentDocument[], traceId: string) {
  for (const s of segments) {
    expect(s.id).toMatch(HEX16);
    expect(s.trace_id).toBe(traceId);
    expect(s.name.length).toBeGreaterThan(0);
    expect(typeof s.start_time).toBe("number");
    expect(typeof s.end_time).toBe("number");
  }
  const ids = new Set<string>();
  for (const { node, parent } of walk(segments)) {
    expect(node.id).toMatch(HEX16);
    expect(ids.has(node.id)).toBe(false);
    ids.add(node.id);
    expect(node.name.length).toBeGreaterThan(0);
    expect("in_progress" in node).toBe(false);
    expect(node.start_time).toBeLessThanOrEqual(node.end_time);
    // Seconds with at most millisecond fractions.
    for (const t of [node.start_time, node.end_time])
      expect(Math.abs(t * 1000 - Math.round(t * 1000))).toBeLessThan(1e-3);
    if (parent) {
      expect(node.start_time).toBeGreaterThanOrEqual(parent.start_time);
      expect(node.end_time).toBeLessThanOrEqual(parent.end_time);
    }
  }
  for (const s of segments) {
    if (s.parent_id !== undefined) expect(segments.some((other) => other.id === s.parent_id)).toBe(true);
  }
}

describe("ids", () => {
  it("puts the epoch seconds in the trace id's middle part, as the guide's example does", () => {
    expect(newTraceId(1480615200, counting())).toBe("1-58406520-0123456789abcdef01234567");
  });

  it("makes 16-hex-digit segment ids from the random source", () => {
    expect(newSegmentId(counting())).toBe("0123456789abcdef");
    expect(newSegmentId(() => 0.999999)).toBe("ffffffffffffffff");
  });

  it("is deterministic for a seeded random source", () => {
    const a = seeded(42);
    const b = seeded(42);
    const fromA = [newTraceId(1_780_000_000, a), newSegmentId(a), newSegmentId(a)];
    const fromB = [newTraceId(1_780_000_000, b), newSegmentId(b), newSegmentId(b)];
    expect(fromA).toEqual(fromB);
    expect(fromA[0]).toMatch(TRACE);
    expect(fromA[1]).toMatch(HEX16);
    expect(fromA[1]).not.toBe(fromA[2]);
    expect(newSegmentId(seeded(43))).not.toBe(newSegmentId(seeded(42)));
  });

  it("floors fractional seconds and pads small ones to 8 digits", () => {
    expect(newTraceId(255.9, counting()).slice(0, 11)).toBe("1-000000ff-");
  });

  it.each([Number.NaN, 1, -0.1])("refuses a random source returning %s", (bad) => {
    expect(() => newSegmentId(() => bad)).toThrow(/\[0, 1\)/);
  });

  it("refuses epoch seconds that do not fit 8 hex digits", () => {
    expect(() => newTraceId(2 ** 32, counting())).toThrow(RangeError);
    expect(() => newTraceId(-5, counting())).toThrow(RangeError);
  });
});

describe("trace header", () => {
  const root = "1-5759e988-bd862e3fe1be46a994272793";
  const parent = "53995c3f42cd8ad8";

  it("writes Root, Parent and Sampled", () => {
    expect(traceHeader({ traceId: root, parentId: parent, sampled: true })).toBe(
      `Root=${root};Parent=${parent};Sampled=1`,
    );
    expect(traceHeader({ traceId: root, sampled: false })).toBe(`Root=${root};Sampled=0`);
  });

  it.each([
    [
      { traceId: root, parentId: parent, sampled: true },
      { root, parent, sampled: true },
    ],
    [
      { traceId: root, parentId: parent, sampled: false },
      { root, parent, sampled: false },
    ],
    [
      { traceId: root, sampled: true },
      { root, sampled: true },
    ],
  ])("round-trips %j", (fields, parsed) => {
    expect(parseTraceHeader(traceHeader(fields))).toEqual(parsed);
  });

  it.each<[string, ReturnType<typeof parseTraceHeader>]>([
    [`Root=${root}`, { root }],
    [`Root=${root};Parent=${parent};Sampled=?`, { root, parent }],
    [` root=${root} ; parent=${parent} ; sampled=1 ;`, { root, parent, sampled: true }],
    [
      `Self=1-5983f5c9-36d365bc453d28036a63032b;Root=${root};Parent=${parent};Sampled=1\n`,
      { root, parent, sampled: true },
    ],
    [
      `Root=1-632BB806-bd862e3fe1be46a994272793;Sampled=1;Lineage=a87bd80c:1|68fd508a:5`,
      { root: "1-632BB806-bd862e3fe1be46a994272793", sampled: true },
    ],
  ])("reads %j", (text, parsed) => {
    expect(parseTraceHeader(text)).toEqual(parsed);
  });

  it.each([
    "",
    "garbage",
    "Sampled=1",
    `Parent=${parent};Sampled=1`,
    "Root=1-5759e988-bd862e3f",
    "Root=2-5759e988-bd862e3fe1be46a994272793",
    `Root=${root};Parent=xyz`,
    `Root=${root};Sampled=yes`,
    `Root=${root};junk`,
    `=${root}`,
  ])("gives undefined for %j", (text) => {
    expect(parseTraceHeader(text)).toBeUndefined();
  });

  it("refuses to write a malformed id", () => {
    expect(() => traceHeader({ traceId: "1-abc", sampled: true })).toThrow(/trace id/);
    expect(() => traceHeader({ traceId: root, parentId: "short", sampled: true })).toThrow(/segment id/);
  });
});

describe("producerTrace", () => {
  const base = {
    rand: seeded(7),
    service: "storefront",
    start: T0,
    end: T0 + 84,
    topicArn: TOPIC,
    region: "eu-west-1",
    operation: "Publish" as const,
  };

  it("carries the application's annotations on its segment", () => {
    const { segments } = producerTrace({
      ...base,
      traceId: traceIdFor(3),
      annotations: { order_id: "o-1", event_type: "OrderPlaced" },
    });
    expect(segments[0]?.annotations).toEqual({ order_id: "o-1", event_type: "OrderPlaced" });
  });

  it("sends a header whose parent is the SNS subsegment", () => {
    const traceId = traceIdFor(1);
    const { segments, header } = producerTrace({ ...base, traceId });
    const sns = segments[0]?.subsegments?.[0];
    expect(sns?.name).toBe("SNS");
    expect(header).toBe(`Root=${traceId};Parent=${sns?.id};Sampled=1`);
    expect(parseTraceHeader(header)).toEqual({ root: traceId, parent: sns?.id, sampled: true });
  });

  it("has AWS's shape: an application segment without origin, an aws-namespace SNS subsegment", () => {
    const traceId = traceIdFor(2);
    const { segments } = producerTrace({ ...base, traceId, messageId: "m-1", requestId: "req-1" });
    expect(segments).toHaveLength(1);
    const [segment] = segments;
    expect(segment).toMatchObject({
      trace_id: traceId,
      name: "storefront",
      start_time: 1795851660.25,
      end_time: 1795851660.334,
    });
    expect(segment && "origin" in segment).toBe(false);
    expect(segment?.fault).toBeUndefined();
    expect(segment?.subsegments).toEqual([
      {
        id: expect.stringMatching(HEX16),
        name: "SNS",
        start_time: 1795851660.25,
        end_time: 1795851660.334,
        namespace: "aws",
        http: { response: { status: 200 } },
        aws: { operation: "Publish", region: "eu-west-1", topic_arn: TOPIC, request_id: "req-1", message_id: "m-1" },
      },
    ]);
    expectWellFormed(segments, traceId);
  });

  it("keeps the SNS call inside the application's span", () => {
    const traceId = traceIdFor(3);
    const { segments } = producerTrace({ ...base, traceId, publishStart: T0 - 50, publishEnd: T0 + 500 });
    expect(segments[0]?.subsegments?.[0]).toMatchObject({ start_time: 1795851660.25, end_time: 1795851660.334 });
    const inner = producerTrace({ ...base, traceId, publishStart: T0 + 10, publishEnd: T0 + 40 });
    expect(inner.segments[0]?.subsegments?.[0]).toMatchObject({ start_time: 1795851660.26, end_time: 1795851660.29 });
    expectWellFormed(inner.segments, traceId);
  });

  it.each<[number | undefined, Record<string, boolean>]>([
    [undefined, { fault: true }],
    [503, { fault: true }],
    [400, { error: true }],
    [429, { error: true, throttle: true }],
  ])("records a failed publish with status %s as %j on the SNS subsegment", (status, flags) => {
    const traceId = traceIdFor(4);
    const { segments } = producerTrace({
      ...base,
      traceId,
      error: {
        message: "Topic does not exist",
        type: "NotFoundException",
        ...(status === undefined ? {} : { status }),
      },
    });
    const [segment] = segments;
    const sns = segment?.subsegments?.[0];
    expect(sns).toMatchObject({ ...flags, http: { response: { status: status ?? 500 } } });
    expect(sns?.cause).toEqual({
      working_directory: "/",
      exceptions: [
        { id: expect.stringMatching(HEX16), message: "Topic does not exist", type: "NotFoundException", remote: true },
      ],
    });
    expect(segment?.fault).toBe(true);
    expect(segment?.cause).toMatchObject({
      exceptions: [{ message: "Topic does not exist", type: "NotFoundException" }],
    });
    expectWellFormed(segments, traceId);
  });

  it("refuses seconds where milliseconds are expected, and an end before the start", () => {
    const traceId = traceIdFor(5);
    expect(() => producerTrace({ ...base, traceId, start: T0 / 1000, end: T0 / 1000 + 1 })).toThrow(/milliseconds/);
    expect(() => producerTrace({ ...base, traceId, start: T0, end: T0 - 1 })).toThrow(/before/);
    expect(() => producerTrace({ ...base, traceId: "1-nope" })).toThrow(/trace id/);
  });
});

describe("consumerTrace", () => {
  const producers = [11, 12, 13].map((seed) =>
    producerTrace({
      traceId: traceIdFor(seed),
      rand: seeded(seed),
      service: "storefront",
      start: T0 - 2_000,
      end: T0 - 1_900,
      topicArn: TOPIC,
      region: "eu-west-1",
    }),
  );
  const headers = producers.map((p) => p.header);
  const base = {
    rand: seeded(99),
    functionName: "billing-consumer",
    functionArn: FN_ARN,
    region: "eu-west-1",
    start: T0,
    end: T0 + 420,
    linkedTraceHeaders: headers,
    requestId: "c6af9ac6-7b61-11e6-9a41-93e812345678",
  };

  it("records each record the handler caught an error for as a faulted subsegment of Invocation, annotated with its message id", () => {
    const traceId = traceIdFor(30);
    const [, fn] = consumerTrace({
      ...base,
      traceId,
      batchItemFailures: 1,
      recordFailures: [
        {
          messageId: "m-7",
          at: T0 + 100,
          error: { message: "poison message: e-7", type: "Error", stack: ["at process (/var/task/process.js:30:11)"] },
        },
      ],
    });
    const invocation = fn?.subsegments?.find((s) => s.name === "Invocation");
    expect(invocation?.fault).toBeUndefined();
    expect(invocation?.subsegments).toEqual([
      expect.objectContaining({
        name: "process record",
        start_time: (T0 + 100) / 1000,
        end_time: (T0 + 100) / 1000,
        fault: true,
        annotations: { message_id: "m-7" },
      }),
    ]);
    expect(invocation?.subsegments?.[0]?.cause).toMatchObject({
      working_directory: "/var/task",
      exceptions: [
        { type: "Error", message: "poison message: e-7", stack: [{ path: "process.js", line: 30, label: "process" }] },
      ],
    });
  });

  it("links the service segment to each of the batch's 3 producer traces", () => {
    const traceId = traceIdFor(20);
    const [service, fn] = consumerTrace({ ...base, traceId });
    expect(service?.links).toEqual(
      producers.map((p) => ({
        trace_id: p.segments[0]?.trace_id,
        id: p.segments[0]?.subsegments?.[0]?.id,
        attributes: { "aws.xray.reserved.reference_type": "parent" },
      })),
    );
    expect(fn?.links).toBeUndefined();
  });

  it("emits the AWS::Lambda service segment and its AWS::Lambda::Function child", () => {
    const traceId = traceIdFor(21);
    const segments = consumerTrace({ ...base, traceId });
    expect(segments).toHaveLength(2);
    const [service, fn] = segments;
    expect(service).toMatchObject({
      trace_id: traceId,
      name: "billing-consumer",
      origin: "AWS::Lambda",
      resource_arn: FN_ARN,
      start_time: 1795851660.25,
      end_time: 1795851660.67,
      http: { response: { status: 200 } },
      aws: { request_id: "c6af9ac6-7b61-11e6-9a41-93e812345678" },
    });
    expect(service?.parent_id).toBeUndefined();
    expect(fn).toMatchObject({
      trace_id: traceId,
      name: "billing-consumer",
      origin: "AWS::Lambda::Function",
      parent_id: service?.id,
      aws: { function_arn: FN_ARN, resource_names: ["billing-consumer"], account_id: "123456789012" },
    });
    expect(fn?.subsegments?.map((s) => s.name)).toEqual(["Invocation"]);
    for (const s of segments) expect(s.fault).toBeUndefined();
    expectWellFormed(segments, traceId);
  });

  it("makes a request id when none is given", () => {
    const [service] = consumerTrace({ ...base, traceId: traceIdFor(22), requestId: undefined });
    expect(service?.aws?.request_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("records a thrown handler error as a fault with its exception on Invocation and the function segment", () => {
    const traceId = traceIdFor(23);
    const segments = consumerTrace({
      ...base,
      traceId,
      error: {
        message: "card declined",
        type: "PaymentError",
        stack: [
          "PaymentError: card declined",
          "    at charge (/var/task/billing.js:41:11)",
          "    at async Runtime.handler (/var/task/index.js:12:5)",
        ],
      },
    });
    const [service, fn] = segments;
    const invocation = fn?.subsegments?.find((s) => s.name === "Invocation");
    const exception = {
      id: expect.stringMatching(HEX16),
      message: "card declined",
      type: "PaymentError",
      stack: [
        { path: "billing.js", line: 41, label: "charge" },
        { path: "index.js", line: 12, label: "Runtime.handler" },
      ],
    };
    expect(service?.fault).toBe(true);
    expect(fn?.fault).toBe(true);
    expect(invocation?.fault).toBe(true);
    expect(invocation?.cause).toEqual({ working_directory: "/var/task", exceptions: [exception] });
    expect(fn?.cause).toEqual({ working_directory: "/var/task", exceptions: [exception] });
    const ids = [invocation?.cause, fn?.cause].map((c) => (typeof c === "object" ? c.exceptions[0]?.id : c));
    expect(ids[0]).not.toBe(ids[1]);
    expect(service?.http).toEqual({ response: { status: 200 } });
    expectWellFormed(segments, traceId);
  });

  it("treats a batch with partial failures as a successful invocation", () => {
    const traceId = traceIdFor(24);
    const segments = consumerTrace({ ...base, traceId, batchItemFailures: 2 });
    for (const { node } of walk(segments)) {
      expect(node.fault).toBeUndefined();
      expect(node.error).toBeUndefined();
      expect(node.cause).toBeUndefined();
    }
    const invocation = segments[1]?.subsegments?.find((s) => s.name === "Invocation");
    expect(invocation?.metadata).toEqual({ batch: { size: 3, batch_item_failures: 2 } });
    expectWellFormed(segments, traceId);
  });

  it("adds an Initialization subsegment before Invocation on a cold start", () => {
    const traceId = traceIdFor(25);
    const segments = consumerTrace({ ...base, traceId, coldStart: true, initDurationMs: 180 });
    expect(segments[1]?.subsegments?.map((s) => [s.name, s.start_time, s.end_time])).toEqual([
      ["Initialization", 1795851660.25, 1795851660.43],
      ["Invocation", 1795851660.43, 1795851660.67],
    ]);
    expectWellFormed(segments, traceId);
    const tooLong = consumerTrace({ ...base, traceId, coldStart: true, initDurationMs: 10_000 });
    expectWellFormed(tooLong, traceId);
  });

  it("links each distinct sampled producer once and skips headers it cannot link", () => {
    const [first, second] = headers;
    const unsampled = producerTrace({
      traceId: traceIdFor(30),
      rand: seeded(30),
      service: "storefront",
      start: T0,
      end: T0 + 1,
      topicArn: TOPIC,
      region: "eu-west-1",
    }).header.replace("Sampled=1", "Sampled=0");
    const links = linksFromHeaders([
      first,
      first,
      undefined,
      "garbage",
      unsampled,
      `Root=${traceIdFor(31)};Sampled=1`,
      second,
    ]);
    expect(links.map((l) => l.trace_id)).toEqual([
      parseTraceHeader(first ?? "")?.root,
      parseTraceHeader(second ?? "")?.root,
    ]);
    const [service] = consumerTrace({ ...base, traceId: traceIdFor(32), linkedTraceHeaders: [undefined, "garbage"] });
    expect(service?.links).toBeUndefined();
  });

  it(`links at most ${MAX_LINKS_PER_SEGMENT} traces from one segment`, () => {
    const many = Array.from({ length: 25 }, (_, i) =>
      traceHeader({ traceId: traceIdFor(100 + i), parentId: newSegmentId(seeded(i)), sampled: true }),
    );
    const [service] = consumerTrace({ ...base, traceId: traceIdFor(33), linkedTraceHeaders: many });
    expect(service?.links).toHaveLength(MAX_LINKS_PER_SEGMENT);
    expect(service?.links?.[0]?.trace_id).toBe(traceIdFor(100));
  });

  it("gives the same documents for the same seed", () => {
    const traceId = traceIdFor(40);
    const one = consumerTrace({ ...base, traceId, rand: seeded(5), requestId: undefined });
    const two = consumerTrace({ ...base, traceId, rand: seeded(5), requestId: undefined });
    expect(one).toEqual(two);
  });
});

describe("stackFrames", () => {
  it("reads V8 frames, skips the header line, and makes paths relative to the working directory", () => {
    const frames = stackFrames(
      [
        "TypeError: x is not a function",
        "    at Object.handler (/var/task/src/index.mjs:3:9)",
        "    at file:///var/task/lib/util.mjs:10:2",
        "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
        "    at <anonymous>",
        "",
      ],
      { message: "x is not a function", type: "TypeError" },
      "/var/task",
    );
    expect(frames).toEqual([
      { path: "src/index.mjs", line: 3, label: "Object.handler" },
      { path: "lib/util.mjs", line: 10 },
      { path: "node:internal/process/task_queues", line: 95, label: "process.processTicksAndRejections" },
      { label: "<anonymous>" },
    ]);
  });

  it(`keeps ${MAX_STACK_FRAMES} frames and counts the rest as truncated`, () => {
    const stack = Array.from({ length: 60 }, (_, i) => `    at f${i} (/var/task/deep.js:${i + 1}:1)`);
    const [, fn] = consumerTrace({
      traceId: traceIdFor(50),
      rand: seeded(50),
      functionName: "deep",
      functionArn: FN_ARN,
      region: "eu-west-1",
      start: T0,
      end: T0 + 1,
      linkedTraceHeaders: [],
      error: { message: "too deep", type: "RangeError", stack },
    });
    const cause = fn?.cause;
    const exception = typeof cause === "object" ? cause.exceptions[0] : undefined;
    expect(exception?.stack).toHaveLength(MAX_STACK_FRAMES);
    expect(exception?.truncated).toBe(10);
  });
});
