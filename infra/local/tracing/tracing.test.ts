import { describe, expect, it } from "vitest";
import { recordFailureOf } from "./tracing";

describe("recordFailureOf", () => {
  it("reads a handler's failed-record line into the failure its trace records", () => {
    const line = JSON.stringify({
      service: "payment",
      messageId: "m-1",
      receiveCount: 2,
      error: "poison message: e-1",
      errorType: "Error",
      stack: ["at processPaymentRecord (/x/process.ts:30:11)"],
    });
    expect(recordFailureOf(line, 1_790_000_000_000)).toEqual({
      messageId: "m-1",
      at: 1_790_000_000_000,
      error: {
        message: "poison message: e-1",
        type: "Error",
        stack: ["at processPaymentRecord (/x/process.ts:30:11)"],
      },
    });
  });

  it("ignores other lines: plain text, JSON without a message id or error", () => {
    expect(recordFailureOf("Task timed out", 1)).toBeUndefined();
    expect(recordFailureOf(JSON.stringify({ service: "payment", records: 3, failed: 1 }), 1)).toBeUndefined();
    expect(recordFailureOf(JSON.stringify({ messageId: 7, error: "x" }), 1)).toBeUndefined();
  });
});
