import { describe, expect, it } from "vitest";
import { allSpans, parseTrace } from "./parse";
import { exceptionsById, exceptionsOf, resourceOf, statusOf } from "./spans";
import { fanOutToThreeQueues, fnArn, topicArn, traceId, traceOf } from "../../../test/fixtures/traces";

describe("parseTrace", () => {
  it("reads segments, subsegments, links, causes and AWS data", () => {
    const { traces } = fanOutToThreeQueues();
    const billing = traces[2]!;
    expect(billing.segments.map((s) => s.origin)).toEqual(["AWS::Lambda", "AWS::Lambda::Function"]);
    const service = billing.segments[0]!;
    expect(service.links).toEqual([{ traceId: traces[0]!.id, id: "5000000000000001", referenceType: "parent" }]);
    const fn = billing.segments[1]!;
    expect(fn.parentId).toBe(service.id);
    expect(fn.cause?.exceptions[0]).toMatchObject({
      type: "PaymentDeclined",
      message: "card 4242 declined",
      remote: false,
    });
    expect(fn.cause?.exceptions[0]?.stack[0]).toEqual({ path: "billing/index.js", line: 42, label: "charge" });
    expect(fn.children.map((c) => c.name)).toEqual(["Invocation"]);
    expect(statusOf(fn)).toBe("fault");
    expect(resourceOf(fn)).toEqual({ kind: "function", name: "billing", arn: fnArn("billing") });
    const sns = traces[0]!.segments[0]!.children[0]!;
    expect(sns).toMatchObject({
      namespace: "aws",
      http: { status: 200 },
      aws: { operation: "Publish", topicArn: topicArn("orders") },
    });
    expect(resourceOf(sns)).toEqual({ kind: "topic", name: "orders", arn: topicArn("orders") });
    const send = traces[3]!.segments[1]!.children.find((c) => c.name === "Invocation")!.children[0]!;
    expect(resourceOf(send)).toEqual({
      kind: "queue",
      name: "shipping-events",
      arn: "arn:aws:sqs:us-east-1:123456789012:shipping-events",
    });
  });

  it("counts bad JSON, documents without an id and documents of another trace as unreadable", () => {
    const t = traceId(1);
    const good = JSON.stringify({ id: "a000000000000001", trace_id: t, name: "app", start_time: 1, end_time: 2 });
    const trace = parseTrace(t, [
      good,
      "{not json",
      JSON.stringify({ name: "x", start_time: 1 }),
      JSON.stringify({ id: "a000000000000002", trace_id: traceId(2), name: "y", start_time: 1 }),
      "[]",
    ]);
    expect(trace.segments).toHaveLength(1);
    expect(trace.unreadable).toBe(4);
  });

  it("drops fields of the wrong type and marks a segment without end time in progress", () => {
    const trace = traceOf(1, [
      {
        id: "a000000000000001",
        name: "app",
        start_time: 5,
        error: "yes",
        annotations: { ok: 1, bad: { x: 1 } },
        http: { response: { status: "500" } },
      },
    ]);
    const s = trace.segments[0]!;
    expect(s).toMatchObject({ inProgress: true, error: false, annotations: { ok: 1 } });
    expect(s.http).toBeUndefined();
    expect(s.end).toBeUndefined();
  });

  it("cuts subsegments nested beyond the depth limit instead of overflowing the stack", () => {
    // Built as text: JSON.stringify itself would overflow on such an object.
    const open = '{"id":"c000000000000000","name":"n","start_time":1,"end_time":2,"subsegments":[';
    const nested = `${open.repeat(10_000)}{"id":"c000000000000000","name":"leaf","start_time":1,"end_time":2}${"]}".repeat(10_000)}`;
    const trace = parseTrace(traceId(1), [
      `{"id":"a000000000000001","name":"app","start_time":1,"end_time":2,"subsegments":[${nested}]}`,
    ]);
    expect([...allSpans(trace)].length).toBe(65);
  });

  it("resolves a cause given as the id of an exception recorded elsewhere", () => {
    const trace = traceOf(1, [
      {
        id: "a000000000000001",
        name: "app",
        start_time: 1,
        end_time: 2,
        fault: true,
        cause: "e000000000000001",
        subsegments: [
          {
            id: "c000000000000001",
            name: "db",
            start_time: 1,
            end_time: 2,
            fault: true,
            cause: { exceptions: [{ id: "e000000000000001", type: "Timeout", message: "slow" }] },
          },
        ],
      },
    ]);
    const byId = exceptionsById(trace);
    expect(exceptionsOf(trace.segments[0]!, byId).map((e) => e.type)).toEqual(["Timeout"]);
  });
});
