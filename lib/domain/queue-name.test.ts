import { describe, expect, it } from "vitest";
import { isQueueName } from "./queue-name";

describe("isQueueName", () => {
  it.each(["orders", "orders-dlq_2", "a".repeat(80), "orders.fifo", `${"a".repeat(75)}.fifo`])("accepts %s", (name) =>
    expect(isQueueName(name)).toBe(true),
  );

  it.each(["", "a".repeat(81), `${"a".repeat(76)}.fifo`, "orders.dlq", "https://sqs/orders", "orders fifo", ".fifo"])(
    "refuses %j",
    (name) => expect(isQueueName(name)).toBe(false),
  );
});
