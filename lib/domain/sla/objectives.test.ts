import { describe, expect, it } from "vitest";
import { SLO_WINDOW_DAYS, defaultObjectives, parseObjectives, type Objectives } from "./objectives";

function ok(result: ReturnType<typeof parseObjectives>): Objectives {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.issues)}`);
  return result.objectives;
}

/** A refusal naming one variable, with a problem that says `problem`. */
function expectOneIssue(result: ReturnType<typeof parseObjectives>, variable: string, problem: string) {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.issues).toEqual([{ variable, problem: expect.stringContaining(problem) }]);
}

describe("defaultObjectives", () => {
  it("are seeded from the AWS SLAs with end to end their product", () => {
    expect(SLO_WINDOW_DAYS).toBe(30);
    expect(defaultObjectives.sns).toBe(0.999);
    expect(defaultObjectives.sqs).toBe(0.999);
    expect(defaultObjectives.lambda).toBe(0.9995);
    // 0.999 × 0.999 = 0.998001; × 0.9995 = 0.998001 − 0.0004990005 = 0.9975019995.
    expect(defaultObjectives.endToEnd).toBeCloseTo(0.9975019995, 12);
    expect(defaultObjectives.latency).toEqual({ lambdaP99Ms: 5000, queueAgeSeconds: 300 });
  });
});

describe("parseObjectives", () => {
  it("keeps the defaults when nothing is given", () => {
    const o = ok(parseObjectives({}));
    expect(o).toEqual(defaultObjectives);
    expect(o.endToEnd).toBeCloseTo(0.9975019995, 12);
  });

  it("treats empty and blank values as unset", () => {
    expect(ok(parseObjectives({ sns: "", sqs: "  ", lambdaP99Ms: "" }))).toEqual(defaultObjectives);
  });

  it("reads percents as fractions, exactly (99.9 → 0.999, not 0.9990000000000001)", () => {
    const o = ok(parseObjectives({ sns: "99.9", sqs: " 99.5 ", lambda: "99.99%" }));
    expect(o.sns).toBe(0.999);
    expect(o.sqs).toBe(0.995);
    expect(o.lambda).toBe(0.9999);
  });

  it("recomputes end to end from the overridden three when it is not given", () => {
    // 0.99 × 0.995 = 0.98505; × 0.9995 = 0.98505 − 0.000492525 = 0.984557475.
    const o = ok(parseObjectives({ sns: "99", sqs: "99.5" }));
    expect(o.sns).toBe(0.99);
    expect(o.sqs).toBe(0.995);
    expect(o.lambda).toBe(0.9995);
    expect(o.endToEnd).toBeCloseTo(0.984557475, 12);
  });

  it("uses end to end as given", () => {
    expect(ok(parseObjectives({ endToEnd: "99" })).endToEnd).toBe(0.99);
    const o = ok(parseObjectives({ sns: "90", endToEnd: "99.5" }));
    expect(o.sns).toBe(0.9);
    expect(o.endToEnd).toBe(0.995);
  });

  it("overrides the latency objectives", () => {
    const o = ok(parseObjectives({ lambdaP99Ms: "2500", queueAgeSeconds: "60.5" }));
    expect(o.latency).toEqual({ lambdaP99Ms: 2500, queueAgeSeconds: 60.5 });
    expect(o.sns).toBe(0.999);
  });

  it.each([
    ["100", "outside"],
    ["0", "outside"],
    ["-5", "outside"],
    ["150", "outside"],
    ["abc", "not a number"],
    ["1e2", "not a number"],
    ["0x10", "not a number"],
    ["Infinity", "not a number"],
    ["99.9.9", "not a number"],
  ])("rejects the objective %j (%s)", (value, problem) => {
    expectOneIssue(parseObjectives({ sns: value }), "FANOUT_SLO_SNS", problem);
  });

  it.each([
    ["0", "not positive"],
    ["-1", "not positive"],
    ["fast", "not a number"],
  ])("rejects the latency %j (%s)", (value, problem) => {
    expectOneIssue(parseObjectives({ lambdaP99Ms: value }), "FANOUT_SLO_LAMBDA_P99_MS", problem);
  });

  it("reports every bad variable, in order, without cascading into end to end", () => {
    const result = parseObjectives({
      sns: "100",
      sqs: "99.9",
      lambda: "x",
      endToEnd: "0",
      lambdaP99Ms: "5000",
      queueAgeSeconds: "-3",
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.variable)).toEqual([
      "FANOUT_SLO_SNS",
      "FANOUT_SLO_LAMBDA",
      "FANOUT_SLO_END_TO_END",
      "FANOUT_SLO_QUEUE_AGE_SECONDS",
    ]);
    const noE2e = parseObjectives({ sqs: "abc" });
    expect(noE2e.ok === false && noE2e.issues.map((i) => i.variable)).toEqual(["FANOUT_SLO_SQS"]);
  });
});
