import { describe, expect, it } from "vitest";
import type { ReceivedMessage } from "../dead-letter-message";
import { firstErrorOf, newestLetterOf, tracedHeaderOf } from "./newest-letter";

const letter = (messageId: string, attributes: Record<string, string> = {}): ReceivedMessage => ({
  messageId,
  receiptHandle: `rh-${messageId}`,
  body: "{}",
  attributes,
  messageAttributes: {},
});
const header = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

describe("the newest letter of a peek", () => {
  it("is the one SQS stamped last; the first listed of a tie, one without a stamp only when none has one", () => {
    const letters = [
      letter("a", { SentTimestamp: "1000" }),
      letter("b", { SentTimestamp: "3000" }),
      letter("c", { SentTimestamp: "3000" }),
      letter("d"),
    ];
    expect(newestLetterOf(letters)?.messageId).toBe("b");
    expect(newestLetterOf([letter("x"), letter("y")])?.messageId).toBe("x");
    expect(newestLetterOf([])).toBeUndefined();
  });

  it("has a trace header to look its story up by when one is readable and not unsampled", () => {
    expect(tracedHeaderOf(letter("a", { AWSTraceHeader: header }))).toBe(header);
    expect(tracedHeaderOf(letter("a", { AWSTraceHeader: header.replace("Sampled=1", "Sampled=0") }))).toBeUndefined();
    expect(tracedHeaderOf(letter("a", { AWSTraceHeader: "Root=nonsense" }))).toBeUndefined();
    expect(tracedHeaderOf(letter("a"))).toBeUndefined();
  });
});

describe("the first error of a letter's failed invocations", () => {
  it("is the oldest attempt's type and message as recorded, on one line, clipped", () => {
    const attempt = (at: number, type?: string, message?: string) => ({
      at,
      functionName: "billing",
      exception: { ...(type ? { type } : {}), ...(message ? { message } : {}) },
    });
    expect(firstErrorOf([attempt(1, "TypeError", "order 17\n has no amount"), attempt(2, "Error", "later")])).toBe(
      "TypeError: order 17 has no amount",
    );
    expect(firstErrorOf([attempt(1, undefined, "Task timed out")])).toBe("Task timed out");
    expect(firstErrorOf([attempt(1, "Timeout")])).toBe("Timeout");
    expect(firstErrorOf([attempt(1)])).toBeUndefined();
    expect(firstErrorOf([])).toBeUndefined();
    expect(firstErrorOf([attempt(1, "Error", "x".repeat(500))])).toHaveLength(300);
  });
});
