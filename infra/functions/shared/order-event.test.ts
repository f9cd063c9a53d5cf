import { describe, expect, it } from "vitest";
import {
  orderEventAttributeTypes,
  orderEventTypes,
  parseOrderEvent,
  toMessageAttributes,
  type OrderEvent,
} from "./order-event";
import { invalidBodies, orderEvent } from "./testing";

describe("parseOrderEvent", () => {
  const valid: [name: string, event: OrderEvent][] = [
    ["a placed order", orderEvent()],
    ...orderEventTypes.map((type): [string, OrderEvent] => [`type ${type}`, orderEvent({ type })]),
    ["test traffic, express, amount 0", orderEvent({ traffic: "test", priority: "express", amount: 0 })],
    ["a date-time with an offset", orderEvent({ occurredAt: "2025-11-28T08:30:00+01:00" })],
    ["poison: false", orderEvent({ poison: false })],
  ];
  it.each(valid)("accepts %s", (_name, event) => {
    expect(parseOrderEvent(JSON.stringify(event))).toEqual(event);
  });

  it("drops fields it does not know", () => {
    expect(parseOrderEvent(JSON.stringify({ ...orderEvent(), extra: 1 }))).not.toHaveProperty("extra");
  });

  it.each(invalidBodies)("refuses %s", (_name, body, error) => {
    expect(() => parseOrderEvent(typeof body === "string" ? body : JSON.stringify(body))).toThrow(error);
  });

  it("names every failing field at once", () => {
    const body = JSON.stringify({ ...orderEvent(), amount: -5, currency: "euro" });
    expect(() => parseOrderEvent(body)).toThrow(/amount: .*; currency: /);
  });
});

describe("toMessageAttributes", () => {
  it("sets the five attributes the filter policies match, amount as a Number", () => {
    expect(
      toMessageAttributes(orderEvent({ type: "order.refunded", amount: 12.5, traffic: "test", priority: "express" })),
    ).toEqual({
      eventType: { DataType: "String", StringValue: "order.refunded" },
      amount: { DataType: "Number", StringValue: "12.5" },
      region: { DataType: "String", StringValue: "eu-west-1" },
      priority: { DataType: "String", StringValue: "express" },
      traffic: { DataType: "String", StringValue: "test" },
    });
    expect(Object.keys(orderEventAttributeTypes).sort()).toEqual([
      "amount",
      "eventType",
      "priority",
      "region",
      "traffic",
    ]);
  });
});
