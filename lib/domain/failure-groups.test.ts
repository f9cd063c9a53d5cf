import { describe, expect, it } from "vitest";
import { decodeMessage, maskMessage, type DeadLetterMessage } from "./dead-letter-message";
import {
  failingExceptionOf,
  failureKeyOf,
  groupByFailure,
  normaliseErrorMessage,
  payloadShape,
} from "./failure-groups";

function letter(messageId: string, body: string, sentMs = Date.UTC(2026, 0, 1)): DeadLetterMessage {
  return decodeMessage(
    {
      messageId,
      receiptHandle: `rh-${messageId}`,
      body,
      attributes: { SentTimestamp: String(sentMs) },
      messageAttributes: {},
    },
    { retentionSeconds: 345_600, fifo: false },
  );
}

/** A body as SNS delivers it without raw message delivery. */
const viaSns = (message: string) => JSON.stringify({ Type: "Notification", MessageId: "m", Message: message });

describe("normaliseErrorMessage", () => {
  it.each([
    ["Order 0f3c6f7a-1111-2222-3333-444455556666 not found", "Order <uuid> not found"],
    ["amount -12.50 exceeds limit 1000 (attempt 3)", "amount -<n> exceeds limit <n> (attempt <n>)"],
    ["customer cus_8F1C2A9B has no card", "customer <id> has no card"],
    ["missing field 'sku'", "missing field 'sku'"],
    ["  spread \n over   lines ", "spread over lines"],
  ])("%j → %j", (message, expected) => {
    expect(normaliseErrorMessage(message)).toBe(expected);
  });
});

describe("payloadShape", () => {
  it("lists key paths with types, sorted, array items under []", () => {
    expect(
      payloadShape({ orderId: "o-1", amount: 5, items: [{ sku: "a" }, { sku: "b", qty: 2 }], note: null }),
    ).toEqual(["amount:number", "items[].qty:number", "items[].sku:string", "note:null", "orderId:string"]);
  });

  it("names empty containers and scalars at the root", () => {
    expect(payloadShape({ tags: [], meta: {} })).toEqual(["meta:object", "tags:array"]);
    expect(payloadShape(42)).toEqual(["(root):number"]);
  });

  it("does not depend on values or key order", () => {
    expect(payloadShape({ a: 1, b: "x" })).toEqual(payloadShape({ b: "y", a: 2 }));
    expect(payloadShape({ a: 1 })).not.toEqual(payloadShape({ a: "1" }));
  });
});

describe("failureKeyOf", () => {
  it("uses the trace's exception when one is known", () => {
    const key = failureKeyOf(letter("1", '{"a":1}'), { type: "ValidationError", message: "order 123 has no items" });
    expect(key).toEqual({
      key: "trace\nValidationError: order <n> has no items",
      label: "ValidationError: order <n> has no items",
      source: "trace",
    });
  });

  it("falls back to the payload shape, looking inside an SNS envelope", () => {
    expect(failureKeyOf(letter("1", viaSns('{"orderId":"o-1"}')))).toMatchObject({
      label: "orderId:string",
      source: "shape",
    });
    expect(failureKeyOf(letter("2", '{"orderId":"o-2"}')).key).toBe(
      failureKeyOf(letter("3", viaSns('{"orderId":"x"}'))).key,
    );
  });

  it('says "not JSON" and "empty" for payloads without a shape', () => {
    expect(failureKeyOf(letter("1", "<xml/>")).label).toBe("not JSON");
    expect(failureKeyOf(letter("2", viaSns("plain text"))).label).toBe("not JSON");
    expect(failureKeyOf(letter("3", "  ")).label).toBe("empty");
  });

  it("calls a masked value masked, whatever its type was", () => {
    const masked = maskMessage(letter("1", '{"card":4111,"id":"x"}'), { payloadPaths: ["card"], attributeNames: [] });
    expect(failureKeyOf(masked).label).toBe("card:masked, id:string");
  });

  it("keeps trace and shape keys apart even with the same label", () => {
    const shape = failureKeyOf(letter("1", "x"));
    const trace = failureKeyOf(letter("1", "x"), { type: "not JSON" });
    expect(trace.label).toBe(shape.label);
    expect(trace.key).not.toBe(shape.key);
  });
});

describe("groupByFailure", () => {
  const day = (d: number) => Date.UTC(2026, 0, d);
  const letters = [
    letter("a", '{"orderId":"1"}', day(3)),
    letter("b", "not json", day(1)),
    letter("c", '{"orderId":"2"}', day(1)),
    letter("d", '{"orderId":"3"}', day(5)),
    letter("e", "also not json", day(2)),
    letter("f", '{"sku":"x"}', day(4)),
  ];

  it("groups by key, largest first, with ids, count, newest and oldest", () => {
    const groups = groupByFailure(letters);
    expect(groups.map((g) => [g.label, g.count, g.messageIds])).toEqual([
      ["orderId:string", 3, ["a", "c", "d"]],
      ["not JSON", 2, ["b", "e"]],
      ["sku:string", 1, ["f"]],
    ]);
    expect(groups[0]).toMatchObject({
      source: "shape",
      newest: new Date(day(5)).toISOString(),
      oldest: new Date(day(1)).toISOString(),
    });
  });

  it("splits a shape group by the exceptions the traces give", () => {
    const exceptions: Record<string, { type: string; message: string }> = {
      a: { type: "TypeError", message: "amount of order 1 is undefined" },
      c: { type: "TypeError", message: "amount of order 2 is undefined" },
    };
    const groups = groupByFailure(letters, (l) => exceptions[l.messageId]);
    expect(groups.map((g) => [g.source, g.label, g.messageIds])).toEqual([
      ["shape", "not JSON", ["b", "e"]],
      ["trace", "TypeError: amount of order <n> is undefined", ["a", "c"]],
      ["shape", "orderId:string", ["d"]],
      ["shape", "sku:string", ["f"]],
    ]);
  });

  it("is empty for no letters", () => {
    expect(groupByFailure([])).toEqual([]);
  });
});

describe("failingExceptionOf", () => {
  const invocation = (start: number, failed: boolean, message: string, thisMessage?: "failed" | "not-failed") =>
    ({
      start,
      failed,
      exceptions: [{ type: "Error", message, remote: false, stack: [] }],
      ...(thisMessage ? { thisMessage } : {}),
    }) as never;

  it("takes the last failed invocation's first exception", () => {
    const story = {
      invocations: [invocation(1, true, "first"), invocation(3, true, "last"), invocation(4, false, "ok")],
    };
    expect(failingExceptionOf(story)).toEqual({ type: "Error", message: "last" });
  });

  it("skips invocations that did not fail on this very message", () => {
    const story = {
      invocations: [invocation(1, true, "mine", "failed"), invocation(3, true, "another record's", "not-failed")],
    };
    expect(failingExceptionOf(story)?.message).toBe("mine");
  });

  it("is undefined without a failed invocation", () => {
    expect(failingExceptionOf({ invocations: [invocation(1, false, "ok")] })).toBeUndefined();
  });
});
