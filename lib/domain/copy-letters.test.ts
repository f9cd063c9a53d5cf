import { describe, expect, it } from "vitest";
import { copyableMessage, copyTargetProblem, letterProblem, summarizeCopy } from "./copy-letters";
import { decodeMessage, MASK, maskMessage, parseMaskRules, type ReceivedMessage } from "./dead-letter-message";

const letter = (over: Partial<ReceivedMessage> = {}): ReceivedMessage => ({
  messageId: "m-1",
  receiptHandle: "h",
  body: JSON.stringify({ order: 7, customer: { email: "a@example.com" } }),
  attributes: { MessageGroupId: "g-1", AWSTraceHeader: "Root=1-abc", SentTimestamp: "1700000000000" },
  messageAttributes: {
    tenant: { dataType: "String", stringValue: "acme" },
    authorization: { dataType: "String", stringValue: "Bearer secret" },
    signature: { dataType: "Binary", binaryValue: "AQID" },
  },
  ...over,
});

const shownWith = (m: ReceivedMessage, fields: string, attributes: string) =>
  maskMessage(decodeMessage(m, { retentionSeconds: 0, fifo: false }), parseMaskRules(fields, attributes));

describe("copyableMessage", () => {
  it("sends the masked values as shown, never the originals, and a masked binary as a String mask", () => {
    const m = letter();
    const result = copyableMessage(m, shownWith(m, "customer.email", "authorization,signature"));
    if (!result.ok) throw new Error(result.reason);
    expect(JSON.parse(result.message.body)).toEqual({ order: 7, customer: { email: MASK } });
    expect(result.message.body).not.toContain("a@example.com");
    expect(result.message.messageAttributes).toEqual({
      tenant: { dataType: "String", stringValue: "acme" },
      authorization: { dataType: "String", stringValue: MASK },
      signature: { dataType: "String", stringValue: MASK },
    });
    expect(result.masked).toEqual(["attribute.authorization", "attribute.signature", "payload.customer.email"]);
  });

  it("keeps the group id and leaves the other account's trace header out", () => {
    const m = letter();
    const result = copyableMessage(m, shownWith(m, "", ""));
    if (!result.ok) throw new Error(result.reason);
    expect(result.message.attributes.MessageGroupId).toBe("g-1");
    expect(result.message.attributes.AWSTraceHeader).toBeUndefined();
    expect(result.message.body).toBe(m.body);
    expect(result.masked).toEqual([]);
  });

  it("refuses a payload the masking rules could not be applied to (shown as a placeholder)", () => {
    const m = letter({ body: "card=4111 1111 1111 1111" });
    const result = copyableMessage(m, shownWith(m, "card", ""));
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/not JSON.*not copied/) });
  });
});

describe("letterProblem", () => {
  it.each([
    [{ MessageGroupId: "g" }, true, undefined],
    [{}, true, /MessageGroupId/],
    [{}, false, undefined],
  ])("attributes %j into a FIFO target: %s", (attributes, fifo, expected) => {
    const problem = letterProblem(letter({ attributes }), fifo);
    if (expected) expect(problem).toMatch(expected);
    else expect(problem).toBeUndefined();
  });
});

describe("copyTargetProblem", () => {
  it("refuses the DLQ's own environment and region, and lets another region or environment through", () => {
    const source = { environment: "production", region: "us-east-1" };
    expect(copyTargetProblem(source, { ...source, queue: "q" })).toMatch(/use Replay/);
    expect(copyTargetProblem(source, { environment: "production", region: "eu-west-1", queue: "q" })).toBeUndefined();
    expect(copyTargetProblem(source, { environment: "staging", region: "us-east-1", queue: "q" })).toBeUndefined();
  });
});

describe("summarizeCopy", () => {
  it("counts a copy whose original could not be deleted as copied", () => {
    expect(
      summarizeCopy([
        { messageId: "a", outcome: "copied", copyMessageId: "x", masked: [] },
        { messageId: "b", outcome: "moved", copyMessageId: "y", masked: [] },
        { messageId: "c", outcome: "copied-not-deleted", copyMessageId: "z", masked: [], reason: "r" },
        { messageId: "d", outcome: "failed", reason: "r" },
        { messageId: "e", outcome: "not-leased", reason: "r" },
      ]),
    ).toEqual({ copied: 2, moved: 1, failed: 1, notLeased: 1 });
  });
});
