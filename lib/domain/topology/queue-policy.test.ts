import { describe, expect, it } from "vitest";
import { arnMatches, globMatch, queuePolicyAllowsTopic } from "./queue-policy";
import { queueArn, topicArn } from "../../../test/fixtures/topology";

const orders = topicArn("orders");
const work = queueArn("work");
type Statement = Record<string, unknown>;
const sns = { Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: work };
const policy = (...statements: Statement[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const allowed = (text: string | undefined, topic = orders) => queuePolicyAllowsTopic(text, topic, work).allowed;

describe("queuePolicyAllowsTopic", () => {
  it("refuses when there is no policy, or it cannot be read", () => {
    expect(queuePolicyAllowsTopic(undefined, orders, work)).toEqual({
      allowed: false,
      reason: "the queue has no access policy",
    });
    expect(queuePolicyAllowsTopic("", orders, work)).toEqual({
      allowed: false,
      reason: "the queue has no access policy",
    });
    expect(queuePolicyAllowsTopic("{not json", orders, work)).toEqual({
      allowed: false,
      reason: "the queue's access policy is not valid JSON",
    });
    expect(allowed("[]")).toBe(false);
  });

  it("allows a statement without a SourceArn condition", () => {
    expect(allowed(policy(sns))).toBe(true);
    expect(allowed(JSON.stringify({ Statement: sns }))).toBe(true); // a single statement object
  });

  it("matches ArnEquals, ArnLike (with * and ?), StringEquals and StringLike conditions", () => {
    expect(allowed(policy({ ...sns, Condition: { ArnEquals: { "aws:SourceArn": orders } } }))).toBe(true);
    expect(
      allowed(
        policy({ ...sns, Condition: { ArnLike: { "aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:order?" } } }),
      ),
    ).toBe(true);
    expect(allowed(policy({ ...sns, Condition: { ArnLike: { "aws:SourceArn": "arn:aws:sns:*:*:*" } } }))).toBe(true);
    expect(allowed(policy({ ...sns, Condition: { StringEquals: { "aws:SourceArn": orders } } }))).toBe(true);
    expect(allowed(policy({ ...sns, Condition: { StringLike: { "aws:SourceArn": "arn:aws:sns:*orders" } } }))).toBe(
      true,
    );
    expect(allowed(policy({ ...sns, Condition: { ArnLikeIfExists: { "aws:sourcearn": orders } } }))).toBe(true);
  });

  it("accepts an array of SourceArn values when any matches", () => {
    expect(
      allowed(policy({ ...sns, Condition: { ArnEquals: { "aws:SourceArn": [topicArn("returns"), orders] } } })),
    ).toBe(true);
    expect(
      allowed(
        policy({ ...sns, Condition: { ArnEquals: { "aws:SourceArn": [topicArn("returns"), topicArn("refunds")] } } }),
      ),
    ).toBe(false);
  });

  it("refuses a condition naming another topic, account or region", () => {
    expect(allowed(policy({ ...sns, Condition: { ArnEquals: { "aws:SourceArn": topicArn("returns") } } }))).toBe(false);
    expect(
      allowed(policy({ ...sns, Condition: { ArnLike: { "aws:SourceArn": "arn:aws:sns:us-east-1:999999999999:*" } } })),
    ).toBe(false);
    expect(allowed(policy({ ...sns, Condition: { StringEquals: { "aws:SourceArn": "arn:aws:sns:*" } } }))).toBe(false); // no wildcards in StringEquals
    expect(allowed(policy({ ...sns, Condition: { ArnNotEquals: { "aws:SourceArn": topicArn("returns") } } }))).toBe(
      false,
    );
  });

  it("ignores other condition keys", () => {
    expect(allowed(policy({ ...sns, Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } }))).toBe(
      true,
    );
  });

  it("accepts the * and AWS:* principals; refuses other principals", () => {
    expect(allowed(policy({ ...sns, Principal: "*" }))).toBe(true);
    expect(allowed(policy({ ...sns, Principal: { AWS: "*" } }))).toBe(true);
    expect(allowed(policy({ ...sns, Principal: { Service: ["lambda.amazonaws.com", "sns.amazonaws.com"] } }))).toBe(
      true,
    );
    expect(allowed(policy({ ...sns, Principal: { AWS: "arn:aws:iam::123456789012:root" } }))).toBe(false);
    expect(allowed(policy({ ...sns, Principal: { Service: "events.amazonaws.com" } }))).toBe(false);
  });

  it("needs an action covering sqs:SendMessage", () => {
    for (const action of [
      "sqs:SendMessage",
      "sqs:*",
      "*",
      "SQS:sendmessage",
      ["sqs:ReceiveMessage", "sqs:SendMessage"],
      "sqs:Send*",
    ]) {
      expect(allowed(policy({ ...sns, Action: action })), JSON.stringify(action)).toBe(true);
    }
    for (const action of ["sqs:ReceiveMessage", "sns:Publish", undefined]) {
      expect(allowed(policy({ ...sns, Action: action })), String(action)).toBe(false);
    }
  });

  it("needs Effect Allow and a Resource covering the queue", () => {
    expect(allowed(policy({ ...sns, Effect: "Deny" }))).toBe(false);
    expect(allowed(policy({ ...sns, Resource: queueArn("other") }))).toBe(false);
    expect(allowed(policy({ ...sns, Resource: "arn:aws:sqs:us-east-1:123456789012:*" }))).toBe(true);
    expect(allowed(policy({ ...sns, Resource: undefined }))).toBe(true);
  });

  it("is satisfied by any one statement", () => {
    expect(
      allowed(
        policy(
          { ...sns, Principal: { Service: "events.amazonaws.com" } },
          { ...sns, Condition: { ArnEquals: { "aws:SourceArn": orders } } },
        ),
      ),
    ).toBe(true);
  });
});

describe("arnMatches and globMatch", () => {
  it("does not let * run across ARN components", () => {
    expect(arnMatches("arn:aws:sns:us-east-1:*", orders)).toBe(false);
    expect(arnMatches("arn:aws:sns:us-east-1:*:orders", orders)).toBe(true);
    expect(arnMatches("*", orders)).toBe(true);
  });

  it("escapes regular-expression characters", () => {
    expect(globMatch("orders.fifo", "orders.fifo")).toBe(true);
    expect(globMatch("orders.*", "ordersXfifo")).toBe(false);
    expect(globMatch("orders.*", "orders.fifo")).toBe(true);
  });
});
