import { describe, expect, it } from "vitest";
import { MASK } from "../dead-letter-message";
import { maskText, maskTrace, maskTree } from "./mask";
import type { Span, Trace } from "./model";

const rules = { payloadPaths: ["customerId", "customer.email"] };

function span(extra: Partial<Span> = {}): Span {
  return {
    id: "s1",
    traceId: "1-00000000-000000000000000000000001",
    name: "orders-consumer",
    kind: "segment",
    start: 1,
    end: 2,
    inProgress: false,
    error: true,
    fault: false,
    throttle: false,
    annotations: {},
    links: [],
    children: [],
    ...extra,
  };
}

describe("maskTrace", () => {
  const trace: Trace = {
    id: "1-00000000-000000000000000000000001",
    unreadable: 0,
    segments: [
      span({
        annotations: { customerId: "cus-SECRET", orderId: "o-1" },
        metadata: {
          default: {
            event: {
              Records: [{ body: { customerId: "cus-SECRET", customer: { email: "ada@example.com" }, total: 3 } }],
            },
          },
        },
        cause: {
          exceptions: [
            {
              message: 'bad order {"customerId":"cus-SECRET","total":3} for customerId=cus-SECRET',
              remote: false,
              stack: [],
            },
          ],
        },
        children: [
          span({ id: "s2", kind: "subsegment", metadata: { debug: { customer: { email: "bob@example.com" } } } }),
        ],
      }),
    ],
  };

  it("masks metadata at any depth, annotations by key and exception messages, in subsegments too", () => {
    const masked = maskTrace(trace, rules);
    const text = JSON.stringify(masked);
    for (const secret of ["cus-SECRET", "ada@example.com", "bob@example.com"]) expect(text).not.toContain(secret);
    const s = masked.segments[0]!;
    expect(s.annotations).toEqual({ customerId: MASK, orderId: "o-1" });
    expect(s.metadata).toEqual({
      default: { event: { Records: [{ body: { customerId: MASK, customer: { email: MASK }, total: 3 } }] } },
    });
    expect(s.cause?.exceptions[0]?.message).toBe(`bad order {"customerId":"${MASK}","total":3} for customerId=${MASK}`);
    expect(s.children[0]?.metadata).toEqual({ debug: { customer: { email: MASK } } });
  });

  it("does not change the trace it is given (the cache keeps it), and leaves it alone without rules", () => {
    const before = JSON.stringify(trace);
    maskTrace(trace, rules);
    expect(JSON.stringify(trace)).toBe(before);
    expect(maskTrace(trace, { payloadPaths: [] })).toBe(trace);
  });
});

describe("maskTree and maskText", () => {
  it("withholds metadata nested too deep to walk, never showing it raw", () => {
    let deep: unknown = { customerId: "cus-SECRET" };
    for (let i = 0; i < 100; i++) deep = { next: deep };
    expect(JSON.stringify(maskTree(deep, rules))).not.toContain("cus-SECRET");
  });

  it("masks quoted and unquoted values after the key, and no other key", () => {
    expect(maskText("customerId: 'cus-1', myCustomerId=keep, customerId = cus-2;", rules)).toBe(
      `customerId: '${MASK}', myCustomerId=keep, customerId = ${MASK};`,
    );
    expect(maskText('{"email": "a\\"b@example.com"}', rules)).toBe(`{"email": "${MASK}"}`);
  });
});
