import { describe, expect, it } from "vitest";
import { decodeMessage, MASK, parseMaskRules, revealValue, type ReceivedMessage } from "./dead-letter-message";
import {
  describeMasking,
  maskByPolicy,
  maskingFor,
  maskingPoliciesSchema,
  mayReveal,
  policiesAt,
  revealRefusal,
  rulesPolicy,
  type Masking,
  type MaskingPolicy,
} from "./masking-policy";

const PAYMENTS_DLQ = "arn:aws:sqs:eu-west-1:111111111111:payments-dlq";
const ORDERS_DLQ = "arn:aws:sqs:eu-west-1:111111111111:orders-dlq";

const noRules = parseMaskRules("", "");
const policy = (extra: Partial<MaskingPolicy> = {}): MaskingPolicy => ({
  resources: ["arn:aws:sqs:*:*:payments-*"],
  maskByDefault: false,
  allow: noRules,
  mask: noRules,
  reveal: "operator",
  from: "FANOUT_MASKING[0]",
  ...extra,
});
const otherwise = rulesPolicy(
  parseMaskRules("customer.email", "authorization"),
  "FANOUT_MASK_FIELDS and FANOUT_MASK_ATTRIBUTES",
);

function letter(body: unknown, messageAttributes: ReceivedMessage["messageAttributes"] = {}) {
  return decodeMessage(
    {
      messageId: "m-1",
      receiptHandle: "rh-1",
      body: typeof body === "string" ? body : JSON.stringify(body),
      attributes: {},
      messageAttributes,
    },
    { retentionSeconds: 0, fifo: false },
  );
}

const order = {
  orderId: "o-1",
  customer: { email: "ada@example.com", name: "Ada", tags: ["vip"] },
  items: [
    { sku: "A-1", card: "4111" },
    { sku: "B-2", card: "5500" },
  ],
  note: null,
};

describe("choosing the policy for a queue", () => {
  const masking: Masking = {
    policies: [
      policy({ name: "payments", maskByDefault: true }),
      policy({ resources: ["arn:aws:sqs:*:*:orders-*", "arn:aws:sqs:*:*:payments-dlq"], from: "FANOUT_MASKING[1]" }),
    ],
    otherwise,
  };

  it("takes the first policy with a matching pattern, and says which pattern", () => {
    expect(maskingFor(masking, PAYMENTS_DLQ)).toEqual({
      policy: masking.policies[0],
      queueArn: PAYMENTS_DLQ,
      pattern: "arn:aws:sqs:*:*:payments-*",
    });
    expect(maskingFor(masking, ORDERS_DLQ)).toMatchObject({
      policy: { from: "FANOUT_MASKING[1]" },
      pattern: "arn:aws:sqs:*:*:orders-*",
    });
  });

  it("falls back to the environment's rules where no pattern matches", () => {
    const inForce = maskingFor(masking, "arn:aws:sqs:eu-west-1:111111111111:audit-dlq");
    expect(inForce.policy).toBe(otherwise);
    expect(inForce.pattern).toBeUndefined();
    expect(maskingFor({ policies: [], otherwise }, PAYMENTS_DLQ).policy).toBe(otherwise);
  });
});

describe("masking by policy", () => {
  it("keeps today's rules where the policy names fields and attributes", () => {
    const m = maskByPolicy(
      letter(order, { authorization: { dataType: "String", stringValue: "Bearer x" } }),
      otherwise,
    );
    expect(m.masked).toEqual(["attribute.authorization", "payload.customer.email"]);
    expect(m.bodyJson).toMatchObject({ orderId: "o-1", customer: { email: MASK, name: "Ada" } });
  });

  it("masks by default everything an allowed path does not reach, nested paths and wildcards included", () => {
    const p = policy({ maskByDefault: true, allow: parseMaskRules("orderId,items.*.sku,customer.tags", "") });
    const m = maskByPolicy(letter(order), p);
    expect(m.bodyJson).toEqual({
      orderId: "o-1",
      customer: { email: MASK, name: MASK, tags: ["vip"] },
      items: [
        { sku: "A-1", card: MASK },
        { sku: "B-2", card: MASK },
      ],
      note: null,
    });
    expect(m.masked).toEqual([
      "payload.customer.email",
      "payload.customer.name",
      "payload.items.0.card",
      "payload.items.1.card",
    ]);
    expect(m.body).not.toContain("4111");
    expect(m.body).not.toContain("ada@example.com");
  });

  it("hides a subtree no allowed path enters whole, its keys with it", () => {
    const body = { orderId: "o-1", balances: { "ada@example.com": 10 } };
    const m = maskByPolicy(letter(body), policy({ maskByDefault: true, allow: parseMaskRules("orderId", "") }));
    expect(m.bodyJson).toEqual({ orderId: "o-1", balances: MASK });
    expect(m.body).not.toContain("ada@example.com");
    expect(m.masked).toEqual(["payload.balances"]);
  });

  it("shows an allowed index only, and the top level's keys even with nothing allowed", () => {
    const first = maskByPolicy(letter(order), policy({ maskByDefault: true, allow: parseMaskRules("items.0", "") }));
    expect((first.bodyJson as typeof order).items).toEqual([{ sku: "A-1", card: "4111" }, MASK]);
    const none = maskByPolicy(letter(order), policy({ maskByDefault: true }));
    expect(none.bodyJson).toEqual({ orderId: MASK, customer: MASK, items: MASK, note: null });
  });

  it("hides a bare JSON value as the payload, and reveals it whole", () => {
    const d = letter('"just a secret"');
    const m = maskByPolicy(d, policy({ maskByDefault: true, allow: parseMaskRules("a", "") }));
    expect(m.body).toBe(JSON.stringify(MASK));
    expect(m.masked).toEqual(["payload"]);
    expect(revealValue(d, "payload")).toBe("just a secret");
  });

  it("masks explicit fields even where allowed", () => {
    const p = policy({
      maskByDefault: true,
      allow: parseMaskRules("customer", ""),
      mask: parseMaskRules("customer.email", ""),
    });
    const m = maskByPolicy(letter(order), p);
    expect((m.bodyJson as typeof order).customer).toEqual({ email: MASK, name: "Ada", tags: ["vip"] });
  });

  it("masks every message attribute but the allowed ones, in any case, SQS's and SNS's", () => {
    const sns = JSON.stringify({
      Type: "Notification",
      MessageId: "sns-1",
      Message: JSON.stringify({ orderId: "o-1" }),
      MessageAttributes: {
        EventType: { Type: "String", Value: "order.paid" },
        token: { Type: "String", Value: "tok-secret" },
      },
    });
    const d = letter(sns, {
      eventType: { dataType: "String", stringValue: "order.paid" },
      Authorization: { dataType: "String", stringValue: "Bearer secret" },
      blob: { dataType: "Binary", binaryValue: "AAEC" },
    });
    const p = policy({ maskByDefault: true, allow: parseMaskRules("orderId", "EVENTTYPE") });
    const m = maskByPolicy(d, p);
    expect(m.attributes).toEqual({
      eventType: { dataType: "String", stringValue: "order.paid" },
      Authorization: { dataType: "String", stringValue: MASK },
      blob: { dataType: "Binary", binaryValue: MASK },
    });
    expect(m.sns?.attributes).toEqual({
      EventType: { type: "String", value: "order.paid" },
      token: { type: "String", value: MASK },
    });
    expect(m.body).not.toContain("tok-secret");
    expect(m.masked).toEqual(["attribute.Authorization", "attribute.blob", "attribute.token"]);
  });

  it("withholds a payload that is not JSON, as the rules do: it never fails open", () => {
    const m = maskByPolicy(letter("card=4111"), policy({ maskByDefault: true }));
    expect(m.withheld).toMatchObject({ part: "body", reason: "not JSON" });
    expect(m.body).not.toContain("4111");
  });

  it("leaves a letter whole under a policy that hides nothing", () => {
    const d = letter(order);
    expect(maskByPolicy(d, policy())).toEqual(d);
  });
});

describe("who may reveal", () => {
  it.each([
    ["operator", "viewer", false],
    ["operator", "operator", true],
    ["operator", "admin", true],
    ["admin", "operator", false],
    ["admin", "admin", true],
    ["none", "admin", false],
    ["operator", undefined, false],
  ] as const)("reveal %s, role %s: %s", (reveal, role, expected) => {
    expect(mayReveal(policy({ reveal }), role)).toBe(expected);
  });

  it("names the policy, the queue and the caller's role in a refusal", () => {
    const inForce = { policy: policy({ name: "payments PII", reveal: "admin" }), queueArn: PAYMENTS_DLQ };
    expect(revealRefusal(inForce, "admin")).toBeUndefined();
    expect(revealRefusal(inForce, "operator")).toBe(
      `The masking policy "payments PII" (FANOUT_MASKING[0]): only an admin on ${PAYMENTS_DLQ} may reveal masked ` +
        "values; your bindings give you operator there.",
    );
    expect(revealRefusal({ policy: policy({ reveal: "none" }), queueArn: PAYMENTS_DLQ }, "admin")).toBe(
      `The masking policy FANOUT_MASKING[0]: nobody may reveal masked values on ${PAYMENTS_DLQ}.`,
    );
  });
});

describe("describing the policy in force", () => {
  it("says which pattern chose a mask-by-default policy, what stays in sight and who may reveal", () => {
    const p = policy({
      name: "payments",
      maskByDefault: true,
      allow: parseMaskRules("orderId,items.*.sku", "eventType"),
      mask: parseMaskRules("", "authorization"),
      reveal: "admin",
    });
    const d = describeMasking({ policy: p, queueArn: PAYMENTS_DLQ, pattern: "arn:aws:sqs:*:*:payments-*" });
    expect(d).toMatchObject({
      from: "FANOUT_MASKING[0]",
      name: "payments",
      pattern: "arn:aws:sqs:*:*:payments-*",
      maskByDefault: true,
      allowedFields: ["orderId", "items.*.sku"],
      allowedAttributes: ["eventType"],
      attributes: ["authorization"],
      reveal: "admin",
    });
    expect(d.text).toEqual([
      `The masking policy "payments" (FANOUT_MASKING[0]) applies: this queue's ARN ${PAYMENTS_DLQ} matches arn:aws:sqs:*:*:payments-*.`,
      "Every payload field and every message attribute is hidden, except the fields orderId, items.*.sku and the attribute eventType (any case).",
      "Hidden even where allowed: the attribute authorization (any case).",
      "A payload that is not JSON, or is nested deeper than 128 levels, is withheld whole: the policy cannot be applied to it.",
      "Only an admin on this queue may reveal a hidden value, one at a time or in an export; every reveal is audited.",
    ]);
  });

  it("says the environment's rules apply where no policy matches", () => {
    const d = describeMasking({ policy: otherwise, queueArn: ORDERS_DLQ });
    expect(d.pattern).toBeUndefined();
    expect(d.text).toEqual([
      `No masking policy matches this queue (${ORDERS_DLQ}), so the masking rules of FANOUT_MASK_FIELDS and FANOUT_MASK_ATTRIBUTES apply.`,
      "Hidden: the field customer.email and the attribute authorization (any case).",
      "A payload that is not JSON, or is nested deeper than 128 levels, is withheld whole: the policy cannot be applied to it.",
      "An operator or admin on this queue may reveal a hidden value, one at a time or in an export; every reveal is audited.",
    ]);
  });

  it("says when nothing is hidden, and does not speak of revealing then", () => {
    const d = describeMasking({ policy: policy(), queueArn: PAYMENTS_DLQ, pattern: "arn:aws:sqs:*:*:payments-*" });
    expect(d.text.slice(1)).toEqual(["Nothing is hidden here."]);
  });

  it("says nobody may reveal under reveal: none", () => {
    const d = describeMasking({ policy: policy({ maskByDefault: true, reveal: "none" }), queueArn: PAYMENTS_DLQ });
    expect(d.text.at(-1)).toBe("Nobody may reveal a hidden value here, not even an admin.");
  });
});

describe("masking policies as configured", () => {
  const parse = (raw: unknown) => maskingPoliciesSchema.safeParse(raw);
  const problems = (raw: unknown) => {
    const parsed = parse(raw);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };

  it("reads a policy with defaults, paths normalized as FANOUT_MASK_FIELDS reads them", () => {
    const parsed = parse([
      { resources: ["arn:aws:sqs:*:*:payments-*"], maskByDefault: true, allow: { fields: ["$.orderId"] } },
      { name: " orders ", resources: ["*"], fields: ["payload.customer.email"], attributes: ["authorization"] },
    ]);
    expect(parsed.success).toBe(true);
    expect(policiesAt(parsed.data!, "FANOUT_MASKING")).toEqual([
      {
        resources: ["arn:aws:sqs:*:*:payments-*"],
        maskByDefault: true,
        allow: { payloadPaths: ["orderId"], attributeNames: [] },
        mask: { payloadPaths: [], attributeNames: [] },
        reveal: "operator",
        from: "FANOUT_MASKING[0]",
      },
      {
        name: "orders",
        resources: ["*"],
        maskByDefault: false,
        allow: { payloadPaths: [], attributeNames: [] },
        mask: { payloadPaths: ["customer.email"], attributeNames: ["authorization"] },
        reveal: "operator",
        from: "FANOUT_MASKING[1]",
      },
    ]);
  });

  it.each([
    [[{ resources: [] }], "0.resources: must list at least one ARN pattern"],
    [[{ resources: ["payments-*"] }], "0.resources.0: must be an ARN pattern such as"],
    [[{}], "0.resources: must be a list of ARN patterns"],
    [[{ resources: ["*"], reveal: "viewer" }], "0.reveal: must be operator, admin or none (a viewer never reveals)"],
    [[{ resources: ["*"], maskByDefault: "yes" }], "0.maskByDefault: must be true or false"],
    [[{ resources: ["*"], allow: { fields: ["id"] } }], "0.allow: applies only with maskByDefault: true"],
    [[{ resources: ["*"], fields: ["a..b"] }], '0.fields: "a..b" has an empty segment'],
    [
      [{ resources: ["*"], maskByDefault: true, allow: { fields: ["a."] } }],
      '0.allow.fields: "a." has an empty segment',
    ],
    [[{ resources: ["*"], fields: "customer.email" }], "0.fields: must be a list of dot paths"],
    [{ resources: ["*"] }, ": must be a list of masking policies"],
  ])("refuses %j, naming the field", (raw, problem) => {
    expect(problems(raw).join("; ")).toContain(problem);
  });

  it("refuses a field it does not know", () => {
    const parsed = parse([{ resources: ["*"], paths: ["x"] }]);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ code: "unrecognized_keys", keys: ["paths"], path: [0] });
  });
});
