import { describe, expect, it } from "vitest";
import { parseTrace } from "./parse";
import { appTrace, fanOutToThreeQueues, fnArn, T0, topicArn, traceId, traceOf } from "../../../test/fixtures/traces";
import { buildWaterfall, spanTimeline, traceBounds, type Waterfall, type WaterfallRow } from "./waterfall";

function rowNamed(w: Waterfall, name: string): WaterfallRow {
  const row = w.rows.find((r) => r.name === name);
  if (!row) throw new Error(`no row ${name}`);
  return row;
}

describe("buildWaterfall", () => {
  it("nests the Lambda function segment under the service segment through parent_id", () => {
    const { traces } = fanOutToThreeQueues();
    const w = buildWaterfall(traces[2]!);
    expect(w.rows.map((r) => [r.name, r.kind, r.origin ?? r.namespace, r.depth])).toEqual([
      ["billing", "segment", "AWS::Lambda", 0],
      ["billing", "segment", "AWS::Lambda::Function", 1],
      ["Invocation", "subsegment", undefined, 2],
    ]);
    const [service, fn, invocation] = w.rows;
    expect(fn?.parentRowId).toBe(service?.id);
    expect(invocation?.parentRowId).toBe(fn?.id);
    expect(invocation?.service).toBe("billing");
    expect(w.rows.map((r) => r.childCount)).toEqual([1, 1, 0]);
    expect(service?.parentRowId).toBeUndefined();
    expect(fn?.resource).toEqual({ kind: "function", name: "billing", arn: fnArn("billing") });
    expect(w.traceId).toBe(traces[2]!.id);
    expect(w.unreadable).toBe(0);
  });

  it("reports the fault and lists the rows that carry its exceptions, not the bare service segment", () => {
    const { traces } = fanOutToThreeQueues();
    const w = buildWaterfall(traces[2]!);
    expect(w.status).toBe("fault");
    expect(w.rows.map((r) => r.status)).toEqual(["fault", "fault", "fault"]);
    expect(w.failures.map((f) => f.rowId)).toEqual([w.rows[1]!.id, w.rows[2]!.id]);
    for (const f of w.failures) {
      expect(f.status).toBe("fault");
      expect(f.exceptions.map((e) => [e.type, e.message])).toEqual([["PaymentDeclined", "card 4242 declined"]]);
    }
    expect(w.rows[1]!.exceptions[0]?.stack[0]).toEqual({ path: "billing/index.js", line: 42, label: "charge" });
  });

  it("orders Initialization before Invocation and nests the SQS call under Invocation", () => {
    const { traces } = fanOutToThreeQueues();
    const w = buildWaterfall(traces[3]!);
    expect(w.rows.map((r) => [r.name, r.depth])).toEqual([
      ["shipping", 0],
      ["shipping", 1],
      ["Initialization", 2],
      ["Invocation", 2],
      ["SQS", 3],
    ]);
    const sqs = rowNamed(w, "SQS");
    expect(sqs).toMatchObject({
      kind: "subsegment",
      namespace: "aws",
      service: "shipping",
      parentRowId: rowNamed(w, "Invocation").id,
      http: { status: 200 },
    });
    expect(sqs.resource).toEqual({
      kind: "queue",
      name: "shipping-events",
      arn: "arn:aws:sqs:us-east-1:123456789012:shipping-events",
    });
    expect(sqs.aws?.operation).toBe("SendMessage");
    expect(w.status).toBe("ok");
    expect(w.failures).toEqual([]);
  });

  it("computes offsets and durations in whole milliseconds from the earliest start", () => {
    const { traces } = fanOutToThreeQueues();
    const shipping = buildWaterfall(traces[3]!);
    expect(shipping.start).toBe(T0 * 1000 + 1400);
    expect(shipping.durationMs).toBe(200);
    expect(shipping.rows.map((r) => [r.name, r.offsetMs, r.durationMs])).toEqual([
      ["shipping", 0, 200],
      ["shipping", 0, 200],
      ["Initialization", 0, 100],
      ["Invocation", 100, 100],
      ["SQS", 110, 20],
    ]);
    const producer = buildWaterfall(traces[0]!);
    expect(producer.start).toBe(T0 * 1000);
    expect(producer.durationMs).toBe(50);
    expect(producer.rows.map((r) => [r.name, r.depth, r.offsetMs, r.durationMs])).toEqual([
      ["storefront", 0, 0, 50],
      ["SNS", 1, 10, 30],
    ]);
  });

  it("shows the producer's SNS publish with its topic", () => {
    const { traces } = fanOutToThreeQueues();
    const w = buildWaterfall(traces[0]!);
    const sns = rowNamed(w, "SNS");
    expect(sns.resource).toEqual({ kind: "topic", name: "orders", arn: topicArn("orders") });
    expect(sns.parentRowId).toBe(w.rows[0]!.id);
    expect(w.rows[0]).toMatchObject({ service: "storefront", childCount: 1, kind: "segment" });
    expect(w.rows[0]!.origin).toBeUndefined();
  });

  it("gives an in-progress segment and the trace a null duration", () => {
    const w = buildWaterfall(
      traceOf(1, [
        {
          id: "a000000000000001",
          name: "app",
          start_time: 10,
          subsegments: [{ id: "c000000000000001", name: "db", start_time: 10.25, end_time: 10.5 }],
        },
      ]),
    );
    expect(w.durationMs).toBeNull();
    expect(w.rows[0]).toMatchObject({ durationMs: null, inProgress: true, offsetMs: 0 });
    expect(w.rows[1]).toMatchObject({ durationMs: 250, inProgress: false, offsetMs: 250 });
  });

  it("keeps the duration when only a nested segment is still running", () => {
    const w = buildWaterfall(
      traceOf(1, [
        { id: "a000000000000001", name: "app", start_time: 10, end_time: 10.3 },
        { id: "a000000000000002", name: "worker", parent_id: "a000000000000001", start_time: 10.1 },
      ]),
    );
    expect(w.durationMs).toBe(300);
    expect(rowNamed(w, "worker")).toMatchObject({ depth: 1, durationMs: null, inProgress: true });
  });

  it("resolves a cause given by reference", () => {
    const w = buildWaterfall(
      appTrace({
        fault: true,
        cause: "e000000000000001",
        subsegments: [
          {
            id: "c000000000000001",
            name: "db",
            start_time: 1.5,
            end_time: 2,
            fault: true,
            cause: { exceptions: [{ id: "e000000000000001", type: "Timeout", message: "slow" }] },
          },
        ],
      }),
    );
    expect(rowNamed(w, "app").exceptions.map((e) => e.type)).toEqual(["Timeout"]);
    expect(w.failures.map((f) => f.rowId)).toEqual(["a000000000000001", "c000000000000001"]);
  });

  it("lists faults before throttles before errors, then by offset, and skips flags without exceptions", () => {
    const exc = (type: string) => ({ exceptions: [{ type }] });
    const w = buildWaterfall(
      appTrace({
        error: true,
        subsegments: [
          { id: "c000000000000001", name: "e1", start_time: 1.1, end_time: 1.2, error: true, cause: exc("E1") },
          {
            id: "c000000000000002",
            name: "t1",
            start_time: 1.2,
            end_time: 1.3,
            error: true,
            throttle: true,
            cause: exc("T1"),
          },
          { id: "c000000000000003", name: "f2", start_time: 1.4, end_time: 1.5, fault: true, cause: exc("F2") },
          { id: "c000000000000004", name: "f1", start_time: 1.3, end_time: 1.4, fault: true, cause: exc("F1") },
          { id: "c000000000000005", name: "ok", start_time: 1.5, end_time: 1.6, cause: exc("Handled") },
        ],
      }),
    );
    expect(w.failures.map((f) => [f.status, f.exceptions[0]?.type])).toEqual([
      ["fault", "F1"],
      ["fault", "F2"],
      ["throttle", "T1"],
      ["error", "E1"],
    ]);
    expect(w.status).toBe("fault");
  });

  it("nests a segment under a subsegment of another segment, and keeps a segment with an outside parent as a root", () => {
    const w = buildWaterfall(
      traceOf(1, [
        {
          id: "a000000000000002",
          name: "downstream",
          parent_id: "c000000000000002",
          start_time: 1.3,
          end_time: 1.4,
          origin: "AWS::EC2::Instance",
        },
        {
          id: "a000000000000001",
          name: "app",
          start_time: 1,
          end_time: 2,
          // Out of order in the document: rows follow start time.
          subsegments: [
            { id: "c000000000000002", name: "call", start_time: 1.2, end_time: 1.5, namespace: "remote" },
            { id: "c000000000000001", name: "prepare", start_time: 1.1, end_time: 1.2 },
          ],
        },
        {
          id: "a000000000000003",
          name: "elsewhere",
          parent_id: "ffffffffffffffff",
          start_time: 0.5,
          end_time: 0.6,
        },
      ]),
    );
    expect(w.rows.map((r) => [r.name, r.depth, r.parentRowId])).toEqual([
      ["elsewhere", 0, undefined],
      ["app", 0, undefined],
      ["prepare", 1, "a000000000000001"],
      ["call", 1, "a000000000000001"],
      ["downstream", 2, "c000000000000002"],
    ]);
    expect(rowNamed(w, "call").childCount).toBe(1);
    expect(rowNamed(w, "downstream")).toMatchObject({
      service: "downstream",
      origin: "AWS::EC2::Instance",
      offsetMs: 800,
    });
    expect(w.durationMs).toBe(1500);
  });

  it("orders siblings with the same start by id", () => {
    const w = buildWaterfall(
      appTrace({
        subsegments: [
          { id: "c000000000000009", name: "second", start_time: 1, end_time: 2 },
          { id: "c000000000000003", name: "first", start_time: 1, end_time: 2 },
        ],
      }),
    );
    expect(w.rows.map((r) => r.name)).toEqual(["app", "first", "second"]);
  });

  it("makes segments on a parent_id loop roots instead of hanging", () => {
    const w = buildWaterfall(
      traceOf(1, [
        { id: "a000000000000001", name: "one", parent_id: "a000000000000002", start_time: 1, end_time: 2 },
        { id: "a000000000000002", name: "two", parent_id: "a000000000000001", start_time: 1.1, end_time: 2 },
        { id: "a000000000000003", name: "three", parent_id: "a000000000000001", start_time: 1.2, end_time: 2 },
        { id: "a000000000000004", name: "self", parent_id: "a000000000000004", start_time: 1.3, end_time: 2 },
        {
          id: "a000000000000005",
          name: "own-child",
          parent_id: "c000000000000005",
          start_time: 1.4,
          end_time: 2,
          subsegments: [{ id: "c000000000000005", name: "sub", start_time: 1.4, end_time: 1.5 }],
        },
      ]),
    );
    expect(w.rows.map((r) => [r.name, r.depth])).toEqual([
      ["one", 0],
      ["three", 1],
      ["two", 0],
      ["self", 0],
      ["own-child", 0],
      ["sub", 1],
    ]);
  });

  it("builds a long chain of segments without overflowing the stack", () => {
    const n = 20_000;
    const ids = Array.from({ length: n }, (_, i) => `a${i.toString(16).padStart(15, "0")}`);
    const w = buildWaterfall(
      traceOf(
        1,
        ids.map((id, i) => ({
          id,
          name: `s${i}`,
          start_time: 1 + i / n,
          end_time: 2,
          ...(i > 0 ? { parent_id: ids[i - 1] } : {}),
        })),
      ),
    );
    expect(w.rows).toHaveLength(n);
    expect(w.rows[n - 1]?.depth).toBe(n - 1);
  });

  it("returns an empty waterfall for a trace without readable segments", () => {
    const t = traceId(1);
    const w = buildWaterfall(parseTrace(t, ["{not json"]));
    expect(w).toEqual({ traceId: t, start: 0, durationMs: null, status: "ok", rows: [], failures: [], unreadable: 1 });
  });
});

describe("traceBounds", () => {
  it("agrees with the waterfall and names the root segments, earliest first", () => {
    const { traces } = fanOutToThreeQueues();
    const b = traceBounds(traces[3]!);
    expect(b.start).toBe(buildWaterfall(traces[3]!).start);
    expect(b.durationMs).toBe(200);
    expect(b.roots.map((r) => r.origin)).toEqual(["AWS::Lambda"]);
  });
});

describe("spanTimeline", () => {
  it("places bars in percent of the trace duration", () => {
    const { traces } = fanOutToThreeQueues();
    const w = buildWaterfall(traces[3]!);
    expect(spanTimeline(w, w.rows[0]!)).toEqual({ leftPct: 0, widthPct: 100 });
    expect(spanTimeline(w, rowNamed(w, "Invocation"))).toEqual({ leftPct: 50, widthPct: 50 });
    const sqs = spanTimeline(w, rowNamed(w, "SQS"));
    expect(sqs.leftPct).toBeCloseTo(55, 9);
    expect(sqs.widthPct).toBeCloseTo(10, 9);
  });

  it("keeps a zero-length bar visible, also at the very end", () => {
    const w = buildWaterfall(
      appTrace({
        subsegments: [
          { id: "c000000000000001", name: "mid", start_time: 1.5, end_time: 1.5 },
          { id: "c000000000000002", name: "end", start_time: 2, end_time: 2 },
        ],
      }),
    );
    expect(spanTimeline(w, rowNamed(w, "mid"))).toEqual({ leftPct: 50, widthPct: 0.5 });
    expect(spanTimeline(w, rowNamed(w, "end"))).toEqual({ leftPct: 99.5, widthPct: 0.5 });
  });

  it("gives every bar the full width in a zero-duration trace", () => {
    const w = buildWaterfall(appTrace({ end_time: 1 }));
    expect(w.durationMs).toBe(0);
    expect(spanTimeline(w, w.rows[0]!)).toEqual({ leftPct: 0, widthPct: 100 });
  });

  it("extends an in-progress row to the end of what is known so far", () => {
    const w = buildWaterfall(
      traceOf(1, [
        {
          id: "a000000000000001",
          name: "app",
          start_time: 10,
          subsegments: [
            { id: "c000000000000001", name: "done", start_time: 10.5, end_time: 11 },
            { id: "c000000000000002", name: "running", start_time: 10.2 },
          ],
        },
      ]),
    );
    expect(w.durationMs).toBeNull();
    expect(spanTimeline(w, rowNamed(w, "app"))).toEqual({ leftPct: 0, widthPct: 100 });
    expect(spanTimeline(w, rowNamed(w, "done"))).toEqual({ leftPct: 50, widthPct: 50 });
    expect(spanTimeline(w, rowNamed(w, "running"))).toEqual({ leftPct: 20, widthPct: 80 });
  });
});
