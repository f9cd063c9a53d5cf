import { describe, expect, it } from "vitest";
import { compileOrThrow } from "../../../test/fixtures/filter-policy";
import { evaluateFilterPolicy } from "./evaluate";
import { policyImpact, topicImpact, verdictOf, type ImpactEvent } from "./impact";
import type { MessageAttribute } from "./types";

/** An event with String attributes from `{name: value}` (a number is a Number attribute). */
function event(id: string, attributes: Record<string, string | number>, body: unknown = {}): ImpactEvent {
  return {
    id,
    body: typeof body === "string" ? body : JSON.stringify(body),
    attributes: Object.fromEntries(
      Object.entries(attributes).map(([name, v]): [string, MessageAttribute] => [
        name,
        typeof v === "number" ? { Type: "Number", Value: String(v) } : { Type: "String", Value: v },
      ]),
    ),
  };
}

const ids = (events: ImpactEvent[]) => events.map((e) => e.id);

const orders = [
  event("paid-cheap", { eventType: "order.paid", price_usd: 20 }),
  event("paid-dear", { eventType: "order.paid", price_usd: 250 }),
  event("placed", { eventType: "order.placed", price_usd: 250 }),
  event("refund", { eventType: "refund.issued", price_usd: 250 }),
  event("no-attributes", {}),
];

describe("the impact of a policy change", () => {
  it("counts deliveries before and after, and names the events that change side", () => {
    const current = compileOrThrow({ eventType: [{ prefix: "order." }] });
    const draft = compileOrThrow({ eventType: [{ prefix: "order." }], price_usd: [{ numeric: [">=", 100] }] });
    const impact = policyImpact(current, draft, orders);
    expect(impact).toMatchObject({ events: 5, deliveredBefore: 3, deliveredAfter: 2 });
    expect(impact.newlyDropped.count).toBe(1);
    expect(ids(impact.newlyDropped.examples)).toEqual(["paid-cheap"]);
    expect(impact.newlyDelivered).toEqual({ count: 0, examples: [] });
  });

  it("keeps at most the asked number of examples, and counts them all", () => {
    const current = compileOrThrow({ eventType: ["order.paid"] });
    const draft = compileOrThrow({ eventType: [{ "anything-but": ["order.paid"] }] });
    const many = Array.from({ length: 30 }, (_, i) => event(`placed-${i}`, { eventType: "order.placed" }));
    const impact = policyImpact(current, draft, [...orders, ...many], 3);
    expect(impact.newlyDelivered.count).toBe(32);
    expect(ids(impact.newlyDelivered.examples)).toEqual(["placed", "refund", "placed-0"]);
    expect(ids(impact.newlyDropped.examples)).toEqual(["paid-cheap", "paid-dear"]);
    // "anything-but" needs the attribute: a message without it is delivered by neither.
    expect(impact.deliveredBefore + impact.newlyDelivered.count - impact.newlyDropped.count).toBe(
      impact.deliveredAfter,
    );
    expect(impact.deliveredAfter).toBe(32);
  });

  it("treats no policy as delivering every event", () => {
    const draft = compileOrThrow({ eventType: ["refund.issued"] });
    const impact = policyImpact(null, draft, orders);
    expect(impact).toMatchObject({ deliveredBefore: 5, deliveredAfter: 1 });
    expect(impact.newlyDropped.count).toBe(4);
    expect(policyImpact(draft, null, orders).newlyDelivered.count).toBe(4);
  });

  it("reads the body in MessageBody scope, and a body that is not a JSON object matches nothing", () => {
    const events = [
      event("de", {}, { customer: { country: "DE" }, total: 120 }),
      event("fr", {}, { customer: { country: "FR" }, total: 80 }),
      event("array", {}, [{ customer: { country: "DE" } }]),
      event("truncated", {}, '{"customer": {"country": "DE"'),
      event("plain", {}, "order paid"),
    ];
    const current = compileOrThrow({ customer: { country: ["DE", "FR"] } }, "MessageBody");
    const draft = compileOrThrow({ customer: { country: ["DE"] }, total: [{ numeric: [">", 100] }] }, "MessageBody");
    const impact = policyImpact(current, draft, events);
    expect(impact).toMatchObject({ events: 5, deliveredBefore: 2, deliveredAfter: 1 });
    expect(ids(impact.newlyDropped.examples)).toEqual(["fr"]);
    // A malformed body is not delivered before or after: the change does not touch it.
    expect(impact.newlyDelivered.count).toBe(0);
    // From nothing to a body policy: every event whose body cannot match is dropped.
    expect(ids(policyImpact(null, draft, events).newlyDropped.examples)).toEqual(["fr", "array", "truncated", "plain"]);
  });

  it("compares policies of different scopes over the same events", () => {
    const events = [
      event("attribute-only", { eventType: "order.paid" }, { eventType: "order.placed" }),
      event("body-only", { eventType: "order.placed" }, { eventType: "order.paid" }),
    ];
    const byAttribute = compileOrThrow({ eventType: ["order.paid"] }, "MessageAttributes");
    const byBody = compileOrThrow({ eventType: ["order.paid"] }, "MessageBody");
    const impact = policyImpact(byAttribute, byBody, events);
    expect(ids(impact.newlyDropped.examples)).toEqual(["attribute-only"]);
    expect(ids(impact.newlyDelivered.examples)).toEqual(["body-only"]);
  });
});

describe("the impact over every subscription of the topic", () => {
  const current = compileOrThrow({ eventType: [{ prefix: "order." }] });
  const draft = compileOrThrow({ eventType: ["order.paid"] });

  it("finds the events no subscription receives after the change, and those it alone made unread", () => {
    const refunds = compileOrThrow({ eventType: [{ prefix: "refund." }] });
    const impact = topicImpact(current, draft, [refunds], orders);
    expect(impact.topic.otherSubscriptions).toBe(1);
    expect(ids(impact.topic.reachNoSubscriber.examples)).toEqual(["placed", "no-attributes"]);
    expect(ids(impact.topic.newlyReachNoSubscriber.examples)).toEqual(["placed"]);
    // The subscription's own part is the same as without the others.
    expect(impact.newlyDropped).toEqual(policyImpact(current, draft, orders).newlyDropped);
  });

  it("leaves nothing unread while another subscription has no policy", () => {
    const impact = topicImpact(current, draft, [compileOrThrow({ eventType: ["x"] }), null], orders);
    expect(impact.topic.reachNoSubscriber).toEqual({ count: 0, examples: [] });
  });

  it("asks body policies of other subscriptions too, a malformed body reaching none of them", () => {
    const events = [
      event("body-big", { eventType: "order.placed" }, { total: 500 }),
      event("body-small", { eventType: "order.placed" }, { total: 5 }),
      event("malformed", { eventType: "order.placed" }, "{not json"),
    ];
    const bigOrders = compileOrThrow({ total: [{ numeric: [">", 100] }] }, "MessageBody");
    const impact = topicImpact(current, draft, [bigOrders], events);
    expect(impact.newlyDropped.count).toBe(3);
    expect(ids(impact.topic.reachNoSubscriber.examples)).toEqual(["body-small", "malformed"]);
    expect(impact.topic.newlyReachNoSubscriber.count).toBe(2);
  });

  it("counts an event unread before the change as not newly unread", () => {
    const impact = topicImpact(current, draft, [], [event("audit", { eventType: "audit.read" })]);
    expect(impact.topic.reachNoSubscriber.count).toBe(1);
    expect(impact.topic.newlyReachNoSubscriber.count).toBe(0);
  });
});

describe("verdicts remembered by the attributes a policy names", () => {
  const raw = (id: string, attributes: Record<string, MessageAttribute>): ImpactEvent => ({
    id,
    body: "{}",
    attributes,
  });
  const events = [
    ...orders,
    // Same named attributes, another unnamed one: the same verdict.
    event("paid-dear-again", { eventType: "order.paid", price_usd: 250, channel: "web" }),
    raw("binary", { eventType: { Type: "Binary", Value: "b3JkZXIucGFpZA==" } }),
    raw("array", { eventType: { Type: "String.Array", Value: '["order.paid","x"]' } }),
    raw("bad-array", { eventType: { Type: "String.Array", Value: "order.paid" } }),
    raw("only-other", { channel: { Type: "String", Value: "web" } }),
    // A value that spells another key's separators stays itself.
    raw("forged", { eventType: { Type: "String", Value: "|String:10:order.paid" } }),
    event("number-as-string", { eventType: "order.paid", price_usd: "250" }),
  ];
  const policies = [
    { eventType: ["order.paid"], price_usd: [{ numeric: [">", 100] }] },
    { eventType: [{ exists: false }] },
    { eventType: [{ exists: true }] },
    { price_usd: [{ "anything-but": [250] }] },
    { $or: [{ eventType: [{ prefix: "refund." }] }, { channel: ["web"] }] },
  ];

  it.each(policies.map((p) => [JSON.stringify(p), p]))("agree with the engine on every event: %s", (_, policy) => {
    const compiled = compileOrThrow(policy);
    const delivers = verdictOf(compiled);
    // Twice over: the second pass answers from what the first remembered.
    for (const pass of [1, 2])
      for (const e of events)
        expect([pass, e.id, delivers(e)]).toEqual([
          pass,
          e.id,
          evaluateFilterPolicy(compiled, { attributes: e.attributes }).match,
        ]);
  });

  it("tells apart events without attributes from those whose named attributes are absent", () => {
    const delivers = verdictOf(compileOrThrow({ eventType: [{ exists: false }] }));
    expect(delivers(event("other", { channel: "web" }))).toBe(true);
    expect(delivers(event("none", {}))).toBe(false);
  });
});

describe("body verdicts remembered by the members a policy's paths start at", () => {
  const bodies = [
    { customer: { country: "DE", tier: "gold" }, total: 120 },
    { customer: { country: "DE", tier: "gold" }, total: 120, orderId: "other" },
    { "customer.country": "DE", total: 120 },
    { customer: { country: "FR" }, total: 500 },
    {
      lines: [
        { sku: "a-1", qty: 2 },
        { sku: "b-2", qty: 1 },
      ],
    },
    {
      lines: [
        { sku: "a-1", qty: 1 },
        { sku: "b-2", qty: 2 },
      ],
    },
    { customer: { country: ["DE", "FR"] } },
    { customer: null },
    {},
    [{ customer: { country: "DE" } }],
    '{"customer": {"country": "DE"',
    "plain text",
    "null",
  ].map((b, i) => event(`b${i}`, {}, b));
  const policies = [
    { customer: { country: ["DE"] }, total: [{ numeric: [">", 100] }] },
    { "customer.country": ["DE"] },
    { lines: { sku: ["a-1"], qty: [{ numeric: ["=", 2] }] } },
    { customer: { tier: [{ exists: false }] } },
    { $or: [{ customer: { country: [{ prefix: "F" }] } }, { total: [{ numeric: [">=", 500] }] }] },
  ];

  it.each(policies.map((p) => [JSON.stringify(p), p]))("agree with the engine on every body: %s", (_, policy) => {
    const compiled = compileOrThrow(policy, "MessageBody");
    const delivers = verdictOf(compiled);
    for (const pass of [1, 2])
      for (const e of bodies)
        expect([pass, e.id, delivers(e)]).toEqual([pass, e.id, evaluateFilterPolicy(compiled, { body: e.body }).match]);
  });

  it("asks the engine directly once keys stop repeating, with the same answers", () => {
    const compiled = compileOrThrow({ amount: [{ numeric: [">", 300] }] });
    const delivers = verdictOf(compiled);
    const amounts = Array.from({ length: 1200 }, (_, i) => event(`a${i}`, { amount: (i * 7) % 1000 }));
    const delivered = amounts.filter(delivers).length;
    expect(delivered).toBe(
      amounts.filter((e) => evaluateFilterPolicy(compiled, { attributes: e.attributes }).match).length,
    );
    expect(delivered).toBe(813);
  });
});
