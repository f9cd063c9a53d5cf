import { describe, expect, it } from "vitest";
import { silenceCovers, silenceFrom, silenceOf, silenceRequestSchema, type Silence } from "./silences";

const MINUTE = 60_000;
const payments = "arn:aws:sqs:eu-west-1:111111111111:payments-dlq";
const alert = {
  environment: "production",
  region: "eu-west-1",
  rule: "dead-letters-arrived" as const,
  resource: payments,
};

const silence = (fields: Partial<Silence>): Silence => ({
  id: "s1",
  environment: "production",
  region: "eu-west-1",
  reason: "replaying after the fix",
  createdBy: "otto",
  createdAt: 0,
  expiresAt: 60 * MINUTE,
  ...fields,
});

describe("a silence covers an alert", () => {
  it.each([
    ["its rule", { rule: "dead-letters-arrived" as const }, true],
    ["another rule", { rule: "dead-letters-expiring" as const }, false],
    ["its resource pattern", { resource: "arn:aws:sqs:*:*:payments-*" }, true],
    ["another resource", { resource: "arn:aws:sqs:*:*:orders-*" }, false],
    ["its rule on its resource", { rule: "dead-letters-arrived" as const, resource: payments }, true],
    ["its rule on another resource", { rule: "dead-letters-arrived" as const, resource: "arn:aws:sqs:*:*:o*" }, false],
    ["in another environment", { rule: "dead-letters-arrived" as const, environment: "staging" }, false],
    ["in another region", { rule: "dead-letters-arrived" as const, region: "us-east-1" }, false],
  ])("naming %s: %s", (_label, fields, covers) => {
    expect(silenceCovers(silence(fields), alert, MINUTE)).toBe(covers);
  });

  it("from its start until it expires or is ended", () => {
    const s = silence({ rule: "dead-letters-arrived", createdAt: MINUTE });
    expect(silenceCovers(s, alert, MINUTE - 1)).toBe(false);
    expect(silenceCovers(s, alert, MINUTE)).toBe(true);
    expect(silenceCovers(s, alert, 60 * MINUTE - 1)).toBe(true);
    expect(silenceCovers(s, alert, 60 * MINUTE)).toBe(false);
    expect(silenceCovers({ ...s, endedAt: 2 * MINUTE, endedBy: "vera" }, alert, 2 * MINUTE)).toBe(false);
  });

  it("the one that lasts longest is the one the page names", () => {
    const short = silence({ id: "short", rule: "dead-letters-arrived", expiresAt: 10 * MINUTE });
    const long = silence({ id: "long", resource: "arn:aws:sqs:*:*:payments-*", expiresAt: 90 * MINUTE });
    const other = silence({ id: "other", rule: "consumer-paused", expiresAt: 900 * MINUTE });
    expect(silenceOf([short, long, other], alert, MINUTE)?.id).toBe("long");
    expect(silenceOf([other], alert, MINUTE)).toBeUndefined();
  });
});

describe("a silence request", () => {
  it("makes a silence from now for its minutes, with its reason and who asked", () => {
    const request = silenceRequestSchema.parse({ rule: "dead-letters-arrived", reason: "  replaying  ", minutes: 30 });
    expect(
      silenceFrom(request, { id: "s9", environment: "production", region: "eu-west-1", createdBy: "otto", now: 1_000 }),
    ).toEqual({
      id: "s9",
      environment: "production",
      region: "eu-west-1",
      rule: "dead-letters-arrived",
      reason: "replaying",
      createdBy: "otto",
      createdAt: 1_000,
      expiresAt: 1_000 + 30 * MINUTE,
    });
  });

  it.each([
    [{ reason: "x", minutes: 5 }, "rule", "must name a rule, a resource pattern or both"],
    [{ rule: "dead-letters-arrived", reason: " ", minutes: 5 }, "reason", "must say why"],
    [{ rule: "dead-letters-arrived", minutes: 5 }, "reason", "is required"],
    [{ rule: "nope", reason: "x", minutes: 5 }, "rule", "must be one of"],
    [{ resource: "payments-dlq", reason: "x", minutes: 5 }, "resource", "ARN pattern"],
    [{ rule: "dead-letters-arrived", reason: "x", minutes: 0 }, "minutes", "at least 1"],
    [{ rule: "dead-letters-arrived", reason: "x", minutes: 43_201 }, "minutes", "at most 43200"],
  ])("refuses %j at %s", (input, field, problem) => {
    const parsed = silenceRequestSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    const issues = parsed.error!.issues.map((i) => ({ field: i.path.join("."), message: i.message }));
    expect(issues).toContainEqual({ field, message: expect.stringContaining(problem) });
  });

  it("refuses a field it does not know, rather than silencing more than was asked", () => {
    const parsed = silenceRequestSchema.safeParse({ rule: "dead-letters-arrived", reason: "x", minutes: 5, until: 1 });
    expect(parsed.error?.issues).toMatchObject([{ code: "unrecognized_keys", keys: ["until"] }]);
  });
});
