import { parseOrderEvent, type OrderEvent } from "../shared/order-event";
import type { SQSRecord } from "../shared/sqs-batch";

export interface NotificationResult {
  eventId: string;
  customerId: string;
  /** The text sent to the customer, or null for an event customers are not told about. */
  message: string | null;
}

function formatAmount(amount: number, currency: string): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(amount);
}

function messageFor(event: OrderEvent): string | null {
  switch (event.type) {
    case "order.placed":
      return `Thank you! We received your order ${event.orderId} for ${formatAmount(event.amount, event.currency)}.`;
    case "order.shipped":
      return `Your order ${event.orderId} is on its way (${event.priority} delivery).`;
    case "order.refunded":
      return `We refunded ${formatAmount(event.amount, event.currency)} for your order ${event.orderId}.`;
    default:
      return null;
  }
}

/** The notification service's work for one order event; throws on a bad or poison message. */
export function processNotificationRecord(record: Pick<SQSRecord, "body">): NotificationResult {
  const event = parseOrderEvent(record.body);
  return { eventId: event.eventId, customerId: event.customerId, message: messageFor(event) };
}
