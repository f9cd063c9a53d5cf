import { describe, expect, it } from "vitest";
import { diffPolicies, policyPath, type PolicySide } from "./policy-diff";

const attributes = (policy: unknown): PolicySide => ({ policy: JSON.stringify(policy), scope: "MessageAttributes" });
const body = (policy: unknown): PolicySide => ({ policy: JSON.stringify(policy), scope: "MessageBody" });
const none: PolicySide = { policy: null, scope: "MessageAttributes" };

describe("diffPolicies", () => {
  it("finds no difference in key order, value order or whitespace", () => {
    const diff = diffPolicies(
      { policy: '{"b":[{"numeric":[">",0]}],"a":["x","y"]}', scope: "MessageAttributes" },
      { policy: '{ "a": ["y", "x"],\n  "b": [ {"numeric": [">", 0]} ] }', scope: "MessageAttributes" },
    );
    expect(diff).toEqual({ same: true, changes: [] });
  });

  it("names added, removed and changed keys with their values", () => {
    const diff = diffPolicies(
      attributes({ eventType: ["order.placed"], region: ["eu"], amount: [{ numeric: [">", 100] }] }),
      attributes({ eventType: ["order.placed", "order.paid"], amount: [{ numeric: [">", 100] }], priority: ["high"] }),
    );
    expect(diff.same).toBe(false);
    expect(diff.changes).toEqual([
      {
        kind: "changed",
        path: "eventType",
        keys: ["eventType"],
        before: ["order.placed"],
        after: ["order.placed", "order.paid"],
      },
      { kind: "added", path: "priority", keys: ["priority"], after: ["high"] },
      { kind: "removed", path: "region", keys: ["region"], before: ["eu"] },
    ]);
  });

  it("follows nested keys and reports the deepest path that differs", () => {
    const diff = diffPolicies(
      body({ order: { customer: { tier: ["gold"], country: ["DE"] }, total: [{ numeric: [">=", 10] }] } }),
      body({
        order: {
          customer: { tier: ["gold", "silver"] },
          total: [{ numeric: [">=", 10] }],
          lines: { sku: [{ prefix: "A-" }] },
        },
      }),
    );
    expect(diff.changes.map(({ kind, path }) => `${kind} ${path}`)).toEqual([
      "removed order.customer.country",
      "changed order.customer.tier",
      "added order.lines",
    ]);
    expect(diff.changes[2]).toMatchObject({ keys: ["order", "lines"], after: { sku: [{ prefix: "A-" }] } });
  });

  it("keeps the order of a condition's operands: numeric ranges are not sets", () => {
    const diff = diffPolicies(
      attributes({ amount: [{ numeric: [">", 0, "<", 10] }] }),
      attributes({ amount: [{ numeric: ["<", 10, ">", 0] }] }),
    );
    expect(diff.changes).toHaveLength(1);
    expect(diff.changes[0]).toMatchObject({ kind: "changed", path: "amount" });
  });

  it("compares $or branches as a set and reports a change of them at $or", () => {
    const a = { $or: [{ x: ["1"] }, { y: ["2"] }] };
    expect(diffPolicies(attributes(a), attributes({ $or: [{ y: ["2"] }, { x: ["1"] }] })).same).toBe(true);
    const changed = diffPolicies(attributes(a), attributes({ $or: [{ x: ["1"] }, { y: ["3"] }] }));
    expect(changed.changes).toMatchObject([{ kind: "changed", path: "$or" }]);
  });

  it("says which side has no policy, and lists the other side's keys", () => {
    const diff = diffPolicies(none, body({ order: { status: ["paid"] } }));
    expect(diff).toEqual({
      same: false,
      presence: { before: false, after: true },
      changes: [{ kind: "added", path: "order", keys: ["order"], after: { status: ["paid"] } }],
    });
    expect(diffPolicies(body({ a: ["1"] }), none)).toMatchObject({
      presence: { before: true, after: false },
      changes: [{ kind: "removed", path: "a" }],
    });
  });

  it("reports another scope even when the keys are the same, since they then test other parts of a message", () => {
    const diff = diffPolicies(attributes({ eventType: ["order.paid"] }), body({ eventType: ["order.paid"] }));
    expect(diff).toEqual({ same: false, scope: { before: "MessageAttributes", after: "MessageBody" }, changes: [] });
  });

  it("ignores the scope when neither side has a policy", () => {
    expect(diffPolicies(none, { policy: null, scope: "MessageBody" })).toEqual({ same: true, changes: [] });
  });

  it("compares a policy that is not JSON as a whole", () => {
    const diff = diffPolicies({ policy: "{oops", scope: "MessageAttributes" }, attributes({ a: ["1"] }));
    expect(diff.changes).toEqual([{ kind: "changed", path: "", keys: [], before: "{oops", after: '{"a":["1"]}' }]);
  });
});

describe("policyPath", () => {
  it.each([
    [["order", "customer", "tier"], "order.customer.tier"],
    [["$or"], "$or"],
    [["order", "line.item"], 'order["line.item"]'],
    [["my key", "x"], '["my key"].x'],
  ])("%j → %s", (keys, text) => {
    expect(policyPath(keys)).toBe(text);
  });
});
