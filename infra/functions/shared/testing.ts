/** Builders for the handlers' tests: valid order events and SQS records as Lambda delivers them. */
import type { OrderEvent } from "./order-event";
import type { SQSEvent, SQSRecord } from "./sqs-batch";

export const standardQueueArn = "arn:aws:sqs:us-east-1:123456789012:fanout-demo-standard";
export const fifoQueueArn = "arn:aws:sqs:us-east-1:123456789012:fanout-demo-inventory.fifo";

export function orderEvent(overrides: Partial<OrderEvent> = {}): OrderEvent {
  return {
    eventId: "6f1c2a9e-3b7d-4e8a-9c0f-2d5b8a1e4c73",
    type: "order.placed",
    orderId: "ord-1001",
    customerId: "cus-42",
    amount: 59.9,
    currency: "EUR",
    region: "eu-west-1",
    priority: "standard",
    occurredAt: "2025-11-28T07:30:00.000Z",
    traffic: "live",
    ...overrides,
  };
}

/** A record whose body is `body` as is when a string, else its JSON. */
export function sqsRecord(body: unknown, messageId = "m-1", queueArn = fifoQueueArn): SQSRecord {
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body: typeof body === "string" ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: "1764315000000",
      SenderId: "AIDAEXAMPLE",
      ApproximateFirstReceiveTimestamp: "1764315000100",
      ...(queueArn.endsWith(".fifo")
        ? { MessageGroupId: "ord-1001", MessageDeduplicationId: messageId, SequenceNumber: "1" }
        : {}),
    },
    messageAttributes: {},
    md5OfBody: "0".repeat(32),
    eventSource: "aws:sqs",
    eventSourceARN: queueArn,
    awsRegion: "us-east-1",
  };
}

export function sqsEvent(bodies: unknown[], queueArn = fifoQueueArn): SQSEvent {
  return { Records: bodies.map((body, i) => sqsRecord(body, `m-${i + 1}`, queueArn)) };
}

/** Bodies every handler must refuse, with a piece of the error each must give. */
export const invalidBodies: [name: string, body: unknown, error: string | RegExp][] = [
  ["not JSON", "{not json", /^malformed JSON: /],
  ["empty body", "", /^malformed JSON: /],
  ["JSON but not an object", "42", /^invalid order event: \(body\): /],
  ["missing eventId", { ...orderEvent(), eventId: undefined }, /invalid order event: eventId: /],
  ["eventId not a uuid", orderEvent({ eventId: "abc" }), /eventId: /],
  ["unknown type", { ...orderEvent(), type: "order.lost" }, /type: /],
  ["negative amount", orderEvent({ amount: -1 }), /amount: /],
  ["amount as a string", { ...orderEvent(), amount: "10" }, /amount: /],
  ["lower-case currency", orderEvent({ currency: "eur" }), /currency: expected a 3-letter upper-case currency code/],
  ["unknown priority", { ...orderEvent(), priority: "overnight" }, /priority: /],
  ["occurredAt not a date-time", orderEvent({ occurredAt: "yesterday" }), /occurredAt: /],
  ["unknown traffic", { ...orderEvent(), traffic: "canary" }, /traffic: /],
  ["poison", orderEvent({ poison: true }), "poison message: 6f1c2a9e-3b7d-4e8a-9c0f-2d5b8a1e4c73"],
];
