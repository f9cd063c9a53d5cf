import { describe, expect, it } from "vitest";
import type { OrderEvent } from "../shared/order-event";
import { invalidBodies, orderEvent, sqsRecord } from "../shared/testing";
import { processPaymentRecord, type PaymentResult } from "./process";

describe("processPaymentRecord", () => {
  it.each([
    ["captures a paid order", { type: "order.paid", amount: 120.5, currency: "USD" }, "capture", 120.5],
    ["refunds a refunded order", { type: "order.refunded", amount: 30 }, "refund", 30],
    ["moves nothing for a placed order", { type: "order.placed" }, "ignore", 0],
    ["moves nothing for a cancelled order", { type: "order.cancelled" }, "ignore", 0],
    ["moves nothing for a shipped order", { type: "order.shipped" }, "ignore", 0],
    ["never captures test traffic", { type: "order.paid", traffic: "test" }, "ignore", 0],
    ["never refunds test traffic", { type: "order.refunded", traffic: "test" }, "ignore", 0],
    ["captures a free order", { type: "order.paid", amount: 0 }, "capture", 0],
  ] as [string, Partial<OrderEvent>, PaymentResult["action"], number][])("%s", (_name, overrides, action, amount) => {
    const event = orderEvent(overrides);
    expect(processPaymentRecord(sqsRecord(event))).toEqual({
      eventId: event.eventId,
      orderId: event.orderId,
      action,
      amount,
      currency: event.currency,
    });
  });

  it.each(invalidBodies)("throws on %s", (_name, body, error) => {
    expect(() => processPaymentRecord(sqsRecord(body))).toThrow(error);
  });
});
