import { describe, expect, it } from "vitest";
import {
  MASK,
  MAX_JSON_DEPTH,
  decodeMessage,
  expiresAtOf,
  maskMessage,
  maskPublished,
  matchesSearch,
  parseMaskRules,
  revealValue,
  toFilterMessage,
  type DeadLetterMessage,
  withheldText,
  type ReceivedMessage,
} from "./dead-letter-message";

const SENT = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
const DAY = 86_400;

function received(extra: Partial<ReceivedMessage> = {}): ReceivedMessage {
  return {
    messageId: "0f3c6f7a-1111-2222-3333-444455556666",
    receiptHandle: "rh-1",
    body: '{"orderId":"o-1","customer":{"email":"ada@example.com"}}',
    attributes: {
      SentTimestamp: String(SENT),
      ApproximateReceiveCount: "4",
      ApproximateFirstReceiveTimestamp: String(SENT + 1000),
    },
    messageAttributes: {},
    ...extra,
  };
}

const decode = (m: ReceivedMessage, fifo = false) => decodeMessage(m, { retentionSeconds: 14 * DAY, fifo });

/** A body as SNS delivers it to an SQS subscription without raw message delivery. */
function snsBody(message: string, attributes: Record<string, { Type: string; Value: string }> = {}): string {
  return JSON.stringify({
    Type: "Notification",
    MessageId: "sns-1",
    TopicArn: "arn:aws:sns:us-east-1:123456789012:orders",
    Subject: "order placed",
    Message: message,
    Timestamp: "2025-01-02T03:04:05.678Z",
    SignatureVersion: "1",
    MessageAttributes: attributes,
  });
}

describe("decodeMessage", () => {
  it("decodes the system attributes, timestamps to ISO text", () => {
    const d = decode(
      received({
        attributes: {
          SentTimestamp: String(SENT),
          ApproximateReceiveCount: "4",
          ApproximateFirstReceiveTimestamp: String(SENT + 1000),
          MessageGroupId: "g-1",
          MessageDeduplicationId: "dd-1",
          SequenceNumber: "18849496460467696128",
          DeadLetterQueueSourceArn: "arn:aws:sqs:us-east-1:123456789012:orders.fifo",
          AWSTraceHeader: "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1",
          SenderId: "AIDAEXAMPLE",
        },
      }),
    );
    expect(d.system).toEqual({
      sentAt: "2025-01-02T03:04:05.678Z",
      receiveCount: 4,
      firstReceivedAt: "2025-01-02T03:04:06.678Z",
      groupId: "g-1",
      deduplicationId: "dd-1",
      sequenceNumber: "18849496460467696128",
      sourceArn: "arn:aws:sqs:us-east-1:123456789012:orders.fifo",
      traceHeader: "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1",
      senderId: "AIDAEXAMPLE",
    });
    expect(d.masked).toEqual([]);
    expect(d.messageId).toBe("0f3c6f7a-1111-2222-3333-444455556666");
  });

  it("parses a JSON body and leaves a non-SNS body without an envelope", () => {
    const d = decode(received());
    expect(d.bodyJson).toEqual({ orderId: "o-1", customer: { email: "ada@example.com" } });
    expect(d.sns).toBeUndefined();
    expect(d.body).toBe(received().body);
  });

  it("shows JSON nested deeper than MAX_JSON_DEPTH as text, so no later walk of it can exhaust the stack", () => {
    const deep = decode(received({ body: `${"[".repeat(10_000)}${"]".repeat(10_000)}` }));
    expect(deep.bodyJson).toBeUndefined();
    expect(() => JSON.stringify(deep)).not.toThrow();
    const atLimit = `${"[".repeat(MAX_JSON_DEPTH)}${"]".repeat(MAX_JSON_DEPTH)}`;
    expect(decode(received({ body: atLimit })).bodyJson).toBeDefined();
    // Brackets inside strings are text, escaped quotes included.
    const quoted = JSON.stringify({ text: `\"${"[".repeat(500)}` });
    expect(decode(received({ body: quoted })).bodyJson).toEqual({ text: `\"${"[".repeat(500)}` });
  });

  it("recognises the SNS notification envelope and parses a JSON Message", () => {
    const d = decode(
      received({
        body: snsBody('{"card":"4111"}', {
          tenant: { Type: "String", Value: "acme" },
          bad: { Type: "String" } as never,
        }),
      }),
    );
    expect(d.sns).toEqual({
      messageId: "sns-1",
      topicArn: "arn:aws:sns:us-east-1:123456789012:orders",
      subject: "order placed",
      timestamp: "2025-01-02T03:04:05.678Z",
      message: '{"card":"4111"}',
      messageJson: { card: "4111" },
      attributes: { tenant: { type: "String", value: "acme" } },
    });
  });

  it("keeps an SNS envelope whose Message is not JSON, without messageJson", () => {
    const d = decode(received({ body: snsBody("plain text") }));
    expect(d.sns?.message).toBe("plain text");
    expect(d.sns && "messageJson" in d.sns).toBe(false);
  });

  it.each([
    ["a subscription confirmation", JSON.stringify({ Type: "SubscriptionConfirmation", Message: "confirm" })],
    ["a notification without a string Message", JSON.stringify({ Type: "Notification", Message: { a: 1 } })],
    ["a JSON array", "[1,2]"],
  ])("does not take %s for an SNS envelope", (_label, body) => {
    const d = decode(received({ body }));
    expect(d.bodyJson).toBeDefined();
    expect(d.sns).toBeUndefined();
  });

  it.each([["not json {"], [""], ["\u0000\uFFFF garbage"], ['{"unterminated": "']])(
    "never throws on a garbage body: %j",
    (body) => {
      const d = decode(received({ body }));
      expect(d.body).toBe(body);
      expect("bodyJson" in d).toBe(false);
    },
  );

  it("never throws on garbage attributes", () => {
    const d = decode(
      received({
        attributes: {
          SentTimestamp: "yesterday",
          ApproximateReceiveCount: "many",
          ApproximateFirstReceiveTimestamp: "99999999999999999999",
        },
        messageAttributes: { broken: null as never, ok: { dataType: "Number", stringValue: "3" } },
      }),
    );
    expect(d.system).toEqual({});
    expect(d.expiresAt).toBeUndefined();
    expect(d.attributes).toEqual({ ok: { dataType: "Number", stringValue: "3" } });
    expect(() => decode({ messageId: "x", receiptHandle: "y", body: "z" } as unknown as ReceivedMessage)).not.toThrow();
  });

  it("copies message attributes, binary ones included", () => {
    const d = decode(
      received({
        messageAttributes: {
          blob: { dataType: "Binary", binaryValue: "AAEC" },
          kind: { dataType: "String.custom", stringValue: "x" },
        },
      }),
    );
    expect(d.attributes).toEqual({
      blob: { dataType: "Binary", binaryValue: "AAEC" },
      kind: { dataType: "String.custom", stringValue: "x" },
    });
  });

  it("computes the expiry from SentTimestamp on a standard queue, and leaves it out on a FIFO queue", () => {
    expect(decode(received()).expiresAt).toBe(new Date(SENT + 14 * DAY * 1000).toISOString());
    expect(decode(received(), true).expiresAt).toBeUndefined();
  });
});

describe("expiresAtOf", () => {
  it.each([
    [SENT, 60, new Date(SENT + 60_000).toISOString()],
    [0, 4 * DAY, "1970-01-05T00:00:00.000Z"],
    [undefined, 60, undefined],
    [SENT, Number.NaN, undefined],
    [8.64e15, 1, undefined],
  ])("sent %s + %s s → %s", (sent, retention, expected) => {
    expect(expiresAtOf(sent, retention)).toBe(expected);
  });
});

describe("parseMaskRules", () => {
  it("splits, trims, drops empties and strips the optional path prefixes", () => {
    expect(
      parseMaskRules(" $.customer.email, payload.items.*.card ,,password, $. ", "Authorization , x-api-key,, "),
    ).toEqual({
      payloadPaths: ["customer.email", "items.*.card", "password"],
      attributeNames: ["Authorization", "x-api-key"],
    });
    expect(parseMaskRules("", "")).toEqual({ payloadPaths: [], attributeNames: [] });
  });
});

describe("maskMessage", () => {
  const secret = "4111-1111-1111-1111";
  const nested = decode(
    received({
      body: JSON.stringify({
        items: [{ card: secret, sku: "a" }, { card: "5500-0000", sku: "b" }, { sku: "c" }],
        customer: { email: "ada@example.com", tags: ["x", secret] },
      }),
      messageAttributes: {
        Authorization: { dataType: "String", stringValue: "Bearer s3cr3t" },
        Blob: { dataType: "Binary", binaryValue: "c2VjcmV0" },
        kind: { dataType: "String", stringValue: "order" },
      },
    }),
  );

  it("masks every array element under a * segment and re-serializes the body", () => {
    const m = maskMessage(nested, { payloadPaths: ["items.*.card", "customer.tags.1"], attributeNames: [] });
    expect(m.masked).toEqual(["payload.customer.tags.1", "payload.items.0.card", "payload.items.1.card"]);
    expect(m.bodyJson).toEqual({
      items: [{ card: MASK, sku: "a" }, { card: MASK, sku: "b" }, { sku: "c" }],
      customer: { email: "ada@example.com", tags: ["x", MASK] },
    });
    expect(JSON.parse(m.body)).toEqual(m.bodyJson);
    expect(JSON.stringify(m).includes(secret)).toBe(false);
    expect(JSON.stringify(m).includes("5500-0000")).toBe(false);
  });

  it("does not change the message it is given", () => {
    const before = JSON.stringify(nested);
    maskMessage(nested, { payloadPaths: ["items.*.card", "customer"], attributeNames: ["authorization"] });
    expect(JSON.stringify(nested)).toBe(before);
  });

  it("masks whole objects and arrays, and numbers and booleans, but not null", () => {
    const d = decode(received({ body: JSON.stringify({ a: { b: 1 }, n: 42, t: true, z: null, list: [1, 2] }) }));
    const m = maskMessage(d, { payloadPaths: ["a", "n", "t", "z", "list"], attributeNames: [] });
    expect(m.bodyJson).toEqual({ a: MASK, n: MASK, t: MASK, z: null, list: MASK });
    expect(m.masked).toEqual(["payload.a", "payload.list", "payload.n", "payload.t"]);
  });

  it("matches * against object keys and a numeric segment only against array indexes or a key of that name", () => {
    const d = decode(
      received({
        body: JSON.stringify({
          users: { u1: { pw: "p1" }, u2: { pw: "p2" } },
          rows: [["a", "b"]],
          map: { "0": "zero" },
        }),
      }),
    );
    const m = maskMessage(d, { payloadPaths: ["users.*.pw", "rows.0.1", "map.0", "rows.x"], attributeNames: [] });
    expect(m.masked).toEqual(["payload.map.0", "payload.rows.0.1", "payload.users.u1.pw", "payload.users.u2.pw"]);
    expect(m.bodyJson).toEqual({
      users: { u1: { pw: MASK }, u2: { pw: MASK } },
      rows: [["a", MASK]],
      map: { "0": MASK },
    });
  });

  it("masks message attributes by name in any case, string and binary values", () => {
    const m = maskMessage(nested, { payloadPaths: [], attributeNames: ["authorization", "BLOB"] });
    expect(m.attributes).toEqual({
      Authorization: { dataType: "String", stringValue: MASK },
      Blob: { dataType: "Binary", binaryValue: MASK },
      kind: { dataType: "String", stringValue: "order" },
    });
    expect(m.masked).toEqual(["attribute.Authorization", "attribute.Blob"]);
    expect(m.body).toBe(nested.body); // The payload was not touched: the body keeps its text.
    expect(JSON.stringify(m).includes("s3cr3t")).toBe(false);
  });

  it("masks inside an SNS envelope's JSON Message, and rewrites the Message, the envelope and the body", () => {
    const d = decode(
      received({
        body: snsBody(JSON.stringify({ payment: { card: secret }, n: 1 }), {
          token: { Type: "String", Value: "tok-secret" },
          tenant: { Type: "String", Value: "acme" },
        }),
      }),
    );
    const m = maskMessage(d, { payloadPaths: ["payment.card"], attributeNames: ["Token"] });
    expect(m.masked).toEqual(["attribute.token", "payload.payment.card"]);
    expect(m.sns?.messageJson).toEqual({ payment: { card: MASK }, n: 1 });
    expect(JSON.parse(m.sns?.message ?? "")).toEqual({ payment: { card: MASK }, n: 1 });
    expect(m.sns?.attributes).toEqual({
      token: { type: "String", value: MASK },
      tenant: { type: "String", value: "acme" },
    });
    const envelope = JSON.parse(m.body) as Record<string, unknown>;
    expect(envelope).toEqual(m.bodyJson);
    expect(envelope).toMatchObject({
      Type: "Notification",
      TopicArn: "arn:aws:sns:us-east-1:123456789012:orders",
      MessageAttributes: { token: { Type: "String", Value: MASK } },
    });
    const text = JSON.stringify(m);
    expect(text.includes(secret)).toBe(false);
    expect(text.includes("tok-secret")).toBe(false);
    // Decoding the masked body again gives the masked message back.
    expect(decode(received({ body: m.body })).sns).toEqual(m.sns);
  });

  it("masks only an SNS attribute: the envelope and body are rewritten, the Message kept", () => {
    const d = decode(received({ body: snsBody("hello", { token: { Type: "String", Value: "tok-secret" } }) }));
    const m = maskMessage(d, { payloadPaths: [], attributeNames: ["token"] });
    expect(m.sns?.message).toBe("hello");
    expect(JSON.stringify(m).includes("tok-secret")).toBe(false);
  });

  it("with a non-JSON SNS Message, payload paths apply to the envelope itself", () => {
    const d = decode(received({ body: snsBody(`card ${secret}`) }));
    const m = maskMessage(d, { payloadPaths: ["Message"], attributeNames: [] });
    expect(m.masked).toEqual(["payload.Message"]);
    expect(m.sns?.message).toBe(MASK);
    expect(JSON.stringify(m).includes(secret)).toBe(false);
  });

  it("returns an equal message with masked [] when nothing matches", () => {
    const m = maskMessage(nested, {
      payloadPaths: ["nope", "items.9.card", "customer.email.deeper"],
      attributeNames: ["missing"],
    });
    expect(m).toEqual(nested);
    expect(m.masked).toEqual([]);
    // Without payload rules a text body is shown as it is.
    const garbage = decode(received({ body: "not json" }));
    expect(maskMessage(garbage, { payloadPaths: [], attributeNames: ["missing"] })).toEqual(garbage);
  });

  it("deduplicates paths matched by several rules", () => {
    const m = maskMessage(nested, {
      payloadPaths: ["items.0.card", "items.*.card", "items.0.card"],
      attributeNames: ["authorization", "Authorization"],
    });
    expect(m.masked).toEqual(["attribute.Authorization", "payload.items.0.card", "payload.items.1.card"]);
  });

  it("treats a __proto__ key as plain data", () => {
    const d = decode(received({ body: '{"__proto__":{"pw":"p"},"x":1}' }));
    const m = maskMessage(d, { payloadPaths: ["__proto__.pw"], attributeNames: [] });
    expect(m.masked).toEqual(["payload.__proto__.pw"]);
    expect(m.body).toBe('{"__proto__":{"pw":"••••"},"x":1}');
    expect(({} as Record<string, unknown>).pw).toBeUndefined();
  });
});

describe("maskMessage never fails open (any payload rule in force)", () => {
  const secret = "cus-SECRET42";
  const rules = { payloadPaths: ["customerId"], attributeNames: [] };
  const deepTail = `${"[".repeat(MAX_JSON_DEPTH + 1)}${"]".repeat(MAX_JSON_DEPTH + 1)}`;

  it("withholds a JSON body nested deeper than the tree limit, saying why and how big it is", () => {
    const body = `{"customerId":"${secret}","deep":${deepTail}}`;
    const m = maskMessage(decode(received({ body })), rules);
    expect(JSON.stringify(m)).not.toContain(secret);
    expect(m.withheld).toEqual({
      part: "body",
      reason: `nested deeper than ${MAX_JSON_DEPTH} levels`,
      bytes: body.length,
    });
    expect(m.body).toBe(withheldText(m.withheld!));
    expect(m.body).toContain(`${body.length}-byte body`);
    expect(m.bodyJson).toBeUndefined();
  });

  it("withholds a body that is not JSON", () => {
    const body = `corrupted order event customerId=${secret} {`;
    const m = maskMessage(decode(received({ body })), rules);
    expect(JSON.stringify(m)).not.toContain(secret);
    expect(m.withheld).toEqual({ part: "body", reason: "not JSON", bytes: body.length });
    expect(matchesSearch(m, secret)).toBe(false);
  });

  it("counts the size in UTF-8 bytes", () => {
    const m = maskMessage(decode(received({ body: "é not json" })), rules);
    expect(m.withheld?.bytes).toBe(11);
  });

  it("re-serializes the body from the parsed value: the first of two duplicate keys does not leak", () => {
    const m = maskMessage(decode(received({ body: `{"customerId":"${secret}","customerId":null}` })), rules);
    expect(m.masked).toEqual([]);
    expect(m.body).toBe('{"customerId":null}');
    expect(JSON.stringify(m)).not.toContain(secret);
    expect(m.withheld).toBeUndefined();
  });

  it("re-serializes an SNS Message with duplicate keys, and the envelope with it", () => {
    const m = maskMessage(decode(received({ body: snsBody(`{"customerId":"${secret}","customerId":null}`) })), rules);
    expect(m.sns?.message).toBe('{"customerId":null}');
    expect(JSON.stringify(m)).not.toContain(secret);
    expect(JSON.parse(m.body)).toMatchObject({ Type: "Notification", Message: '{"customerId":null}' });
  });

  it("withholds an SNS Message nested too deep, keeping the envelope", () => {
    const message = `{"customerId":"${secret}","deep":${deepTail}}`;
    const m = maskMessage(decode(received({ body: snsBody(message) })), rules);
    expect(JSON.stringify(m)).not.toContain(secret);
    expect(m.withheld).toEqual({
      part: "sns.message",
      reason: `nested deeper than ${MAX_JSON_DEPTH} levels`,
      bytes: message.length,
    });
    expect(m.sns?.message).toBe(withheldText(m.withheld!));
    expect(m.sns?.topicArn).toBe("arn:aws:sns:us-east-1:123456789012:orders");
    expect(JSON.parse(m.body)).toMatchObject({ Type: "Notification", Message: withheldText(m.withheld!) });
  });

  it("withholds an SNS Message that is not JSON", () => {
    const m = maskMessage(decode(received({ body: snsBody(`customerId=${secret}`) })), rules);
    expect(JSON.stringify(m)).not.toContain(secret);
    expect(m.withheld).toMatchObject({ part: "sns.message", reason: "not JSON" });
  });

  it("leaves the text alone when there is no payload rule", () => {
    const body = `customerId=${secret}`;
    expect(maskMessage(decode(received({ body })), { payloadPaths: [], attributeNames: [] }).body).toBe(body);
  });
});

describe("maskPublished", () => {
  const rules = { payloadPaths: ["customer.email"], attributeNames: ["token"] };

  it("masks the payload and the attributes by name, re-serializing the body", () => {
    const m = maskPublished(
      {
        name: "s",
        body: '{"customer":{"email":"a@example.com"},"customer":{"email":"b@example.com"}}',
        attributes: { Token: { Type: "String", Value: "t-1" }, kind: { Type: "String", Value: "k" } },
      },
      rules,
    );
    expect(m.body).toBe(`{"customer":{"email":"${MASK}"}}`);
    expect(m.attributes).toEqual({ Token: { Type: "String", Value: MASK }, kind: { Type: "String", Value: "k" } });
    expect(m.name).toBe("s");
    expect(JSON.stringify(m)).not.toMatch(/@example\.com|t-1/);
  });

  it("withholds a payload that does not parse", () => {
    const m = maskPublished({ body: "a@example.com", attributes: {} }, rules);
    expect(m.withheld).toMatchObject({ part: "body", reason: "not JSON" });
    expect(m.body).not.toContain("a@example.com");
  });
});

describe("revealValue", () => {
  const d = decode(
    received({
      body: JSON.stringify({ items: [{ card: "4111", qty: 2, meta: { a: [1] } }] }),
      messageAttributes: {
        Authorization: { dataType: "String", stringValue: "Bearer x" },
        Blob: { dataType: "Binary", binaryValue: "AAEC" },
      },
    }),
  );

  it.each([
    ["payload.items.0.card", "4111"],
    ["payload.items.0.qty", "2"],
    ["payload.items.0.meta", '{"a":[1]}'],
    ["payload.items.1.card", undefined],
    ["payload.items.x", undefined],
    ["attribute.Authorization", "Bearer x"],
    ["attribute.authorization", "Bearer x"],
    ["attribute.Blob", "AAEC"],
    ["attribute.none", undefined],
    ["items.0.card", undefined],
  ])("%s → %j", (path, expected) => {
    expect(revealValue(d, path)).toBe(expected);
  });

  it("reads the SNS Message's JSON and the SNS attributes", () => {
    const s = decode(received({ body: snsBody('{"card":"4111"}', { token: { Type: "String", Value: "tok" } }) }));
    expect(revealValue(s, "payload.card")).toBe("4111");
    expect(revealValue(s, "attribute.token")).toBe("tok");
  });

  it("reveals what maskMessage hid", () => {
    const m = maskMessage(d, { payloadPaths: ["items.*.card"], attributeNames: ["authorization"] });
    expect(m.masked.map((p) => revealValue(d, p))).toEqual(["Bearer x", "4111"]);
  });
});

describe("matchesSearch", () => {
  const d = decode(
    received({
      body: JSON.stringify({ orderId: "O-77", note: "Dringend" }),
      attributes: { SentTimestamp: String(SENT), MessageGroupId: "tenant-42", ApproximateReceiveCount: "5" },
      messageAttributes: {
        EventType: { dataType: "String", stringValue: "OrderPlaced" },
        empty: { dataType: "String", stringValue: "" },
      },
    }),
  );
  const s = decode(
    received({ body: snsBody("Payment FAILED for card", { region: { Type: "String", Value: "eu-west-1" } }) }),
  );

  it.each<[DeadLetterMessage, string, boolean]>([
    [d, "", true],
    [d, "   ", true],
    [d, "o-77", true],
    [d, "DRINGEND o-77", true],
    [d, "dringend missing", false],
    [d, "0f3c6f7a", true],
    [d, "orderplaced", true],
    [d, "eventtype=placed", true],
    [d, "EVENTTYPE=order", true],
    [d, "eventtype=shipped", false],
    [d, "eventtype=", true],
    [d, "empty=", true],
    [d, "absent=", false],
    [d, "groupid=tenant", true],
    [d, "groupId=TENANT-42", true],
    [d, "receivecount=5", true],
    [d, "orderId=O-77", false], // Body fields are not named fields: only attributes and system fields are.
    [d, "tenant-42", false], // A system field is reached only by its name.
    [s, "payment failed", true],
    [s, "region=eu-", true],
    [s, "EU-WEST", true],
    [s, "region=us-", false],
  ])("%#: %j → %s", (message, query, expected) => {
    expect(matchesSearch(message, query)).toBe(expected);
  });

  it("does not find a masked secret", () => {
    const m = maskMessage(d, { payloadPaths: ["note"], attributeNames: ["eventtype"] });
    expect(matchesSearch(m, "dringend")).toBe(false);
    expect(matchesSearch(m, "eventtype=order")).toBe(false);
    expect(matchesSearch(m, "eventtype=")).toBe(true);
  });
});

describe("toFilterMessage", () => {
  it("takes the SNS envelope's attributes as they are", () => {
    const s = decode(
      received({
        body: snsBody('{"a":1}', {
          price: { Type: "Number", Value: "10" },
          tags: { Type: "String.Array", Value: '["x"]' },
        }),
        messageAttributes: { ignored: { dataType: "String", stringValue: "y" } },
      }),
    );
    expect(toFilterMessage(s, "MessageAttributes")).toEqual({
      attributes: { price: { Type: "Number", Value: "10" }, tags: { Type: "String.Array", Value: '["x"]' } },
    });
    expect(toFilterMessage(s, "MessageBody")).toEqual({ body: '{"a":1}' });
  });

  it("maps SQS attribute data types to their base type", () => {
    // By attribute name: the SQS data type, the value, and the type the filter policy sees (none: left out).
    const attributes: Record<string, [dataType: string, value: string, filterType?: string]> = {
      s: ["String", "v", "String"],
      n: ["Number", "1.5", "Number"],
      arr: ["String.Array", '["a"]', "String.Array"],
      b: ["Binary", "AAEC", "Binary"],
      cs: ["String.tenant", "acme", "String"],
      cn: ["Number.int", "3", "Number"],
      cb: ["Binary.gif", "R0lG", "Binary"],
      odd: ["Weird", "?"],
    };
    const d = decode(
      received({
        messageAttributes: Object.fromEntries(
          Object.entries(attributes).map(([name, [dataType, value]]) => [
            name,
            dataType.startsWith("Binary") ? { dataType, binaryValue: value } : { dataType, stringValue: value },
          ]),
        ),
      }),
    );
    expect(toFilterMessage(d, "MessageAttributes")).toEqual({
      attributes: Object.fromEntries(
        Object.entries(attributes).flatMap(([name, [, value, type]]) =>
          type ? [[name, { Type: type, Value: value }]] : [],
        ),
      ),
    });
    expect(toFilterMessage(d, "MessageBody")).toEqual({ body: d.body });
  });
});
