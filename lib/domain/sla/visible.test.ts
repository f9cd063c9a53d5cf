import { describe, expect, it } from "vitest";
import { roleOnResource, type Access, type Binding } from "../bindings";
import { buildTopology, visibleTopology } from "../topology";
import { visibleSla, type SlaLatencyRow, type SlaRow } from "./visible";
import { account, fid, fn, mapping, qid, queue, queueArn, sqsSub, tid, topic } from "../../../test/fixtures/topology";

const payments = { team: "payments" };
const orders = { team: "orders" };

/** payments-events → payments-charges → payments-handler, orders → orders-billing → orders-handler, and the tap: orders → payments-audit. */
const topology = buildTopology(
  account({
    topics: [topic("orders", { tags: orders }), topic("payments-events", { tags: payments })],
    queues: [
      queue("payments-charges", { dlq: "payments-charges-dlq", tags: payments }),
      queue("payments-charges-dlq", { tags: payments }),
      queue("payments-audit", { tags: payments }),
      queue("orders-billing", { tags: orders }),
    ],
    subscriptions: [
      sqsSub("payments-events", "payments-charges"),
      sqsSub("orders", "orders-billing"),
      sqsSub("orders", "payments-audit"),
    ],
    functions: [fn("payments-handler", { tags: payments }), fn("orders-handler", { tags: orders })],
    mappings: [mapping("payments-charges", "payments-handler"), mapping("orders-billing", "orders-handler")],
  }),
);

const path = (from: string, to: string, extra: Partial<SlaRow> = {}): SlaRow => ({
  kind: "path",
  resource: `${from} → ${to}`,
  nodeId: qid(to),
  edgeId: `subscription:${tid(from)}->${qid(to)}`,
  ...extra,
});

/** A measured view of that topology: its figures stand in as labels, which the filter keeps or drops whole. */
function measured(services: SlaRow[]) {
  const latency: SlaLatencyRow[] = [
    { kind: "queue-age", resource: "payments-charges" },
    { kind: "queue-age", resource: "orders-billing" },
    { kind: "lambda-p99", resource: "payments-handler" },
    { kind: "lambda-p99", resource: "orders-handler" },
  ];
  const kinds = Object.fromEntries([...new Set(services.map((s) => s.kind))].map((k) => [k, `all ${k}s`]));
  return { window: "1h", services, endToEnd: "end to end", kinds, latency, notes: ["a note"] };
}

const every = measured([
  { kind: "topic", resource: "orders", nodeId: tid("orders") },
  { kind: "topic", resource: "payments-events", nodeId: tid("payments-events") },
  { kind: "queue", resource: "payments-charges", nodeId: qid("payments-charges") },
  { kind: "queue", resource: "orders-billing", nodeId: qid("orders-billing") },
  // Known to CloudWatch only: deleted, or not listed with these credentials.
  { kind: "queue", resource: "payments-old", nodeId: "" },
  { kind: "function", resource: "payments-handler", nodeId: fid("payments-handler") },
  { kind: "function", resource: "orders-handler", nodeId: fid("orders-handler") },
  path("payments-events", "payments-charges"),
  path("orders", "orders-billing"),
  path("orders", "payments-audit", { outsideEndToEnd: true }),
]);

const bind = (b: Omit<Binding, "from">): Binding => ({ ...b, from: "test" });

/** The view as `access` may see it in production, as the operation filters it. */
function seenBy(access: Access, view = every) {
  const mayView = (resource: { arns: readonly string[]; tags?: Record<string, string> }) =>
    roleOnResource(access, "production", resource) !== undefined;
  const arn = (kind: string, name: string) => (kind === "queue" ? queueArn(name) : `arn:aws:${kind}:x:${name}`);
  return visibleSla(view, {
    graph: visibleTopology(topology, mayView),
    unlisted: (kind, name) => mayView({ arns: [arn(kind, name)] }),
  });
}

const rows = (view: { services: SlaRow[] }) => view.services.map((s) => `${s.kind} ${s.resource}`);

describe("the service levels a caller may view", () => {
  it("an operator of payments-* queues: their queues' rows, none of the figures across resources, and why", () => {
    const seen = seenBy({
      bindings: [bind({ role: "operator", environments: ["production"], resources: ["arn:aws:sqs:*:*:payments-*"] })],
    });
    // A path needs its subscription in their topology: the topics are outside their bindings.
    expect(rows(seen)).toEqual(["queue payments-charges", "queue payments-old"]);
    expect(seen.hidden).toBe(8);
    expect(seen.withheld).toEqual(["endToEnd", "topic", "queue", "function", "path"]);
    expect(seen.endToEnd).toBeUndefined();
    expect("endToEnd" in seen).toBe(false);
    expect(seen.kinds).toEqual({});
    expect(seen.latency).toEqual([{ kind: "queue-age", resource: "payments-charges" }]);
    expect(seen.notes).toEqual([
      "a note",
      "Your bindings reach some of these resources only: end to end, all topics, all queues, all functions, all paths " +
        "count resources outside them, so they are not shown.",
    ]);
    // The shared view is left as it was.
    expect(every.services).toHaveLength(10);
    expect(every.endToEnd).toBe("end to end");
  });

  it("a tag binding: the rows of what carries the tags; a resource CloudWatch alone names has no tags known", () => {
    const seen = seenBy({ bindings: [bind({ role: "viewer", environments: ["production"], tags: payments })] });
    expect(rows(seen)).toEqual([
      "topic payments-events",
      "queue payments-charges",
      "function payments-handler",
      "path payments-events → payments-charges",
    ]);
    expect(seen.withheld).toEqual(["endToEnd", "topic", "queue", "function", "path"]);
    expect(seen.latency.map((l) => l.resource)).toEqual(["payments-charges", "payments-handler"]);
  });

  it("keeps a figure across resources when it counts only what the caller may view (the tap path is not counted)", () => {
    const view = measured([
      { kind: "queue", resource: "payments-charges", nodeId: qid("payments-charges") },
      path("payments-events", "payments-charges"),
      path("orders", "payments-audit", { outsideEndToEnd: true }),
    ]);
    const seen = seenBy({ bindings: [bind({ role: "viewer", environments: ["production"], tags: payments })] }, view);
    expect(rows(seen)).toEqual(["queue payments-charges", "path payments-events → payments-charges"]);
    expect(seen.hidden).toBe(1);
    expect(seen.withheld).toEqual([]);
    expect(seen.endToEnd).toBe("end to end");
    expect(seen.kinds).toEqual({ queue: "all queues", path: "all paths" });
    expect(seen.notes).toEqual(["a note"]);
  });

  it("viewer on all of production and operator on payments-* queues: every row and every figure", () => {
    const seen = seenBy({
      bindings: [
        bind({ role: "viewer", environments: ["production"] }),
        bind({ role: "operator", environments: ["production"], resources: ["arn:aws:sqs:*:*:payments-*"] }),
      ],
    });
    expect(seen).toEqual({ ...every, hidden: 0, withheld: [] });
  });
});
