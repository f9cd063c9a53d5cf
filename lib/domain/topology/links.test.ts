import { describe, expect, it } from "vitest";
import { nodeLinks } from "./links";
import type { Topology, TopologyEdge, TopologyNode } from "./model";

const topicArn = "arn:aws:sns:eu-west-1:123456789012:orders";
const subArn = `${topicArn}:6f1c`;
const node = (id: string, kind: TopologyNode["kind"], name: string, extra: Partial<TopologyNode> = {}) =>
  ({ id, kind, name, arn: id, health: "ok", reasons: [], topics: [], ...extra }) as TopologyNode;
const subscription = (arn: string) =>
  ({
    arn,
    scope: "MessageAttributes",
    rawMessageDelivery: false,
    pendingConfirmation: false,
  }) as TopologyEdge["subscription"];

const topology = {
  nodes: [
    node("t", "topic", "orders", { arn: topicArn }),
    node("q", "queue", "billing"),
    node("d", "dlq", "billing-dlq"),
    node("f", "function", "bill"),
    node("e", "subscription-endpoint", "https://hooks.example"),
    node("a", "alarm", "billing-depth"),
    node("gone", "queue", "gone", { missing: true }),
  ],
  edges: [
    { id: "t->q", from: "t", to: "q", kind: "subscription", subscription: subscription(subArn) },
    { id: "t->e", from: "t", to: "e", kind: "subscription", subscription: subscription("PendingConfirmation") },
    { id: "t->gone", from: "t", to: "gone", kind: "subscription", subscription: subscription(`${topicArn}:9a`) },
  ],
} as unknown as Topology;
const linksOf = (id: string) =>
  nodeLinks(
    topology,
    topology.nodes.find((n) => n.id === id)!,
  );

describe("nodeLinks", () => {
  it.each([
    [
      "t",
      [
        ["Who gets this event?", `/topics/${encodeURIComponent(topicArn)}`],
        ["Charts", "/dashboards/resource?kind=topic&name=orders"],
      ],
    ],
    [
      "q",
      [
        ["Filter policy from orders", `/filter-policies/${encodeURIComponent(subArn)}`],
        ["Charts", "/dashboards/resource?kind=queue&name=billing"],
      ],
    ],
    ["d", [["Charts", "/dashboards/resource?kind=queue&name=billing-dlq"]]],
    ["f", [["Charts", "/dashboards/resource?kind=function&name=bill"]]],
    // pending: no subscription ARN yet, so no policy page; an HTTPS endpoint has no charts of its own
    ["e", []],
    ["a", []],
    // a queue the account does not list has no metrics, but its subscription's policy can still be fixed
    ["gone", [["Filter policy from orders", `/filter-policies/${encodeURIComponent(`${topicArn}:9a`)}`]]],
  ])("%s", (id, expected) => {
    expect(linksOf(id).map((l) => [l.label, l.href])).toEqual(expected);
  });
});
