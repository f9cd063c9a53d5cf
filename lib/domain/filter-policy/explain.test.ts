import { describe, expect, it } from "vitest";
import { attrs, body, evaluate } from "../../../test/fixtures/filter-policy";
import type { ExplanationNode } from "./types";

function keys(node: ExplanationNode): Extract<ExplanationNode, { kind: "key" }>[] {
  if (node.kind === "key") return [node];
  if (node.kind === "unparsable-body") return [];
  return node.children.flatMap(keys);
}

describe("explanations", () => {
  it("shows what each key saw and which condition held", () => {
    const evaluation = evaluate(
      { customer_interests: ["rugby", { prefix: "foot" }], price_usd: [{ numeric: [">", 100, "<=", 200] }] },
      "MessageAttributes",
      attrs({ customer_interests: ["String.Array", '["soccer","football"]'], price_usd: ["Number", "250"] }),
    );
    expect(evaluation.match).toBe(false);
    expect(evaluation.explanation).toEqual({
      kind: "and",
      matched: false,
      children: [
        {
          kind: "key",
          path: "customer_interests",
          matched: true,
          seen: ['"soccer"', '"football"'],
          conditions: [
            { condition: 'equals "rugby"', held: false },
            { condition: 'prefix "foot"', held: true },
          ],
        },
        {
          kind: "key",
          path: "price_usd",
          matched: false,
          seen: ["250"],
          conditions: [{ condition: "numeric > 100 and <= 200", held: false }],
        },
      ],
    });
  });

  it("says why exists false fails on a message without attributes, and on an unreadable String.Array", () => {
    const none = evaluate({ store: [{ exists: false }] }, "MessageAttributes", attrs({}));
    expect(none.match).toBe(false);
    expect(keys(none.explanation)).toEqual([
      {
        kind: "key",
        path: "store",
        matched: false,
        seen: [],
        conditions: [{ condition: "does not exist", held: false }],
        note: 'the message has no attributes at all: {"exists": false} does not match it either',
      },
    ]);
    const unreadable = evaluate(
      { store: [{ exists: false }, "fans"] },
      "MessageAttributes",
      attrs({ store: ["String.Array", "fans"] }),
    );
    expect(unreadable.match).toBe(false);
    const [key] = keys(unreadable.explanation);
    expect(key).toMatchObject({ matched: false, seen: [], conditions: [{ held: false }, { held: false }] });
    expect(key!.note).toContain("not a JSON array");
  });

  it("renders each operator readably", () => {
    const evaluation = evaluate(
      {
        a: [{ "anything-but": ["x", "y"] }, { "anything-but": { prefix: "order-" } }, { "equals-ignore-case": "Ab" }],
        b: [{ wildcard: "*.jar" }, { suffix: { "equals-ignore-case": "JAR" } }, { cidr: "10.0.0.0/24" }],
        c: [{ numeric: ["=", 1.5] }, { numeric: ["<", 0] }, { exists: false }, null, 7],
      },
      "MessageBody",
      body({ a: "z" }),
    );
    expect(keys(evaluation.explanation).map((k) => k.conditions.map((c) => c.condition))).toEqual([
      ['anything-but ["x","y"]', 'anything-but prefix "order-"', 'equals-ignore-case "Ab"'],
      ['wildcard "*.jar"', 'suffix (ignoring case) "JAR"', "cidr 10.0.0.0/24"],
      ["numeric = 1.5", "numeric < 0", "does not exist", "equals null", "equals 7"],
    ]);
  });

  it("shows an absent key as seeing nothing, and which exists condition held", () => {
    const evaluation = evaluate(
      { store: [{ exists: true }], event: [{ exists: false }] },
      "MessageAttributes",
      attrs({ other: ["String", "x"] }),
    );
    const [store, event] = keys(evaluation.explanation);
    expect(store).toMatchObject({
      path: "store",
      matched: false,
      seen: [],
      conditions: [{ condition: "exists", held: false }],
    });
    expect(event).toMatchObject({
      path: "event",
      matched: true,
      seen: [],
      conditions: [{ condition: "does not exist", held: true }],
    });
  });

  it("notes a Binary attribute", () => {
    const evaluation = evaluate(
      { store: [{ exists: true }] },
      "MessageAttributes",
      attrs({ store: ["Binary", "AAEC"] }),
    );
    expect(keys(evaluation.explanation)[0]).toMatchObject({
      matched: false,
      seen: [],
      note: "attribute is Binary: never matches (SNS ignores Binary attributes)",
    });
  });

  it("notes a string where a numeric condition needs a number", () => {
    const evaluation = evaluate(
      { price: [{ numeric: [">", 1] }] },
      "MessageAttributes",
      attrs({ price: ["String", "5"] }),
    );
    expect(keys(evaluation.explanation)[0]?.note).toMatch(/numeric conditions match numbers only/);
  });

  it("notes a body path that ends at an object", () => {
    const evaluation = evaluate({ detail: [{ exists: true }] }, "MessageBody", body({ detail: { a: 1 } }));
    expect(keys(evaluation.explanation)[0]).toMatchObject({
      matched: false,
      seen: [],
      note: "the body has an object here: conditions apply to leaf values only",
    });
  });

  it("uses dotted paths for body keys and shows each $or branch", () => {
    const evaluation = evaluate(
      { detail: { scope: ["Service"], $or: [{ source: ["aws.cloudwatch"] }, { type: ["Alarm"] }] } },
      "MessageBody",
      body({ detail: { scope: "Service", type: "Alarm" } }),
    );
    expect(evaluation.match).toBe(true);
    const root = evaluation.explanation;
    expect(root.kind === "and" && root.children.map((c) => c.kind)).toEqual(["key", "or"]);
    const or = root.kind === "and" ? root.children[1] : undefined;
    expect(or).toMatchObject({
      kind: "or",
      matched: true,
      children: [
        { kind: "and", matched: false, children: [{ path: "detail.source", matched: false, seen: [] }] },
        { kind: "and", matched: true, children: [{ path: "detail.type", matched: true, seen: ['"Alarm"'] }] },
      ],
    });
  });

  it("explains a body that is not a JSON object", () => {
    expect(evaluate({ a: ["x"] }, "MessageBody", body("plain text")).explanation).toEqual({
      kind: "unparsable-body",
      matched: false,
      note: "the body is not JSON, so a MessageBody policy never matches it",
    });
    const jsonString = evaluate({ a: ["x"] }, "MessageBody", body(JSON.stringify("text"))).explanation;
    expect(jsonString.kind === "unparsable-body" && jsonString.note).toBe(
      "the body is JSON a string, not an object, so a MessageBody policy never matches it",
    );
  });

  it("says when keys held only in different elements of an array of objects", () => {
    const evaluation = evaluate(
      { items: { sku: ["a"], qty: [2] } },
      "MessageBody",
      body({
        items: [
          { sku: "a", qty: 1 },
          { sku: "b", qty: 2 },
        ],
      }),
    );
    expect(evaluation.match).toBe(false);
    expect(evaluation.explanation.matched).toBe(false);
    for (const key of keys(evaluation.explanation)) {
      expect(key.matched).toBe(true);
      expect(key.note).toBe("held only in a different element of an array of objects than the other keys");
    }
  });

  it("agrees with the verdict at the root", () => {
    const cases: [unknown, "MessageAttributes" | "MessageBody", Parameters<typeof evaluate>[2]][] = [
      [{ a: ["x"] }, "MessageAttributes", attrs({ a: ["String", "x"] })],
      [{ a: ["x"] }, "MessageAttributes", attrs({ a: ["String", "y"] })],
      [{ $or: [{ a: ["x"] }, { b: [1] }] }, "MessageBody", body({ b: 1 })],
      [{ r: { a: ["x"], b: ["y"] } }, "MessageBody", body({ r: [{ a: "x" }, { b: "y" }] })],
      [{}, "MessageBody", body({})],
    ];
    for (const [policy, scope, message] of cases) {
      const evaluation = evaluate(policy, scope, message);
      expect(evaluation.explanation.matched).toBe(evaluation.match);
    }
  });

  it("serialises with the explanation included", () => {
    const evaluation = evaluate({ a: ["x"] }, "MessageAttributes", attrs({ a: ["String", "x"] }));
    expect(JSON.parse(JSON.stringify(evaluation))).toEqual({
      match: true,
      explanation: {
        kind: "and",
        matched: true,
        children: [
          {
            kind: "key",
            path: "a",
            matched: true,
            seen: ['"x"'],
            conditions: [{ condition: 'equals "x"', held: true }],
          },
        ],
      },
    });
  });
});
