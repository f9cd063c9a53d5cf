import { parseOrderEvent, type OrderEvent } from "../shared/order-event";
import type { SQSRecord } from "../shared/sqs-batch";

export interface PaymentResult {
  eventId: string;
  orderId: string;
  action: "capture" | "refund" | "ignore";
  /** What moves: the order's amount for a capture or a refund, 0 otherwise. */
  amount: number;
  currency: string;
}

/** Paid orders are captured and refunded ones paid back; test traffic never moves money. */
function paymentAction(event: OrderEvent): PaymentResult["action"] {
  if (event.traffic !== "live") return "ignore";
  if (event.type === "order.paid") return "capture";
  if (event.type === "order.refunded") return "refund";
  return "ignore";
}

/** The payment service's work for one order event; throws on a bad or poison message. */
export function processPaymentRecord(record: Pick<SQSRecord, "body">): PaymentResult {
  const event = parseOrderEvent(record.body);
  const action = paymentAction(event);
  return {
    eventId: event.eventId,
    orderId: event.orderId,
    action,
    amount: action === "ignore" ? 0 : event.amount,
    currency: event.currency,
  };
}
