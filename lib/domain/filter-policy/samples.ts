import type { MessageAttribute } from "./types";

/** A message as published to a topic: the body and the message attributes that come with it. */
export interface SampleMessage {
  name: string;
  body: string;
  attributes: Record<string, MessageAttribute>;
}

function orderEvent(
  name: string,
  type: string,
  amount: number,
  traffic: "live" | "test",
  extra: Record<string, unknown> = {},
): SampleMessage {
  const event = {
    eventId: "6f1c2a9e-3b7d-4e8a-9c0f-2d5b8a1e4c73",
    type,
    orderId: "ord-1001",
    customerId: "cus-42",
    amount,
    currency: "EUR",
    region: "eu-west",
    priority: "standard",
    occurredAt: "2026-11-28T07:30:00.000Z",
    traffic,
    ...extra,
  };
  return {
    name,
    body: JSON.stringify(event, null, 2),
    attributes: {
      eventType: { Type: "String", Value: type },
      amount: { Type: "Number", Value: String(amount) },
      region: { Type: "String", Value: "eu-west" },
      priority: { Type: "String", Value: "standard" },
      traffic: { Type: "String", Value: traffic },
    },
  };
}

/** Ready-made messages in the shape the demo pipeline publishes, for trying policies out. */
export const sampleMessages: SampleMessage[] = [
  orderEvent("Order placed", "order.placed", 59.9, "live"),
  orderEvent("Order paid", "order.paid", 59.9, "live"),
  orderEvent("Order shipped", "order.shipped", 59.9, "live"),
  orderEvent("Order cancelled", "order.cancelled", 0, "live"),
  orderEvent("Order refunded", "order.refunded", 59.9, "live"),
  orderEvent("Test traffic: order paid", "order.paid", 12.5, "test"),
];
