import { describe, expect, it } from "vitest";
import { filterPolicyKeys, summarizeFilterPolicy } from "./filter-summary";

describe("summarizeFilterPolicy", () => {
  it("is null when there is no policy: the subscription receives everything", () => {
    expect(summarizeFilterPolicy(null)).toBeNull();
    expect(summarizeFilterPolicy(undefined)).toBeNull();
    expect(summarizeFilterPolicy("  ")).toBeNull();
    expect(summarizeFilterPolicy("{}")).toBeNull();
  });

  it("lists each key with its values", () => {
    expect(summarizeFilterPolicy('{"eventType":["order.placed","order.cancelled"]}')).toBe(
      "eventType: order.placed, order.cancelled",
    );
    expect(summarizeFilterPolicy('{"eventType":["order.placed"],"region":["eu","us"]}')).toBe(
      "eventType: order.placed; region: eu, us",
    );
  });

  it("shows operators as compact JSON, and numbers, booleans and null as text", () => {
    expect(
      summarizeFilterPolicy('{"amount":[{"numeric":[">", 0, "<=", 100]}],"vip":[true],"coupon":[null],"n":[5]}'),
    ).toBe('amount: {"numeric":[">",0,"<=",100]}; vip: true; coupon: null; n: 5');
    expect(summarizeFilterPolicy('{"store":[{"prefix":"eu-"},{"anything-but":["test"]}]}')).toBe(
      'store: {"prefix":"eu-"}, {"anything-but":["test"]}',
    );
  });

  it("counts $or groups", () => {
    expect(summarizeFilterPolicy('{"source":["shop"],"$or":[{"a":["1"]},{"b":["2"]},{"c":["3"]}]}')).toBe(
      "source: shop; any of 3 groups",
    );
  });

  it("flattens nested MessageBody keys with dots", () => {
    expect(summarizeFilterPolicy('{"detail":{"type":["created"],"customer":{"tier":["gold"]}}}')).toBe(
      "detail.type: created; detail.customer.tier: gold",
    );
  });

  it("is lenient about values SNS would not accept", () => {
    expect(summarizeFilterPolicy('{"eventType":"order.placed"}')).toBe("eventType: order.placed");
  });

  it("truncates long summaries to about 120 characters", () => {
    const values = Array.from({ length: 40 }, (_, i) => `value-${i}`);
    const summary = summarizeFilterPolicy(JSON.stringify({ key: values }))!;
    expect(summary).toHaveLength(120);
    expect(summary.endsWith("…")).toBe(true);
    expect(summary.startsWith("key: value-0, value-1")).toBe(true);
  });

  it("says 'unparsed policy' for text that is not a JSON object", () => {
    expect(summarizeFilterPolicy("{eventType: [order]}")).toBe("unparsed policy");
    expect(summarizeFilterPolicy('["a"]')).toBe("unparsed policy");
    expect(summarizeFilterPolicy('"text"')).toBe("unparsed policy");
    expect(summarizeFilterPolicy("null")).toBe("unparsed policy");
  });
});

describe("filterPolicyKeys", () => {
  it("says a subscription without a policy, or with {}, receives everything, as summarizeFilterPolicy does", () => {
    for (const none of [null, " ", "{}"]) {
      expect(filterPolicyKeys(none)).toBe("none: receives every message");
      expect(summarizeFilterPolicy(none)).toBeNull();
    }
  });

  it("lists the keys tested, nested ones dotted, each once across $or branches", () => {
    const policy = {
      eventType: ["order.placed"],
      customer: { tier: ["gold"] },
      $or: [{ eventType: ["x"] }, { price: [{ numeric: [">", 0] }] }],
    };
    expect(filterPolicyKeys(JSON.stringify(policy))).toBe("eventType, customer.tier, price");
  });

  it("calls text that is not a JSON object unreadable", () => {
    expect(filterPolicyKeys("{not json")).toBe("unreadable policy");
    expect(filterPolicyKeys("[1]")).toBe("unreadable policy");
  });
});
