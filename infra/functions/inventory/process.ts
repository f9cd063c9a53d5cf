import { parseOrderEvent, type OrderEventType } from "../shared/order-event";
import type { SQSRecord } from "../shared/sqs-batch";

export interface InventoryResult {
  eventId: string;
  orderId: string;
  action: "reserve" | "release" | "ignore";
}

/** Placed orders hold their stock and cancelled ones give it back; any other event needs nothing. */
const stockActions: Partial<Record<OrderEventType, InventoryResult["action"]>> = {
  "order.placed": "reserve",
  "order.cancelled": "release",
};

/** The inventory service's work for one order event; throws on a bad or poison message. */
export function processInventoryRecord(record: Pick<SQSRecord, "body">): InventoryResult {
  const event = parseOrderEvent(record.body);
  return { eventId: event.eventId, orderId: event.orderId, action: stockActions[event.type] ?? "ignore" };
}
