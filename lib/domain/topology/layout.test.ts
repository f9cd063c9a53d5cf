import { describe, expect, it } from "vitest";
import { buildTopology } from "./build";
import { layoutTopology } from "./layout";
import type { Topology } from "./model";
import {
  account,
  aid,
  alarm,
  fanOut,
  fid,
  fn,
  largeAccount,
  mapping,
  qid,
  queue,
  sqsSub,
  subscription,
  tid,
  topic,
  topicArn,
} from "../../../test/fixtures/topology";

const W = 100;
const H = 10;
const col = (c: number) => c * W;
const rowOf = (layout: ReturnType<typeof layoutTopology>, id: string) => {
  const p = layout.positions[id];
  if (!p) throw new Error(`no position for ${id}`);
  return p.y / H;
};

function expectDistinct(t: Topology, layout: ReturnType<typeof layoutTopology>) {
  const seen = new Map<string, string>();
  for (const n of t.nodes) {
    if (layout.hidden.has(n.id)) {
      expect(layout.positions[n.id], n.id).toBeUndefined();
      continue;
    }
    const p = layout.positions[n.id];
    expect(p, n.id).toBeDefined();
    const key = `${p!.x},${p!.y}`;
    expect(seen.get(key), `${n.id} overlaps`).toBeUndefined();
    seen.set(key, n.id);
    expect(p!.x).toBeLessThan(layout.width);
    expect(p!.y).toBeLessThan(layout.height);
  }
}

describe("layoutTopology", () => {
  it("lays the fan-out out in columns, DLQs beneath their queue, consumers and alarms on their row", () => {
    const t = buildTopology(fanOut());
    const layout = layoutTopology(t, { columnWidth: W, rowHeight: H });
    expect(layout.positions).toEqual({
      [tid("orders")]: { x: col(0), y: 0 },
      [qid("analytics")]: { x: col(1), y: 0 },
      [fid("analytics-handler")]: { x: col(2), y: 0 },
      [qid("analytics-dlq")]: { x: col(1), y: 10 },
      [aid("analytics-dlq-not-empty")]: { x: col(3), y: 10 },
      [qid("billing")]: { x: col(1), y: 20 },
      [fid("billing-handler")]: { x: col(2), y: 20 },
      [qid("billing-dlq")]: { x: col(1), y: 30 },
      [aid("billing-dlq-not-empty")]: { x: col(3), y: 30 },
      [qid("shipping")]: { x: col(1), y: 40 },
      [fid("shipping-handler")]: { x: col(2), y: 40 },
      [qid("shipping-dlq")]: { x: col(1), y: 50 },
      [aid("shipping-dlq-not-empty")]: { x: col(3), y: 50 },
    });
    expect(layout.width).toBe(4 * W);
    expect(layout.height).toBe(6 * H);
    expect(layout.hidden.size).toBe(0);
  });

  it("uses default sizes", () => {
    const layout = layoutTopology(buildTopology(fanOut()));
    expect(layout.positions[qid("billing")]).toEqual({ x: 280, y: 2 * 96 });
  });

  it("puts a DLQ of a DLQ beneath that DLQ, and a shared DLQ beneath its first source", () => {
    const t = buildTopology(
      account({
        topics: [topic("orders")],
        subscriptions: [sqsSub("orders", "a"), sqsSub("orders", "b")],
        queues: [
          queue("a", { dlq: "shared" }),
          queue("b", { dlq: "shared" }),
          queue("shared", { dlq: "last" }),
          queue("last"),
        ],
      }),
    );
    const layout = layoutTopology(t, { columnWidth: W, rowHeight: H });
    expect(rowOf(layout, qid("a"))).toBe(0);
    expect(rowOf(layout, qid("shared"))).toBe(1);
    expect(rowOf(layout, qid("last"))).toBe(2);
    expect(rowOf(layout, qid("b"))).toBe(3);
    for (const id of [qid("a"), qid("shared"), qid("last"), qid("b")]) expect(layout.positions[id]?.x).toBe(col(1));
  });

  it("puts a lambda subscription's function in the function column, with its subscription DLQ beneath", () => {
    const t = buildTopology(
      account({
        topics: [topic("orders")],
        subscriptions: [
          subscription("orders", "lambda", `arn:aws:lambda:us-east-1:123456789012:function:notify`, {
            deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:notify-dlq",
          }),
        ],
        queues: [queue("notify-dlq")],
        functions: [fn("notify")],
      }),
    );
    const layout = layoutTopology(t, { columnWidth: W, rowHeight: H });
    expect(layout.positions[fid("notify")]).toEqual({ x: col(2), y: 0 });
    expect(layout.positions[qid("notify-dlq")]).toEqual({ x: col(2), y: H });
  });

  const twoTopics = () =>
    buildTopology(
      account({
        topics: [topic("returns"), topic("orders"), topic("quiet")],
        subscriptions: [
          sqsSub("orders", "billing"),
          sqsSub("orders", "audit"),
          sqsSub("returns", "audit"),
          sqsSub("returns", "refunds", { deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:refunds-sns-dlq" }),
          subscription("returns", "email", "ops@example.com"),
        ],
        queues: [
          queue("billing", { dlq: "billing-dlq" }),
          queue("billing-dlq"),
          queue("audit"),
          queue("refunds"),
          queue("refunds-sns-dlq"),
          queue("zz-orphan"),
          queue("aa-orphan", { dlq: "orphan-dlq" }),
          queue("orphan-dlq"),
        ],
        functions: [fn("biller"), fn("auditor"), fn("idle")],
        mappings: [mapping("billing", "biller"), mapping("audit", "auditor")],
        alarms: [
          alarm("billing-dlq", { queue: "billing-dlq" }),
          alarm("orders-topic", { topic: "orders" }),
          alarm("stray", { queue: "deleted" }),
        ],
      }),
    );

  it("keeps each topic's subtree together, topics by name, orphans and stray alarms last", () => {
    const t = twoTopics();
    const layout = layoutTopology(t, { columnWidth: W, rowHeight: H });
    expectDistinct(t, layout);
    const rows = (arn: string) =>
      t.nodes.filter((n) => n.topics[0] === arn && n.kind !== "alarm").map((n) => rowOf(layout, n.id));
    const orders = rows(topicArn("orders"));
    const returns = rows(topicArn("returns"));
    // orders < quiet < returns by name; each band is contiguous and the bands do not interleave.
    expect(Math.max(...orders)).toBeLessThan(rowOf(layout, tid("quiet")));
    expect(rowOf(layout, tid("quiet"))).toBeLessThan(Math.min(...returns));
    expect(rowOf(layout, tid("orders"))).toBe(0);
    // The orders queues in name order: audit (shared with returns, placed once) then billing.
    expect(rowOf(layout, qid("audit"))).toBe(0);
    expect(rowOf(layout, qid("billing"))).toBe(1);
    expect(rowOf(layout, qid("billing-dlq"))).toBe(2);
    expect(layout.positions[aid("orders-topic")]).toEqual({ x: col(3), y: 0 });
    expect(layout.positions[aid("billing-dlq")]).toEqual({ x: col(3), y: 2 * H });
    // Orphans after every topic band: queues by name with their DLQs, then lone functions, then stray alarms.
    const lastTopicRow = Math.max(...returns);
    expect(rowOf(layout, qid("aa-orphan"))).toBeGreaterThan(lastTopicRow);
    expect(rowOf(layout, qid("orphan-dlq"))).toBe(rowOf(layout, qid("aa-orphan")) + 1);
    expect(rowOf(layout, qid("zz-orphan"))).toBe(rowOf(layout, qid("orphan-dlq")) + 1);
    expect(rowOf(layout, fid("idle"))).toBeGreaterThan(lastTopicRow);
    expect(rowOf(layout, aid("stray"))).toBe(layout.height / H - 1);
    expect(layout.positions[aid("stray")]?.x).toBe(col(3));
  });

  it("hides a collapsed topic's subtree, except what another visible topic also reaches", () => {
    const t = twoTopics();
    const full = layoutTopology(t, { columnWidth: W, rowHeight: H });
    const layout = layoutTopology(t, { columnWidth: W, rowHeight: H, collapsedTopics: new Set([topicArn("orders")]) });
    expect([...layout.hidden].sort()).toEqual(
      [qid("billing"), qid("billing-dlq"), fid("biller"), aid("billing-dlq")].sort(),
    );
    expectDistinct(t, layout);
    // The topic stays as the handle; so does the alarm on it and the queue shared with returns.
    expect(layout.positions[tid("orders")]).toBeDefined();
    expect(layout.positions[aid("orders-topic")]).toBeDefined();
    expect(layout.positions[qid("audit")]).toBeDefined();
    // Hidden nodes take no space.
    expect(layout.height).toBeLessThan(full.height);
  });

  it("accepts topic node ids as well as ARNs, and hides a shared node once both topics are collapsed", () => {
    const t = twoTopics();
    const layout = layoutTopology(t, { collapsedTopics: new Set([tid("orders"), topicArn("returns")]) });
    for (const id of [qid("audit"), fid("auditor"), qid("refunds"), qid("refunds-sns-dlq"), qid("billing")])
      expect(layout.hidden.has(id), id).toBe(true);
    expect(layout.hidden.has(qid("zz-orphan"))).toBe(false);
    expect(layout.hidden.has(aid("stray"))).toBe(false);
    expectDistinct(t, layout);
  });

  it("lays out an empty topology", () => {
    expect(layoutTopology({ nodes: [], edges: [], warnings: [], partial: [] })).toEqual({
      positions: {},
      width: 0,
      height: 0,
      hidden: new Set(),
    });
  });

  it("handles a large account: 40 topics, 400 queues, 100 DLQs, 60 functions", () => {
    const a = largeAccount();
    const t = buildTopology(a);
    expect(t.nodes.filter((n) => n.kind === "topic")).toHaveLength(40);
    expect(t.nodes.filter((n) => n.kind === "queue")).toHaveLength(401);
    expect(t.nodes.filter((n) => n.kind === "dlq")).toHaveLength(100);
    expect(t.nodes.filter((n) => n.kind === "function")).toHaveLength(60);
    expect(t.nodes.length).toBeGreaterThanOrEqual(2_000);

    const layout = layoutTopology(t);
    expect(layout.hidden.size).toBe(0);
    expectDistinct(t, layout);
    // DLQs sit in their first source's column.
    for (const n of t.nodes) if (n.kind === "dlq") expect(layout.positions[n.id]?.x, n.id).toBe(280);

    const collapsed = new Set(
      t.nodes
        .filter((n) => n.kind === "topic")
        .slice(0, 20)
        .map((n) => n.arn),
    );
    const folded = layoutTopology(t, { collapsedTopics: collapsed });
    expect(folded.hidden.size).toBeGreaterThan(0);
    expectDistinct(t, folded);
  });
});
