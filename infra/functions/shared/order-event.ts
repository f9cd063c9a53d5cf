import { z } from "zod";

/** What can happen to an order; the `type` of each event and its `eventType` message attribute. */
export const orderEventTypes = [
  "order.placed",
  "order.paid",
  "order.cancelled",
  "order.refunded",
  "order.shipped",
] as const;
export type OrderEventType = (typeof orderEventTypes)[number];

/** The body of every message the traffic generator publishes to the orders topic. */
export const orderEventSchema = z.object({
  eventId: z.uuid(),
  type: z.enum(orderEventTypes),
  orderId: z.string().min(1),
  customerId: z.string().min(1),
  amount: z.number().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/, "expected a 3-letter upper-case currency code"),
  region: z.string().min(1),
  priority: z.enum(["standard", "express"]),
  occurredAt: z.iso.datetime({ offset: true }),
  traffic: z.enum(["live", "test"]),
  /** Set on the share of traffic meant to fail in every handler and end in a dead-letter queue. */
  poison: z.boolean().optional(),
});
export type OrderEvent = z.infer<typeof orderEventSchema>;

// Message attributes the generator sets on each Publish (name → SNS DataType), for attribute-scope filter policies.
export const orderEventAttributeTypes = {
  eventType: "String",
  amount: "Number",
  region: "String",
  priority: "String",
  traffic: "String",
} as const;
export type OrderEventAttributeName = keyof typeof orderEventAttributeTypes;

export interface MessageAttributeValue {
  DataType: string;
  StringValue: string;
}

/** An event's message attributes in the shape SNS Publish takes, so the filter policies see them. */
export function toMessageAttributes(event: OrderEvent): Record<OrderEventAttributeName, MessageAttributeValue> {
  const attribute = (name: OrderEventAttributeName, value: string) => ({
    DataType: orderEventAttributeTypes[name],
    StringValue: value,
  });
  return {
    eventType: attribute("eventType", event.type),
    amount: attribute("amount", String(event.amount)),
    region: attribute("region", event.region),
    priority: attribute("priority", event.priority),
    traffic: attribute("traffic", event.traffic),
  };
}

/** How parseOrderEvent's errors begin, by cause; the local run tells deliberate poison apart by them. */
export const orderEventErrors = {
  malformedJson: "malformed JSON",
  invalid: "invalid order event",
  poison: "poison message",
} as const;

/**
 * Parses and validates one message body. Throws an Error saying what was wrong (unparseable JSON,
 * or each failing field with its path), or `poison message: <eventId>` for a poison event, so
 * that the record fails, is retried and finally lands in the queue's dead-letter queue.
 */
export function parseOrderEvent(body: string): OrderEvent {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw new Error(`${orderEventErrors.malformedJson}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const result = orderEventSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`);
    throw new Error(`${orderEventErrors.invalid}: ${problems.join("; ")}`);
  }
  if (result.data.poison) throw new Error(`${orderEventErrors.poison}: ${result.data.eventId}`);
  return result.data;
}
