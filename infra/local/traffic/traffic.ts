import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import {
  orderEventErrors,
  toMessageAttributes,
  type OrderEvent,
  type OrderEventType,
} from "../../functions/shared/order-event";

/**
 * Realistic order traffic for the local pipeline: orders are placed, then paid and shipped, or
 * cancelled, or refunded after payment; each event published once to the orders topic with the
 * message attributes the filter policies read, the order id as the FIFO message group (so each
 * order's events stay in order), and a configurable share of poison events that every handler
 * rejects and that end in the dead-letter queues.
 */

export interface TrafficOptions {
  /** Events per second. moto's SQS scans whole queues on every call, so keep this modest. */
  rate: number;
  /** Share of events (0–1) that are poison: flagged `poison: true`, or (a quarter of them) not JSON at all. */
  poisonShare: number;
  /** Share of events (0–1) marked as test traffic, which the payment subscription filters out. */
  testShare: number;
}

export const defaultTraffic: TrafficOptions = { rate: 2, poisonShare: 0.08, testShare: 0.1 };

export interface GeneratedEvent {
  event: OrderEvent;
  /** What is published: the event as JSON, or for a malformed poison event a text that is not JSON. */
  body: string;
}

interface OpenOrder {
  orderId: string;
  customerId: string;
  amount: number;
  currency: string;
  region: string;
  priority: "standard" | "express";
  traffic: "live" | "test";
  state: "placed" | "paid" | "shipped";
}

const regions = ["us-east", "us-west", "eu-central", "eu-west", "ap-south"];
const currencies = ["USD", "EUR", "GBP"];

/** A deterministic stream of order events for a given random source. */
export function createOrderStream(
  rand: () => number,
  options: Pick<TrafficOptions, "poisonShare" | "testShare">,
  clock: () => Date = () => new Date(),
) {
  const open: OpenOrder[] = [];
  let sequence = 0;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const id = (prefix: string) =>
    `${prefix}-${Math.floor(rand() * 36 ** 8)
      .toString(36)
      .padStart(8, "0")}`;
  const uuid = () => {
    const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${"89ab"[Math.floor(rand() * 4)]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };

  function advance(): { order: OpenOrder; type: OrderEventType } {
    // Keep a handful of orders in flight; otherwise move one of them along its lifecycle.
    if (open.length < 5 || rand() < 0.4) {
      const order: OpenOrder = {
        orderId: id("ord"),
        customerId: id("cus"),
        amount: Math.round((5 + rand() * 495) * 100) / 100,
        currency: pick(currencies),
        region: pick(regions),
        priority: rand() < 0.2 ? "express" : "standard",
        traffic: rand() < options.testShare ? "test" : "live",
        state: "placed",
      };
      open.push(order);
      return { order, type: "order.placed" };
    }
    const index = Math.floor(rand() * open.length);
    const order = open[index]!;
    const close = () => open.splice(index, 1);
    if (order.state === "placed") {
      if (rand() < 0.15) {
        close();
        return { order, type: "order.cancelled" };
      }
      order.state = "paid";
      return { order, type: "order.paid" };
    }
    if (order.state === "paid") {
      if (rand() < 0.1) {
        close();
        return { order, type: "order.refunded" };
      }
      order.state = "shipped";
      return { order, type: "order.shipped" };
    }
    close();
    return { order, type: rand() < 0.1 ? "order.refunded" : "order.shipped" };
  }

  return function next(): GeneratedEvent {
    sequence++;
    const { order, type } = advance();
    const poison = rand() < options.poisonShare;
    const event: OrderEvent = {
      eventId: uuid(),
      type,
      orderId: order.orderId,
      customerId: order.customerId,
      amount: order.amount,
      currency: order.currency,
      region: order.region,
      priority: order.priority,
      occurredAt: clock().toISOString(),
      traffic: order.traffic,
      ...(poison ? { poison: true } : {}),
    };
    // Unique text even when malformed, so content-based deduplication never merges two events.
    const body = poison && sequence % 4 === 0 ? `corrupted order event ${event.eventId} {` : JSON.stringify(event);
    return { event, body };
  };
}

/**
 * Whether a handler's error is one the generator's poison events cause on purpose: a `poison: true`
 * event, or a body that is not JSON. A body that parses but breaks the schema is not among them.
 */
export function isDeliberatePoisonError(message: string): boolean {
  return [orderEventErrors.poison, orderEventErrors.malformedJson].some((cause) => message.startsWith(`${cause}: `));
}

export interface PublishedEvent extends GeneratedEvent {
  messageId: string;
  traceHeader?: string;
}

/** Publishes one event to the topic, with the trace header as the X-Ray SDK would send it. */
export async function publishOrderEvent(
  sns: SNSClient,
  topicArn: string,
  generated: GeneratedEvent,
  traceHeader?: string,
): Promise<PublishedEvent> {
  const command = new PublishCommand({
    TopicArn: topicArn,
    Message: generated.body,
    MessageGroupId: generated.event.orderId,
    MessageAttributes: toMessageAttributes(generated.event),
  });
  if (traceHeader) {
    command.middlewareStack.add(
      (next) => (args) => {
        (args.request as { headers: Record<string, string> }).headers["X-Amzn-Trace-Id"] = traceHeader;
        return next(args);
      },
      { step: "build", name: "fanoutTraceHeader" },
    );
  }
  const { MessageId } = await sns.send(command);
  return { ...generated, messageId: MessageId!, ...(traceHeader ? { traceHeader } : {}) };
}
