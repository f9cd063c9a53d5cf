import { describe, expect, it } from "vitest";
import type { OrderEvent } from "../shared/order-event";
import { invalidBodies, orderEvent, sqsRecord } from "../shared/testing";
import { processNotificationRecord } from "./process";

describe("processNotificationRecord", () => {
  it.each([
    ["order.placed", { amount: 59.9, currency: "EUR" }, "Thank you! We received your order ord-1001 for €59.90."],
    [
      "order.placed in yen",
      { amount: 1200, currency: "JPY" },
      "Thank you! We received your order ord-1001 for ¥1,200.",
    ],
    [
      "order.shipped",
      { type: "order.shipped", priority: "express" },
      "Your order ord-1001 is on its way (express delivery).",
    ],
    [
      "order.refunded",
      { type: "order.refunded", amount: 12, currency: "USD" },
      "We refunded $12.00 for your order ord-1001.",
    ],
    ["order.paid", { type: "order.paid" }, null],
    ["order.cancelled", { type: "order.cancelled" }, null],
  ] as [string, Partial<OrderEvent>, string | null][])("%s", (_name, overrides, message) => {
    const event = orderEvent(overrides);
    expect(processNotificationRecord(sqsRecord(event))).toEqual({
      eventId: event.eventId,
      customerId: "cus-42",
      message,
    });
  });

  it.each(invalidBodies)("throws on %s", (_name, body, error) => {
    expect(() => processNotificationRecord(sqsRecord(body))).toThrow(error);
  });
});
