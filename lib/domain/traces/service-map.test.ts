import { describe, expect, it } from "vitest";
import { percentile } from "../sla/latency";
import {
  buildServiceMap,
  fromAwsServiceGraph,
  LATENCY_BUCKETS_MS,
  layoutServiceMap,
  type AwsService,
  type CallStats,
  type ServiceMap,
  type ServiceMapEdge,
} from "./service-map";
import {
  batchOfTen,
  consumer,
  fanOutToThreeQueues,
  fnArn,
  parse,
  producer,
  retriedMessage,
  T0,
  topicArn,
  traceId,
  traceOf,
} from "../../../test/fixtures/traces";

const TOPIC = `resource:topic:${topicArn("orders")}`;
const QUEUE = "resource:queue:arn:aws:sqs:us-east-1:123456789012:shipping-events";
const STOREFRONT = "segment:application:storefront";
const service = (fn: string) => `segment:AWS::Lambda:${fn}`;
const fnNode = (fn: string) => `segment:AWS::Lambda::Function:${fn}`;

function edge(map: ServiceMap, from: string, to: string, kind: ServiceMapEdge["kind"]): ServiceMapEdge {
  const e = map.edges.find((x) => x.id === `${from}->${to}:${kind}`);
  if (!e) throw new Error(`no edge ${from}->${to}:${kind} among ${map.edges.map((x) => x.id).join(", ")}`);
  return e;
}

function node(map: ServiceMap, id: string) {
  const n = map.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id} among ${map.nodes.map((x) => x.id).join(", ")}`);
  return n;
}

const bucketsWithCounts = (s: CallStats) => s.latency.histogram.filter((b) => b.count > 0);

function expectDisjoint(s: CallStats) {
  expect(s.ok + s.errors + s.throttles + s.faults).toBe(s.requests);
  expect(s.latency.histogram.reduce((sum, b) => sum + b.count, 0)).toBe(s.latency.count);
  expect(s.latency.histogram.map((b) => b.upToMs)).toEqual(LATENCY_BUCKETS_MS);
}

describe("buildServiceMap", () => {
  it("maps a fan-out to three functions: nodes, inferred topic and queue, call and link edges", () => {
    const map = buildServiceMap(fanOutToThreeQueues().traces);
    expect(map).toMatchObject({ source: "traces", traces: 4, unresolvedLinks: 0 });
    expect(map.nodes.map((n) => n.id)).toEqual(
      [
        STOREFRONT,
        TOPIC,
        QUEUE,
        ...["inventory", "billing", "shipping"].flatMap((fn) => [service(fn), fnNode(fn)]),
      ].sort(),
    );
    expect(node(map, STOREFRONT)).toMatchObject({ name: "storefront", type: "application", inferred: false });
    expect(node(map, STOREFRONT).resource).toBeUndefined();
    expect(node(map, TOPIC)).toMatchObject({
      name: "orders",
      type: "AWS::SNS::Topic",
      inferred: true,
      resource: { kind: "topic", name: "orders", arn: topicArn("orders") },
    });
    expect(node(map, QUEUE)).toMatchObject({ name: "shipping-events", type: "AWS::SQS::Queue", inferred: true });
    expect(node(map, service("billing"))).toMatchObject({
      type: "AWS::Lambda",
      inferred: false,
      resource: { kind: "function", name: "billing", arn: fnArn("billing") },
    });
    expect(node(map, fnNode("billing"))).toMatchObject({ type: "AWS::Lambda::Function", inferred: false });

    expect(map.edges.map((e) => e.id)).toEqual(
      [
        `${STOREFRONT}->${TOPIC}:call`,
        `${fnNode("shipping")}->${QUEUE}:call`,
        ...["inventory", "billing", "shipping"].flatMap((fn) => [
          `${TOPIC}->${service(fn)}:link`,
          `${service(fn)}->${fnNode(fn)}:call`,
        ]),
      ].sort(),
    );
    const publish = edge(map, STOREFRONT, TOPIC, "call");
    expect(publish.stats).toMatchObject({ requests: 1, ok: 1, latency: { count: 1, p50Ms: 30 } });
    for (const fn of ["inventory", "billing", "shipping"])
      expect(edge(map, TOPIC, service(fn), "link").stats.requests).toBe(1);
    expect(edge(map, service("billing"), fnNode("billing"), "call").stats).toMatchObject({
      requests: 1,
      faults: 1,
      latency: { p50Ms: 200 },
    });
    expect(edge(map, fnNode("shipping"), QUEUE, "call").stats.latency.p50Ms).toBe(20);
  });

  it("gives a node the stats of its own segments", () => {
    const map = buildServiceMap(fanOutToThreeQueues().traces);
    expect(node(map, fnNode("billing")).stats).toMatchObject({
      requests: 1,
      faults: 1,
      faultRate: 1,
      errorRate: 0,
      ok: 0,
    });
    expect(node(map, fnNode("inventory")).stats).toMatchObject({
      requests: 1,
      ok: 1,
      faultRate: 0,
      latency: { count: 1, p50Ms: 200, p99Ms: 200 },
    });
    expect(node(map, STOREFRONT).stats.latency.p50Ms).toBe(50);
    // The inferred topic's work is the publish subsegment.
    expect(node(map, TOPIC).stats).toMatchObject({ requests: 1, latency: { p50Ms: 30 } });
  });

  it("measures a link as the delay from the end of the publish to the consumer's start", () => {
    const map = buildServiceMap(fanOutToThreeQueues().traces);
    // SNS subsegment ends at T0 + 0.04; consumers start at T0 + 1, + 1.2, + 1.4.
    expect(edge(map, TOPIC, service("inventory"), "link").stats.latency.p50Ms).toBe(960);
    expect(edge(map, TOPIC, service("billing"), "link").stats.latency.p50Ms).toBe(1160);
    expect(edge(map, TOPIC, service("shipping"), "link").stats.latency.p50Ms).toBe(1360);
    // Flags come from the consumer: billing's invocation faulted.
    expect(edge(map, TOPIC, service("billing"), "link").stats).toMatchObject({ faults: 1, faultRate: 1 });
    expect(edge(map, TOPIC, service("inventory"), "link").stats).toMatchObject({ ok: 1, faults: 0 });
  });

  it("counts an invocation whose handler failed on a record inside as an inner fault, not a fault", () => {
    const published = producer(400, T0);
    const ok = consumer(401, "payment", T0 + 1, { links: [published], batchItemFailures: 0 });
    const partly = consumer(402, "payment", T0 + 2, {
      links: [published],
      batchItemFailures: 1,
      recordFailures: [{ messageId: "m-1", type: "Error", message: "poison" }],
    });
    const map = buildServiceMap([published, ok, partly].map(parse));
    const fn = map.nodes.find((n) => n.id === fnNode("payment"))!;
    expect(fn.stats).toMatchObject({ requests: 2, ok: 2, faults: 0, innerFaults: 1 });
    // A fault of the segment itself is a fault, not an inner one.
    const { traces } = fanOutToThreeQueues();
    expect(buildServiceMap(traces).nodes.find((n) => n.id === fnNode("billing"))!.stats).toMatchObject({
      faults: 1,
      innerFaults: 0,
    });
  });

  it("counts each delivery of a retried message on the link edge", () => {
    const map = buildServiceMap(retriedMessage().traces);
    const link = edge(map, TOPIC, service("billing"), "link");
    expect(link.stats).toMatchObject({ requests: 3, faults: 3, ok: 0, faultRate: 1 });
    // Attempts at T0 + 1, 31, 61, the publish ended at T0 + 0.04.
    expect(link.stats.latency).toMatchObject({ count: 3, p50Ms: 30960, p90Ms: 60960, p99Ms: 60960 });
    expect(bucketsWithCounts(link.stats)).toEqual([
      { upToMs: 1000, count: 1 },
      { upToMs: 60000, count: 1 },
      { upToMs: Infinity, count: 1 },
    ]);
    expect(node(map, fnNode("billing")).stats.requests).toBe(3);
    expect(node(map, TOPIC).stats.requests).toBe(1);
  });

  it("counts one link sample per message of a batch, one invocation on the function", () => {
    const map = buildServiceMap(batchOfTen().traces);
    const link = edge(map, TOPIC, service("inventory"), "link");
    expect(link.stats.requests).toBe(10);
    // Published at T0 + i × 0.1 (ending 0.04 later), consumed at T0 + 2: delays 1060 … 1960 ms by 100.
    expect(link.stats.latency).toMatchObject({ count: 10, p50Ms: 1460, p90Ms: 1860, p99Ms: 1960 });
    expect(node(map, fnNode("inventory")).stats.requests).toBe(1);
    expect(node(map, service("inventory")).stats.requests).toBe(1);
    expect(node(map, STOREFRONT).stats.requests).toBe(10);
    expect(edge(map, STOREFRONT, TOPIC, "call").stats.requests).toBe(10);
  });

  it("counts links whose producer trace was not given as unresolved", () => {
    const { traces } = fanOutToThreeQueues();
    const map = buildServiceMap(traces.slice(1));
    expect(map.unresolvedLinks).toBe(3);
    expect(map.edges.filter((e) => e.kind === "link")).toEqual([]);
    expect(map.nodes.map((n) => n.id)).not.toContain(TOPIC);

    const batch = batchOfTen();
    const partial = buildServiceMap([...batch.traces.slice(4, 10), batch.traces[10]!]);
    expect(partial.unresolvedLinks).toBe(4);
    expect(edge(partial, TOPIC, service("inventory"), "link").stats.requests).toBe(6);
  });

  it("counts a link to a span missing from a given producer trace as unresolved", () => {
    const producer = traceOf(1, [{ id: "a000000000000001", name: "app", start_time: 10, end_time: 11 }]);
    const consumerTrace = traceOf(2, [
      {
        id: "b000000000000001",
        name: "worker",
        start_time: 12,
        end_time: 13,
        links: [
          { trace_id: traceId(1), id: "5000000000000009" },
          { trace_id: traceId(1), id: "a000000000000001" },
        ],
      },
    ]);
    const map = buildServiceMap([producer, consumerTrace]);
    expect(map.unresolvedLinks).toBe(1);
    // Linked to the producer's segment itself: the edge starts at that segment's node; delay 12 − 11 s.
    expect(edge(map, "segment:application:app", "segment:application:worker", "link").stats).toMatchObject({
      requests: 1,
      latency: { p50Ms: 1000 },
    });
  });

  it("does not infer a node for a call a segment of the trace answered", () => {
    const trace = traceOf(1, [
      {
        id: "a000000000000001",
        name: "api",
        start_time: 10,
        end_time: 11,
        subsegments: [
          {
            id: "c000000000000001",
            name: "Lambda",
            namespace: "aws",
            start_time: 10.1,
            end_time: 10.5,
            aws: { operation: "Invoke", function_arn: fnArn("worker") },
          },
          {
            id: "c000000000000002",
            name: "api.example.com",
            namespace: "remote",
            start_time: 10.5,
            end_time: 10.6,
            throttle: true,
            error: true,
          },
          { id: "c000000000000003", name: "local work", start_time: 10.6, end_time: 10.7 },
        ],
      },
      {
        id: "b000000000000001",
        name: "worker",
        parent_id: "c000000000000001",
        origin: "AWS::Lambda",
        start_time: 10.15,
        end_time: 10.45,
      },
    ]);
    const map = buildServiceMap([trace]);
    expect(map.nodes.map((n) => n.id)).toEqual([
      "remote:api.example.com",
      "segment:AWS::Lambda:worker",
      "segment:application:api",
    ]);
    expect(node(map, "remote:api.example.com")).toMatchObject({
      type: "remote",
      inferred: true,
      stats: { throttles: 1, errors: 0, throttleRate: 1 },
    });
    expect(edge(map, "segment:application:api", "segment:AWS::Lambda:worker", "call").stats).toMatchObject({
      requests: 1,
      latency: { p50Ms: 300 },
    });
    expect(map.edges).toHaveLength(2);
  });

  it("buckets known durations and takes nearest-rank percentiles; an in-progress segment is a request without latency", () => {
    const durations = [0.001, 0.003, 0.01, 0.011];
    const trace = traceOf(1, [
      ...durations.map((d, i) => ({ id: `a00000000000000${i}`, name: "app", start_time: 100, end_time: 100 + d })),
      { id: "a000000000000009", name: "app", start_time: 100, in_progress: true },
    ]);
    const stats = node(buildServiceMap([trace]), "segment:application:app").stats;
    expect(stats.requests).toBe(5);
    expect(stats.latency).toMatchObject({ count: 4, p50Ms: 3, p90Ms: 11, p99Ms: 11 });
    expect(stats.latency.p50Ms).toBe(percentile([1, 3, 10, 11], 50));
    expect(bucketsWithCounts(stats)).toEqual([
      { upToMs: 1, count: 1 },
      { upToMs: 5, count: 1 },
      { upToMs: 10, count: 1 },
      { upToMs: 20, count: 1 },
    ]);
    expectDisjoint(stats);
  });

  it("classifies each sample once by its worst flag, so the counters sum to requests", () => {
    const flags = [
      { fault: true, error: true },
      { throttle: true, error: true },
      { error: true },
      {},
      { fault: true, throttle: true },
    ];
    const trace = traceOf(
      1,
      flags.map((f, i) => ({ id: `a00000000000000${i}`, name: "app", start_time: 1, end_time: 2, ...f })),
    );
    const stats = node(buildServiceMap([trace]), "segment:application:app").stats;
    expect(stats).toMatchObject({
      requests: 5,
      ok: 1,
      errors: 1,
      throttles: 1,
      faults: 2,
      errorRate: 0.2,
      throttleRate: 0.2,
      faultRate: 0.4,
    });
    expectDisjoint(stats);
    for (const m of [fanOutToThreeQueues(), retriedMessage(), batchOfTen()].map((f) => buildServiceMap(f.traces))) {
      for (const x of [...m.nodes, ...m.edges]) expectDisjoint(x.stats);
    }
  });

  it("gives an empty map for no traces", () => {
    expect(buildServiceMap([])).toEqual({ nodes: [], edges: [], source: "traces", traces: 0, unresolvedLinks: 0 });
  });
});

describe("fromAwsServiceGraph", () => {
  const summary = (ok: number, errors: number, throttles: number, faults: number) => ({
    TotalCount: ok + errors + faults,
    OkCount: ok,
    TotalResponseTime: 1,
    ErrorStatistics: { TotalCount: errors, ThrottleCount: throttles, OtherCount: errors - throttles },
    FaultStatistics: { TotalCount: faults, OtherCount: faults },
  });
  const services: AwsService[] = [
    {
      ReferenceId: 0,
      Name: "storefront",
      Names: ["storefront"],
      Root: true,
      Type: "AWS::EC2::Instance",
      SummaryStatistics: summary(4, 0, 0, 1),
      ResponseTimeHistogram: [
        { Value: 0.1, Count: 3 },
        { Value: 2, Count: 1 },
        { Value: 0.5, Count: 1 },
      ],
      Edges: [
        {
          ReferenceId: 1,
          SummaryStatistics: summary(10, 5, 2, 0),
          ResponseTimeHistogram: [{ Value: 0.03, Count: 15 }],
        },
        { ReferenceId: 99, SummaryStatistics: summary(1, 0, 0, 0) },
      ],
    },
    {
      ReferenceId: 1,
      Name: "orders",
      Type: "AWS::SNS::Topic",
      SummaryStatistics: summary(10, 5, 2, 0),
      Edges: [
        {
          ReferenceId: 2,
          EdgeType: "link",
          SummaryStatistics: summary(3, 0, 0, 0),
          ReceivedEventAgeHistogram: [{ Value: 0.96, Count: 3 }],
        },
      ],
    },
    {
      ReferenceId: 2,
      Name: "billing",
      Type: "AWS::Lambda",
      Edges: [{ ReferenceId: 3, SummaryStatistics: summary(0, 0, 0, 2) }],
    },
    {
      ReferenceId: 3,
      Names: ["billing"],
      Type: "AWS::Lambda::Function",
      SummaryStatistics: summary(0, 0, 0, 2),
      DurationHistogram: [{ Value: 0.2, Count: 2 }],
    },
    { Name: "no reference id" },
  ];

  it("maps services and edges with disjoint counters", () => {
    const map = fromAwsServiceGraph(services);
    expect(map).toMatchObject({ source: "endpoint", traces: 0, unresolvedLinks: 0 });
    expect(map.nodes.map((n) => n.id)).toEqual(["service:0", "service:1", "service:2", "service:3"]);
    expect(map.edges.map((e) => e.id)).toEqual([
      "service:0->service:1:call",
      "service:1->service:2:link",
      "service:2->service:3:call",
    ]);
    expect(map.nodes[1]).toMatchObject({
      name: "orders",
      type: "AWS::SNS::Topic",
      resource: { kind: "topic", name: "orders" },
      inferred: false,
    });
    expect(map.nodes[2]).toMatchObject({ name: "billing", resource: { kind: "function", name: "billing" } });
    expect(map.nodes[3]).toMatchObject({
      name: "billing",
      resource: { kind: "function", name: "billing" },
      stats: { faults: 2, faultRate: 1, latency: { p50Ms: 200 } },
    });
    expect(map.nodes[0]!.resource).toBeUndefined();
    // ErrorStatistics.TotalCount 5 includes 2 throttles.
    expect(map.edges[0]!.stats).toMatchObject({
      requests: 15,
      ok: 10,
      errors: 3,
      throttles: 2,
      faults: 0,
      errorRate: 0.2,
      latency: { count: 15, p99Ms: 30 },
    });
    for (const x of [...map.nodes, ...map.edges]) expectDisjoint(x.stats);
  });

  it("takes percentiles and buckets from the histogram, weighted by count", () => {
    const stats = fromAwsServiceGraph(services).nodes[0]!.stats;
    expect(stats.latency).toMatchObject({ count: 5, p50Ms: 100, p90Ms: 2000, p99Ms: 2000 });
    const expanded = [100, 100, 100, 500, 2000];
    expect([stats.latency.p50Ms, stats.latency.p90Ms]).toEqual([percentile(expanded, 50), percentile(expanded, 90)]);
    expect(bucketsWithCounts(stats)).toEqual([
      { upToMs: 100, count: 3 },
      { upToMs: 500, count: 1 },
      { upToMs: 2000, count: 1 },
    ]);
  });

  it("reads a link edge's latency from the received-event age", () => {
    const link = fromAwsServiceGraph(services).edges[1]!;
    expect(link).toMatchObject({ kind: "link", stats: { requests: 3, latency: { count: 3, p50Ms: 960 } } });
  });

  it("gives an empty map for an empty graph", () => {
    expect(fromAwsServiceGraph([])).toEqual({
      nodes: [],
      edges: [],
      source: "endpoint",
      traces: 0,
      unresolvedLinks: 0,
    });
  });
});

describe("layoutServiceMap", () => {
  it("lays a fan-out out left to right by longest path", () => {
    const map = buildServiceMap(fanOutToThreeQueues().traces);
    const positions = layoutServiceMap(map);
    const column = (id: string) => positions[id]!.x / 340;
    expect(column(STOREFRONT)).toBe(0);
    expect(column(TOPIC)).toBe(1);
    for (const fn of ["inventory", "billing", "shipping"]) {
      expect(column(service(fn))).toBe(2);
      expect(column(fnNode(fn))).toBe(3);
    }
    expect(column(QUEUE)).toBe(4);
    // Rows by name: billing, inventory, shipping.
    expect(["billing", "inventory", "shipping"].map((fn) => positions[service(fn)]!.y)).toEqual([0, 112, 224]);
    expect(Object.keys(positions).sort()).toEqual(map.nodes.map((n) => n.id));
    const cells = new Set(Object.values(positions).map((p) => `${p.x},${p.y}`));
    expect(cells.size).toBe(map.nodes.length);
  });

  it("honours the grid options", () => {
    const positions = layoutServiceMap(buildServiceMap(fanOutToThreeQueues().traces), {
      columnWidth: 100,
      rowHeight: 10,
    });
    expect(positions[QUEUE]).toEqual({ x: 400, y: 0 });
    expect(positions[service("inventory")]).toEqual({ x: 200, y: 10 });
  });

  it("breaks a cycle by visiting order instead of hanging", () => {
    const stats = fromAwsServiceGraph([{ ReferenceId: 0 }]).nodes[0]!.stats;
    const n = (id: string) => ({ id, name: id, type: "remote", inferred: false, stats });
    const e = (from: string, to: string) => ({ id: `${from}->${to}:call`, from, to, kind: "call" as const, stats });
    const map: ServiceMap = {
      nodes: [n("a"), n("b"), n("c"), n("d")],
      edges: [e("a", "b"), e("b", "c"), e("c", "a"), e("c", "d"), e("d", "d")],
      source: "traces",
      traces: 0,
      unresolvedLinks: 0,
    };
    const positions = layoutServiceMap(map);
    expect(Object.fromEntries(Object.entries(positions).map(([id, p]) => [id, p.x / 340]))).toEqual({
      a: 0,
      b: 1,
      c: 2,
      d: 3,
    });
  });
});
