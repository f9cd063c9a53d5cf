import { describe, expect, it } from "vitest";
import type { OrderEventType } from "../shared/order-event";
import { invalidBodies, orderEvent, sqsRecord } from "../shared/testing";
import { processInventoryRecord } from "./process";

describe("processInventoryRecord", () => {
  it.each([
    ["order.placed", "reserve"],
    ["order.cancelled", "release"],
    ["order.paid", "ignore"],
    ["order.refunded", "ignore"],
    ["order.shipped", "ignore"],
  ] as [OrderEventType, string][])("%s → %s", (type, action) => {
    const event = orderEvent({ type, orderId: "ord-7" });
    expect(processInventoryRecord(sqsRecord(event))).toEqual({ eventId: event.eventId, orderId: "ord-7", action });
  });

  it.each(invalidBodies)("throws on %s", (_name, body, error) => {
    expect(() => processInventoryRecord(sqsRecord(body))).toThrow(error);
  });
});
