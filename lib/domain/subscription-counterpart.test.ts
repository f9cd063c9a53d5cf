import { describe, expect, it } from "vitest";
import type { Subscription } from "./subscription";
import { subscription as fixtureSubscription } from "../../test/fixtures/topology";
import { counterpartMessage, endpointName, matchCounterpart } from "./subscription-counterpart";

/** A subscription with the ARNs given, in whatever account and region they name. */
const subscription = (arn: string, topicArn: string, protocol: string, endpoint: string): Subscription =>
  fixtureSubscription("any", protocol, endpoint, { arn, topicArn });

const id = (n: number) => `0000000${n}-0000-0000-0000-000000000000`;
const prodTopic = "arn:aws:sns:us-east-1:123456789012:orders";
const stagingTopic = "arn:aws:sns:eu-west-1:222222222222:orders";
const source = subscription(`${prodTopic}:${id(1)}`, prodTopic, "sqs", "arn:aws:sqs:us-east-1:123456789012:inventory");

describe("endpointName", () => {
  it.each([
    ["sqs", "arn:aws:sqs:eu-west-1:222222222222:inventory", "inventory"],
    ["sqs", "arn:aws:sqs:us-east-1:123456789012:orders.fifo", "orders.fifo"],
    ["lambda", "arn:aws:lambda:us-east-1:123456789012:function:notify", "notify"],
    ["lambda", "arn:aws:lambda:us-east-1:123456789012:function:notify:live", "notify:live"],
    ["https", "https://hooks.example.com/orders", "https://hooks.example.com/orders"],
    ["email", "ops@example.com", "ops@example.com"],
  ])("%s %s → %s", (protocol, endpoint, name) => {
    expect(endpointName(protocol, endpoint)).toBe(name);
  });
});

describe("matchCounterpart", () => {
  const inStaging = (n: number, topic: string, protocol: string, endpoint: string) =>
    subscription(`${topic}:${id(n)}`, topic, protocol, endpoint);
  const stagingInventory = inStaging(2, stagingTopic, "sqs", "arn:aws:sqs:eu-west-1:222222222222:inventory");

  it("finds the subscription of the same topic name to the same queue name in another account and region", () => {
    const candidates = [
      inStaging(3, stagingTopic, "sqs", "arn:aws:sqs:eu-west-1:222222222222:audit"),
      stagingInventory,
      inStaging(
        4,
        "arn:aws:sns:eu-west-1:222222222222:payments",
        "sqs",
        "arn:aws:sqs:eu-west-1:222222222222:inventory",
      ),
    ];
    expect(matchCounterpart(source, candidates)).toEqual({ status: "one", subscription: stagingInventory });
  });

  it("matches a Lambda subscription by function name, not by the account in its ARN", () => {
    const fn = subscription(
      `${prodTopic}:${id(5)}`,
      prodTopic,
      "lambda",
      "arn:aws:lambda:us-east-1:123456789012:function:notify",
    );
    const there = inStaging(6, stagingTopic, "lambda", "arn:aws:lambda:eu-west-1:222222222222:function:notify");
    expect(matchCounterpart(fn, [stagingInventory, there])).toEqual({ status: "one", subscription: there });
  });

  it("says none when no subscription matches: another protocol, a pending one or other names", () => {
    const candidates = [
      inStaging(7, stagingTopic, "lambda", "arn:aws:lambda:eu-west-1:222222222222:function:inventory"),
      { ...stagingInventory, arn: "PendingConfirmation" },
      inStaging(
        8,
        "arn:aws:sns:eu-west-1:222222222222:stg-orders",
        "sqs",
        "arn:aws:sqs:eu-west-1:222222222222:inventory",
      ),
    ];
    const match = matchCounterpart(source, candidates);
    expect(match).toEqual({ status: "none" });
    expect(counterpartMessage(source, match, "staging/eu-west-1")).toBe(
      "No subscription of topic orders to sqs inventory in staging/eu-west-1.",
    );
  });

  it("says several when the topic has two subscriptions to that queue, rather than picking one", () => {
    const twin = inStaging(9, stagingTopic, "sqs", "arn:aws:sqs:eu-west-1:222222222222:inventory");
    const match = matchCounterpart(source, [stagingInventory, twin]);
    expect(match).toEqual({ status: "several", subscriptions: [stagingInventory, twin] });
    expect(counterpartMessage(source, match, "staging/eu-west-1")).toMatch(/^2 subscriptions of topic orders/);
  });
});
