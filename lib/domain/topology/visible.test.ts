import { describe, expect, it } from "vitest";
import { roleOnEveryResource, roleOnResource, type Access, type Binding } from "../bindings";
import { buildTopology } from "./build";
import { outsideBindings, visibleTopology, type MayView } from "./visible";
import {
  account,
  aid,
  alarm,
  fid,
  fn,
  mapping,
  qid,
  queue,
  sqsSub,
  subscription,
  tid,
  topic,
  topicArn,
} from "../../../test/fixtures/topology";

const payments = { team: "payments" };

/**
 * Two teams' pipelines in one account: payments-events feeds payments-charges (its DLQ alarmed,
 * consumed by payments-handler) and, with orders, payments-audit (consumed by nothing); orders feeds
 * orders-billing, whose DLQ no alarm watches; an HTTPS endpoint subscribes to payments-events.
 */
const topology = buildTopology(
  account({
    topics: [topic("orders", { tags: { team: "orders" } }), topic("payments-events", { tags: payments })],
    queues: [
      queue("payments-charges", { dlq: "payments-charges-dlq", tags: payments }),
      queue("payments-charges-dlq", { retentionSeconds: 1_209_600, tags: payments }),
      queue("payments-audit", { tags: payments }),
      queue("orders-billing", { dlq: "orders-billing-dlq", tags: { team: "orders" } }),
      queue("orders-billing-dlq", { retentionSeconds: 1_209_600, tags: { team: "orders" } }),
    ],
    subscriptions: [
      sqsSub("payments-events", "payments-charges"),
      sqsSub("payments-events", "payments-audit"),
      sqsSub("orders", "payments-audit"),
      sqsSub("orders", "orders-billing"),
      subscription("payments-events", "https", "https://hooks.example.com/payments"),
    ],
    functions: [fn("payments-handler", { tags: payments }), fn("orders-handler")],
    mappings: [mapping("payments-charges", "payments-handler"), mapping("orders-billing", "orders-handler")],
    alarms: [alarm("payments-charges-dlq-not-empty", { queue: "payments-charges-dlq" })],
  }),
);

const bind = (b: Omit<Binding, "from">): Binding => ({ ...b, from: "test" });
const viewing =
  (access: Access, environment = "production"): MayView =>
  (resource) =>
    roleOnResource(access, environment, resource) !== undefined;
const names = (t: { nodes: { name: string }[] }) => t.nodes.map((n) => n.name).sort();
const endpointId = topology.nodes.find((n) => n.kind === "subscription-endpoint")!.id;

describe("the topology a caller may view", () => {
  it("an operator of payments-* queues sees those queues and their alarm, nothing else, and how much is hidden", () => {
    const access = {
      bindings: [bind({ role: "operator", environments: ["production"], resources: ["arn:aws:sqs:*:*:payments-*"] })],
    };
    const seen = visibleTopology(topology, viewing(access));
    expect(names(seen)).toEqual([
      "payments-audit",
      "payments-charges",
      "payments-charges-dlq",
      "payments-charges-dlq-not-empty",
    ]);
    expect(seen.hidden).toBe(topology.nodes.length - 4);
    // Only edges between two shown nodes: the topics and the function are left out, and with them their edges.
    expect(seen.edges.map((e) => e.id).sort()).toEqual(
      [
        `alarm:${aid("payments-charges-dlq-not-empty")}->${qid("payments-charges-dlq")}`,
        `redrive:${qid("payments-charges")}->${qid("payments-charges-dlq")}`,
      ].sort(),
    );
    // The finding on their unconsumed queue stays; the one on orders' unwatched DLQ goes.
    expect(topology.warnings.map((w) => [w.code, w.nodeId]).sort()).toEqual(
      [
        ["dlq-without-alarm", qid("orders-billing-dlq")],
        ["queue-unconsumed", qid("payments-audit")],
      ].sort(),
    );
    expect(seen.warnings.map((w) => [w.code, w.nodeId])).toEqual([["queue-unconsumed", qid("payments-audit")]]);
    // A node's topics name only topics shown.
    expect(topology.nodes.find((n) => n.id === qid("payments-audit"))!.topics).toHaveLength(2);
    expect(seen.nodes.find((n) => n.id === qid("payments-audit"))!.topics).toEqual([]);
    // The shared graph is left as it was.
    expect(topology.nodes).toHaveLength(11);
  });

  it("a tag binding shows what carries the tags; unknown tags (an HTTPS subscription has none) match no tag binding", () => {
    const access = { bindings: [bind({ role: "viewer", environments: ["production"], tags: payments })] };
    const seen = visibleTopology(topology, viewing(access));
    expect(names(seen)).toEqual([
      "payments-audit",
      "payments-charges",
      "payments-charges-dlq",
      "payments-charges-dlq-not-empty",
      "payments-events",
      "payments-handler",
    ]);
    expect(seen.nodes.some((n) => n.id === endpointId)).toBe(false);
    expect(seen.edges.map((e) => e.kind).sort()).toEqual([
      "alarm",
      "event-source",
      "redrive",
      "subscription",
      "subscription",
    ]);
    expect(seen.edges.some((e) => e.from === tid("orders") || e.to === fid("orders-handler"))).toBe(false);
    expect(seen.nodes.find((n) => n.id === qid("payments-audit"))!.topics).toEqual([topicArn("payments-events")]);
  });

  it("an endpoint shows when its subscription's ARN or its endpoint's does, as for a route on the subscription", () => {
    const on = (pattern: string) =>
      visibleTopology(
        topology,
        viewing({ bindings: [bind({ role: "viewer", environments: ["production"], resources: [pattern] })] }),
      );
    // The topic alone: its subscriptions' ARNs (the topic's ARN and an id) are not the topic's.
    expect(names(on("arn:aws:sns:*:*:payments-events"))).toEqual(["payments-events"]);
    const withSubscriptions = on("arn:aws:sns:*:*:payments-events*");
    expect(withSubscriptions.nodes.map((n) => n.id).sort()).toEqual([endpointId, tid("payments-events")].sort());
    expect(withSubscriptions.edges).toMatchObject([
      { kind: "subscription", from: tid("payments-events"), to: endpointId },
    ]);
    expect(on("https://hooks.example.com/*").nodes.map((n) => n.id)).toEqual([endpointId]);
  });

  it("viewer on all of production and operator on payments-* queues: everything in production, nothing in staging", () => {
    const access = {
      bindings: [
        bind({ role: "viewer", environments: ["production"] }),
        bind({ role: "operator", environments: ["production"], resources: ["arn:aws:sqs:*:*:payments-*"] }),
      ],
    };
    // The operation asks this first and then answers with the shared graph itself, at no cost.
    expect(roleOnEveryResource(access, "production")).toBe("viewer");
    const seen = visibleTopology(topology, viewing(access));
    expect(seen).toEqual({ ...topology, hidden: 0 });
    const charges = topology.nodes.find((n) => n.id === qid("payments-charges"))!;
    expect(roleOnResource(access, "production", { arns: [charges.arn], tags: charges.tags! })).toBe("operator");
    const staging = visibleTopology(topology, viewing(access, "staging"));
    expect(staging).toMatchObject({ nodes: [], edges: [], warnings: [], hidden: 11 });
  });
});

describe("what the page says of the nodes left out", () => {
  it.each([
    [undefined, undefined],
    [0, undefined],
    [1, "1 resource is outside your bindings."],
    [7, "7 resources are outside your bindings."],
  ])("%s hidden: %s", (hidden, line) => {
    expect(outsideBindings(hidden)).toBe(line);
  });
});
