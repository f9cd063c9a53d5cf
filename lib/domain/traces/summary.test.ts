import { describe, expect, it } from "vitest";
import { parseTrace } from "./parse";
import {
  filterExpression,
  fromAwsSummary,
  matchesCriteria,
  summarizeTrace,
  type AwsTraceSummary,
  type TraceListItem,
} from "./summary";
import {
  batchOfTen,
  fanOutToThreeQueues,
  fnArn,
  T0,
  topicArn,
  traceId,
  traceOf,
  appTrace,
} from "../../../test/fixtures/traces";

describe("summarizeTrace", () => {
  it("summarizes the failing billing consumer", () => {
    const { traces } = fanOutToThreeQueues();
    const item = summarizeTrace(traces[2]!);
    expect(item).toEqual({
      id: traces[2]!.id,
      start: T0 * 1000 + 1200,
      durationMs: 200,
      status: "fault",
      entry: { name: "billing", origin: "AWS::Lambda" },
      services: ["billing"],
      resources: [{ kind: "function", name: "billing", arn: fnArn("billing") }],
      annotations: {},
      // The service segment, the function segment and Invocation each carry the fault flag.
      counts: { errors: 0, faults: 3, throttles: 0 },
      linkedTraceIds: [traces[0]!.id],
      inProgress: false,
    });
  });

  it("summarizes the producer with its topic and no entry origin", () => {
    const { traces } = fanOutToThreeQueues();
    const item = summarizeTrace(traces[0]!);
    expect(item.status).toBe("ok");
    expect(item.entry).toEqual({ name: "storefront" });
    expect(item.services).toEqual(["storefront"]);
    expect(item.resources).toEqual([{ kind: "topic", name: "orders", arn: topicArn("orders") }]);
    expect(item.linkedTraceIds).toEqual([]);
    expect(item.counts).toEqual({ errors: 0, faults: 0, throttles: 0 });
  });

  it("sorts resources by kind then name", () => {
    const { traces } = fanOutToThreeQueues();
    expect(summarizeTrace(traces[3]!).resources.map((r) => [r.kind, r.name])).toEqual([
      ["function", "shipping"],
      ["queue", "shipping-events"],
    ]);
  });

  it("links a batch consumer to the ten producer traces", () => {
    const { published, traces } = batchOfTen();
    const item = summarizeTrace(traces[10]!);
    expect(item.linkedTraceIds).toHaveLength(10);
    expect(new Set(item.linkedTraceIds)).toEqual(new Set(published.map((p) => p.trace)));
  });

  it("reads the flags of subsegments too, not only of top-level segments", () => {
    const item = summarizeTrace(
      appTrace({
        subsegments: [{ id: "c000000000000001", name: "db", start_time: 1, end_time: 1.5, fault: true }],
      }),
    );
    expect(item.status).toBe("fault");
    expect(item.counts).toEqual({ errors: 0, faults: 1, throttles: 0 });
  });

  it("merges annotations with the first seen winning, and notices a span in progress", () => {
    const t = traceId(1);
    const item = summarizeTrace(
      traceOf(1, [
        {
          id: "a000000000000001",
          name: "app",
          start_time: 1,
          end_time: 2,
          annotations: { order_id: "o-1", retries: 0 },
          subsegments: [
            { id: "c000000000000001", name: "db", start_time: 1, annotations: { order_id: "o-2", vip: true } },
          ],
        },
        {
          id: "a000000000000002",
          name: "api",
          start_time: 0.5,
          end_time: 2,
          links: [{ trace_id: t, id: "a000000000000001" }],
        },
      ]),
    );
    expect(item.annotations).toEqual({ order_id: "o-1", retries: 0, vip: true });
    expect(item.inProgress).toBe(true);
    // Both segments are roots; the earlier one is the entry. A link to the trace itself is no linked trace.
    expect(item.entry).toEqual({ name: "api" });
    expect(item.services).toEqual(["api", "app"]);
    expect(item.linkedTraceIds).toEqual([]);
    expect(item.durationMs).toBe(1500);
  });

  it("takes the start from the trace id when nothing could be read", () => {
    const t = traceId(1, T0 + 7);
    const item = summarizeTrace(parseTrace(t, ["{not json"]));
    expect(item).toMatchObject({ start: (T0 + 7) * 1000, durationMs: null, status: "ok", services: [], resources: [] });
    expect(item.entry).toBeUndefined();
  });
});

const base: TraceListItem = {
  id: traceId(1),
  start: T0 * 1000,
  durationMs: 200,
  status: "ok",
  entry: { name: "billing", origin: "AWS::Lambda" },
  services: ["billing"],
  resources: [
    { kind: "function", name: "billing", arn: fnArn("billing") },
    { kind: "queue", name: "orders-queue" },
  ],
  annotations: { order_id: "42", amount: 42, vip: true },
  counts: { errors: 0, faults: 0, throttles: 0 },
  linkedTraceIds: [],
  inProgress: false,
};
const item = (overrides: Partial<TraceListItem> = {}): TraceListItem => ({ ...base, ...overrides });

describe("matchesCriteria", () => {
  it("matches everything without criteria", () => {
    expect(matchesCriteria(item(), {})).toBe(true);
  });

  it("matches a service name, resource name or ARN exactly and without regard to case", () => {
    expect(matchesCriteria(item(), { service: "BILLING" })).toBe(true);
    expect(matchesCriteria(item(), { service: "orders-queue" })).toBe(true);
    expect(matchesCriteria(item(), { service: fnArn("billing").toUpperCase() })).toBe(true);
    expect(matchesCriteria(item(), { service: "bill" })).toBe(false);
    expect(matchesCriteria(item(), { service: "shipping" })).toBe(false);
  });

  it("matches a queue through its consumers when they are given as other names for it", () => {
    expect(matchesCriteria(item(), { service: "payments-queue", alsoServices: ["Billing"] })).toBe(true);
    expect(matchesCriteria(item(), { service: "payments-queue", alsoServices: ["refunds"] })).toBe(false);
  });

  it("matches the fixtures' resources by name", () => {
    const { traces } = fanOutToThreeQueues();
    const shipping = summarizeTrace(traces[3]!);
    expect(matchesCriteria(shipping, { service: "shipping-events" })).toBe(true);
    expect(matchesCriteria(summarizeTrace(traces[0]!), { service: topicArn("orders") })).toBe(true);
    expect(matchesCriteria(summarizeTrace(traces[0]!), { service: "shipping-events" })).toBe(false);
  });

  it("follows X-Ray's status keywords", () => {
    const throttled = item({ status: "throttle", counts: { errors: 0, faults: 0, throttles: 1 } });
    const faulted = item({ status: "fault", counts: { errors: 1, faults: 1, throttles: 0 } });
    const errored = item({ status: "error", counts: { errors: 1, faults: 0, throttles: 0 } });
    expect(matchesCriteria(item(), { status: "ok" })).toBe(true);
    expect(matchesCriteria(errored, { status: "ok" })).toBe(false);
    // A throttle is also an error ("Errors and exceptions").
    expect(matchesCriteria(throttled, { status: "error" })).toBe(true);
    expect(matchesCriteria(faulted, { status: "error" })).toBe(true);
    expect(matchesCriteria(item(), { status: "error" })).toBe(false);
    expect(matchesCriteria(errored, { status: "fault" })).toBe(false);
    expect(matchesCriteria(faulted, { status: "fault" })).toBe(true);
    expect(matchesCriteria(throttled, { status: "throttle" })).toBe(true);
    expect(matchesCriteria(faulted, { status: "throttle" })).toBe(false);
    expect(matchesCriteria(errored, { status: "failed" })).toBe(true);
    expect(matchesCriteria(item(), { status: "failed" })).toBe(false);
  });

  it("compares the minimum duration inclusively and never matches a trace in progress", () => {
    expect(matchesCriteria(item(), { minDurationMs: 200 })).toBe(true);
    expect(matchesCriteria(item(), { minDurationMs: 201 })).toBe(false);
    expect(matchesCriteria(item({ inProgress: true, durationMs: 5000 }), { minDurationMs: 100 })).toBe(false);
    expect(matchesCriteria(item({ inProgress: true, durationMs: null }), { minDurationMs: 0 })).toBe(false);
    expect(matchesCriteria(item({ inProgress: true, durationMs: null }), {})).toBe(true);
  });

  it("takes from inclusively and to exclusively", () => {
    const { start } = base;
    expect(matchesCriteria(item(), { from: start })).toBe(true);
    expect(matchesCriteria(item(), { from: start + 1 })).toBe(false);
    expect(matchesCriteria(item(), { to: start })).toBe(false);
    expect(matchesCriteria(item(), { to: start + 1 })).toBe(true);
    expect(matchesCriteria(item(), { from: start, to: start + 1 })).toBe(true);
  });

  it("compares annotation values as text and only own keys", () => {
    expect(matchesCriteria(item(), { annotation: { key: "order_id", value: "42" } })).toBe(true);
    expect(matchesCriteria(item(), { annotation: { key: "amount", value: "42" } })).toBe(true);
    expect(matchesCriteria(item(), { annotation: { key: "vip", value: "true" } })).toBe(true);
    expect(matchesCriteria(item(), { annotation: { key: "vip", value: "false" } })).toBe(false);
    expect(matchesCriteria(item(), { annotation: { key: "missing", value: "undefined" } })).toBe(false);
    expect(matchesCriteria(item(), { annotation: { key: "constructor", value: String(Object) } })).toBe(false);
  });

  it("requires all criteria at once", () => {
    expect(matchesCriteria(item(), { service: "billing", status: "ok", minDurationMs: 100 })).toBe(true);
    expect(matchesCriteria(item(), { service: "billing", status: "failed", minDurationMs: 100 })).toBe(false);
  });
});

describe("filterExpression", () => {
  it("is undefined when there is nothing to filter", () => {
    expect(filterExpression({})).toBeUndefined();
    expect(filterExpression({ service: "  " })).toBeUndefined();
  });

  it("asks for any of a queue's consumers", () => {
    expect(filterExpression({ service: "payments-queue", alsoServices: ["billing"], status: "fault" })).toBe(
      '(service("payments-queue") OR service("billing")) AND fault',
    );
  });

  it("writes each criterion in X-Ray's syntax, joined with AND", () => {
    expect(filterExpression({ service: "billing" })).toBe('service("billing")');
    expect(filterExpression({ status: "ok" })).toBe("ok");
    expect(filterExpression({ status: "error" })).toBe("error");
    expect(filterExpression({ status: "fault" })).toBe("fault");
    expect(filterExpression({ status: "throttle" })).toBe("throttle");
    expect(filterExpression({ status: "failed" })).toBe("!ok");
    expect(
      filterExpression({
        service: "billing",
        status: "failed",
        minDurationMs: 1500,
        annotation: { key: "order_id", value: "42" },
      }),
    ).toBe('service("billing") AND !ok AND duration >= 1.5 AND annotation.order_id = "42"');
  });

  it("writes durations in seconds without trailing zeros", () => {
    expect(filterExpression({ minDurationMs: 2000 })).toBe("duration >= 2");
    expect(filterExpression({ minDurationMs: 250 })).toBe("duration >= 0.25");
    expect(filterExpression({ minDurationMs: 10_000 })).toBe("duration >= 10");
    expect(filterExpression({ minDurationMs: 0 })).toBe("duration >= 0");
    expect(filterExpression({ minDurationMs: 0.5 })).toBe("duration >= 0.0005");
    expect(() => filterExpression({ minDurationMs: -1 })).toThrow(RangeError);
    expect(() => filterExpression({ minDurationMs: Number.NaN })).toThrow(RangeError);
  });

  it("escapes quotes and backslashes in string literals", () => {
    expect(filterExpression({ service: 'my "svc"\\x' })).toBe('service("my \\"svc\\"\\\\x")');
    expect(filterExpression({ annotation: { key: "note", value: 'say "hi"' } })).toBe(
      'annotation.note = "say \\"hi\\""',
    );
  });

  it("refuses an annotation key X-Ray could not have recorded", () => {
    expect(() => filterExpression({ annotation: { key: "order-id", value: "1" } })).toThrow(RangeError);
    expect(() => filterExpression({ annotation: { key: "order-id", value: "1" } })).toThrow(/order-id/);
    expect(() => filterExpression({ annotation: { key: 'x = "1" OR ok', value: "1" } })).toThrow(RangeError);
  });
});

describe("fromAwsSummary", () => {
  const id = traceId(5, T0 + 3);
  const summary: AwsTraceSummary = {
    Id: id,
    Duration: 1.234,
    HasError: true,
    HasFault: true,
    HasThrottle: false,
    IsPartial: true,
    EntryPoint: { Name: "billing", Type: "AWS::Lambda::Function" },
    ServiceIds: [
      { Name: "storefront", Type: "client" },
      { Name: "billing", Names: ["billing", "billing-alias"], Type: "AWS::Lambda::Function" },
      {},
    ],
    ResourceARNs: [
      { ARN: topicArn("orders") },
      { ARN: "arn:aws:sqs:us-east-1:123456789012:orders-queue" },
      { ARN: `${fnArn("billing")}:live` },
      { ARN: fnArn("billing") },
      { ARN: "arn:aws:dynamodb:us-east-1:123456789012:table/orders" },
      { ARN: "not an arn" },
      {},
    ],
    Annotations: {
      order_id: [{ AnnotationValue: { StringValue: "42" } }, { AnnotationValue: { StringValue: "43" } }],
      retries: [{ AnnotationValue: { NumberValue: 2 } }],
      failures: [{ AnnotationValue: { NumberValue: 0 } }],
      vip: [{}, { AnnotationValue: { BooleanValue: false } }],
      empty: [],
    },
  };

  it("maps an endpoint's summary onto a list item", () => {
    expect(fromAwsSummary(summary)).toEqual({
      id,
      start: (T0 + 3) * 1000,
      durationMs: 1234,
      status: "fault",
      entry: { name: "billing", origin: "AWS::Lambda::Function" },
      services: ["billing", "billing-alias", "storefront"],
      resources: [
        { kind: "function", name: "billing", arn: fnArn("billing") },
        { kind: "queue", name: "orders-queue", arn: "arn:aws:sqs:us-east-1:123456789012:orders-queue" },
        { kind: "topic", name: "orders", arn: topicArn("orders") },
      ],
      annotations: { order_id: "42", retries: 2, failures: 0, vip: false },
      counts: { errors: 1, faults: 1, throttles: 0 },
      linkedTraceIds: [],
      inProgress: true,
    });
  });

  it("prefers StartTime and reads a summary without the optional fields", () => {
    const at = new Date(Date.UTC(2026, 8, 21, 12, 0, 0, 250));
    expect(fromAwsSummary({ Id: id, StartTime: at })).toEqual({
      id,
      start: at.getTime(),
      durationMs: null,
      status: "ok",
      services: [],
      resources: [],
      annotations: {},
      counts: { errors: 0, faults: 0, throttles: 0 },
      linkedTraceIds: [],
      inProgress: false,
    });
    expect(fromAwsSummary({ Id: id, HasThrottle: true, HasError: true })?.status).toBe("throttle");
  });

  it("gives nothing without an Id", () => {
    expect(fromAwsSummary({ ...summary, Id: undefined })).toBeUndefined();
    expect(fromAwsSummary({ ...summary, Id: "" })).toBeUndefined();
  });

  it("feeds matchesCriteria like a summarized trace", () => {
    const listed = fromAwsSummary(summary)!;
    expect(matchesCriteria(listed, { service: "orders-queue", status: "fault" })).toBe(true);
    expect(matchesCriteria(listed, { minDurationMs: 1000 })).toBe(false);
  });
});
