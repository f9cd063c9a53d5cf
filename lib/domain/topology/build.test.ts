import { describe, expect, it } from "vitest";
import { buildTopology, endpointLabel, subscriptionKey, unqualifiedFunctionArn } from "./build";
import { nodeId, type FindingCode } from "./model";
import {
  ACCOUNT_TOPICS_POLICY,
  account,
  aid,
  alarm,
  codes,
  edge,
  fanOut,
  fid,
  fn,
  fnArn,
  mapping,
  node,
  qid,
  queue,
  queueArn,
  sqsSub,
  subscription,
  tid,
  topic,
  topicArn,
} from "../../../test/fixtures/topology";

describe("nodeId", () => {
  it("prefixes the ARN or key with the kind", () => {
    expect(nodeId("topic", topicArn("orders"))).toBe("topic:arn:aws:sns:us-east-1:123456789012:orders");
    expect(nodeId("queue", queueArn("billing"))).toBe(`queue:${queueArn("billing")}`);
    expect(nodeId("function", fnArn("f"))).toBe(`function:${fnArn("f")}`);
    expect(nodeId("endpoint", "arn:aws:sns:us-east-1:123456789012:orders:abc")).toBe(
      "endpoint:arn:aws:sns:us-east-1:123456789012:orders:abc",
    );
  });
});

describe("buildTopology: fan-out", () => {
  const t = buildTopology(fanOut());

  it("has a node per topic, queue, function and alarm, with kinds", () => {
    expect(t.nodes).toHaveLength(1 + 6 + 3 + 3);
    expect(node(t, tid("orders"))).toMatchObject({ kind: "topic", name: "orders", fifo: false });
    expect(node(t, qid("billing"))).toMatchObject({
      kind: "queue",
      queue: { isDlq: false, isSource: true, dlqDepth: 0 },
    });
    expect(node(t, qid("billing-dlq"))).toMatchObject({ kind: "dlq", queue: { isDlq: true, isSource: false } });
    expect(node(t, qid("billing-dlq")).queue?.dlqDepth).toBeUndefined();
    expect(node(t, fid("billing-handler"))).toMatchObject({ kind: "function", function: { runtime: "nodejs22.x" } });
    expect(node(t, aid("billing-dlq-not-empty"))).toMatchObject({
      kind: "alarm",
      alarm: { state: "OK", metricName: "ApproximateNumberOfMessagesVisible" },
    });
  });

  it("connects subscription, redrive, event-source and alarm edges with stable ids", () => {
    expect(t.edges.map((e) => e.id).sort()).toEqual(
      [
        ...["billing", "shipping", "analytics"].flatMap((n) => [
          `subscription:${tid("orders")}->${qid(n)}`,
          `redrive:${qid(n)}->${qid(`${n}-dlq`)}`,
          `event-source:${qid(n)}->${fid(`${n}-handler`)}`,
          `alarm:${aid(`${n}-dlq-not-empty`)}->${qid(`${n}-dlq`)}`,
        ]),
      ].sort(),
    );
    expect(edge(t, `redrive:${qid("billing")}->${qid("billing-dlq")}`).redrive).toEqual({
      maxReceiveCount: 5,
      via: "queue",
    });
    expect(edge(t, `event-source:${qid("billing")}->${fid("billing-handler")}`).eventSource).toMatchObject({
      enabled: true,
      state: "Enabled",
      batchSize: 10,
      reportBatchItemFailures: true,
    });
    expect(edge(t, `subscription:${tid("orders")}->${qid("billing")}`).subscription).toEqual({
      arn: sqsSub("orders", "billing").arn,
      filterPolicySummary: null,
      scope: "MessageAttributes",
      rawMessageDelivery: false,
      pendingConfirmation: false,
    });
  });

  it("is clean: no findings, every node ok, everything in the topic's subtree", () => {
    expect(t.warnings).toEqual([]);
    expect(t.partial).toEqual([]);
    for (const n of t.nodes) {
      expect(n.health, n.id).toBe("ok");
      expect(n.reasons, n.id).toEqual([]);
      expect(n.topics, n.id).toEqual([topicArn("orders")]);
    }
  });

  it("does not depend on the order the description lists things in", () => {
    const a = fanOut();
    const shuffled = {
      ...a,
      queues: [...a.queues].reverse(),
      subscriptions: [...a.subscriptions].reverse(),
      mappings: [...a.mappings].reverse(),
    };
    expect(buildTopology(shuffled)).toEqual(t);
  });
});

describe("buildTopology: dead-letter queues", () => {
  it("makes a DLQ with messages critical and its source at least warning, with dlqDepth", () => {
    const a = fanOut();
    a.queues = a.queues.map((q) => (q.name === "billing-dlq" ? { ...q, visible: 1, inFlight: 1, delayed: 5 } : q));
    const t = buildTopology(a);
    expect(node(t, qid("billing-dlq"))).toMatchObject({
      health: "critical",
      reasons: ["2 messages in the dead-letter queue"],
    });
    expect(node(t, qid("billing"))).toMatchObject({
      health: "warning",
      reasons: ["its dead-letter queue holds 2 messages"],
      queue: { dlqDepth: 2 },
    });
    expect(node(t, qid("shipping")).health).toBe("ok");
  });

  it("says '1 message' for one", () => {
    const a = fanOut();
    a.queues = a.queues.map((q) => (q.name === "billing-dlq" ? { ...q, visible: 1 } : q));
    expect(node(buildTopology(a), qid("billing-dlq")).reasons).toEqual(["1 message in the dead-letter queue"]);
  });

  it("keeps both roles for a DLQ with its own DLQ", () => {
    const t = buildTopology(
      account({
        topics: [topic("orders")],
        subscriptions: [sqsSub("orders", "work")],
        queues: [
          queue("work", { dlq: "shared-dlq" }),
          queue("shared-dlq", { dlq: "last-resort", maxReceiveCount: 10, retentionSeconds: 1_209_600 }),
          queue("last-resort", { retentionSeconds: 1_209_600, visible: 3 }),
        ],
        functions: [fn("worker")],
        mappings: [mapping("work", "worker")],
        alarms: [alarm("shared", { queue: "shared-dlq" }), alarm("last", { queue: "last-resort" })],
      }),
    );
    expect(node(t, qid("shared-dlq"))).toMatchObject({
      kind: "dlq",
      queue: { isDlq: true, isSource: true, dlqDepth: 3 },
      health: "warning",
      reasons: ["its dead-letter queue holds 3 messages"],
    });
    expect(node(t, qid("last-resort"))).toMatchObject({
      kind: "dlq",
      health: "critical",
      topics: [topicArn("orders")],
    });
    expect(edge(t, `redrive:${qid("shared-dlq")}->${qid("last-resort")}`).redrive).toEqual({
      maxReceiveCount: 10,
      via: "queue",
    });
    expect(node(t, aid("last")).topics).toEqual([topicArn("orders")]);
  });

  it("draws a subscription's DLQ from the subscription's endpoint node, via subscription", () => {
    const sub = sqsSub("orders", "work", { deadLetterTargetArn: queueArn("sns-failures") });
    const t = buildTopology(
      account({
        topics: [topic("orders")],
        subscriptions: [sub],
        queues: [queue("work"), queue("sns-failures", { visible: 4 })],
        functions: [fn("worker")],
        mappings: [mapping("work", "worker")],
        alarms: [alarm("sns-failures", { queue: "sns-failures" })],
      }),
    );
    expect(node(t, qid("sns-failures"))).toMatchObject({
      kind: "dlq",
      queue: { isDlq: true, isSource: false },
      health: "critical",
      topics: [topicArn("orders")],
    });
    expect(edge(t, `redrive:${qid("work")}->${qid("sns-failures")}`).redrive).toEqual({
      maxReceiveCount: 0,
      via: "subscription",
    });
    expect(edge(t, `subscription:${tid("orders")}->${qid("work")}`).subscription?.deadLetterTargetArn).toBe(
      queueArn("sns-failures"),
    );
    // The queue's own DLQ is what dlqDepth counts; the subscription's DLQ still makes it a warning.
    expect(node(t, qid("work"))).toMatchObject({
      health: "warning",
      reasons: ["its subscription's dead-letter queue holds 4 messages"],
    });
    expect(node(t, qid("work")).queue?.dlqDepth).toBeUndefined();
  });

  it("gives a suffixed id to a subscription redrive that repeats the queue's own", () => {
    const sub = sqsSub("orders", "work", { deadLetterTargetArn: queueArn("dlq") });
    const t = buildTopology(
      account({
        topics: [topic("orders")],
        subscriptions: [sub],
        queues: [queue("work", { dlq: "dlq" }), queue("dlq")],
      }),
    );
    const redrives = t.edges.filter((e) => e.kind === "redrive");
    expect(redrives.map((e) => e.id)).toEqual([
      `redrive:${qid("work")}->${qid("dlq")}`,
      `redrive:${qid("work")}->${qid("dlq")}#${sub.arn}`,
    ]);
  });
});

describe("buildTopology: shapes", () => {
  it("includes an orphan queue and a topic with no subscription", () => {
    const t = buildTopology(account({ topics: [topic("quiet")], queues: [queue("orphan")] }));
    expect(node(t, tid("quiet"))).toMatchObject({ health: "ok", topics: [topicArn("quiet")] });
    expect(node(t, qid("orphan"))).toMatchObject({ kind: "queue", health: "ok", topics: [] });
    expect(t.edges).toEqual([]);
    expect(t.warnings).toEqual([]);
  });

  it("puts a queue subscribed to two topics (and what is downstream of it) in both subtrees", () => {
    const t = buildTopology(
      account({
        topics: [topic("orders"), topic("returns")],
        subscriptions: [sqsSub("orders", "audit"), sqsSub("returns", "audit")],
        queues: [queue("audit", { dlq: "audit-dlq" }), queue("audit-dlq")],
        functions: [fn("auditor")],
        mappings: [mapping("audit", "auditor")],
        alarms: [alarm("audit-dlq", { queue: "audit-dlq" })],
      }),
    );
    const both = [topicArn("orders"), topicArn("returns")];
    expect(t.edges.filter((e) => e.kind === "subscription").map((e) => e.from)).toEqual([
      tid("orders"),
      tid("returns"),
    ]);
    for (const id of [qid("audit"), qid("audit-dlq"), fid("auditor"), aid("audit-dlq")])
      expect(node(t, id).topics.sort()).toEqual(both);
  });

  it("connects a lambda subscription to the function node, also through an alias ARN", () => {
    const t = buildTopology(
      account({
        topics: [topic("orders"), topic("returns")],
        subscriptions: [
          subscription("orders", "lambda", fnArn("notify")),
          subscription("returns", "lambda", `${fnArn("notify")}:live`),
        ],
        functions: [fn("notify")],
      }),
    );
    expect(t.nodes.filter((n) => n.kind === "subscription-endpoint")).toEqual([]);
    expect(t.edges.map((e) => e.id)).toEqual([
      `subscription:${tid("orders")}->${fid("notify")}`,
      `subscription:${tid("returns")}->${fid("notify")}`,
    ]);
    expect(node(t, fid("notify")).topics).toEqual([topicArn("orders"), topicArn("returns")]);
    expect(t.warnings).toEqual([]);
  });

  it("makes an endpoint node for a lambda subscription to a function it does not know", () => {
    const sub = subscription("orders", "lambda", "arn:aws:lambda:eu-west-1:210987654321:function:elsewhere");
    const t = buildTopology(account({ topics: [topic("orders")], subscriptions: [sub] }));
    expect(node(t, `endpoint:${sub.arn}`)).toMatchObject({
      kind: "subscription-endpoint",
      name: "elsewhere",
      arn: sub.arn,
      endpoint: { protocol: "lambda", endpoint: sub.endpoint },
    });
  });

  it("makes endpoint nodes for http, email and sms subscriptions, and keeps pending ones apart", () => {
    const pendingA = subscription("orders", "email", "a@example.com", {
      arn: "PendingConfirmation",
      pendingConfirmation: true,
    });
    const pendingB = subscription("orders", "email", "b@example.com", {
      arn: "PendingConfirmation",
      pendingConfirmation: true,
    });
    const https = subscription("orders", "https", "https://hooks.example.com/orders", { rawMessageDelivery: true });
    const t = buildTopology(account({ topics: [topic("orders")], subscriptions: [pendingA, pendingB, https] }));
    const endpoints = t.nodes.filter((n) => n.kind === "subscription-endpoint");
    expect(endpoints.map((n) => n.id).sort()).toEqual(
      [
        `endpoint:${https.arn}`,
        `endpoint:${subscriptionKey(pendingA)}`,
        `endpoint:${subscriptionKey(pendingB)}`,
      ].sort(),
    );
    expect(node(t, `endpoint:${https.arn}`)).toMatchObject({
      name: "https://hooks.example.com/orders",
      health: "ok",
      topics: [topicArn("orders")],
    });
    expect(node(t, `endpoint:${subscriptionKey(pendingA)}`)).toMatchObject({
      name: "a@example.com",
      health: "warning",
      reasons: ["subscription pending confirmation"],
    });
    expect(edge(t, `subscription:${tid("orders")}->endpoint:${https.arn}`).subscription?.rawMessageDelivery).toBe(true);
  });

  it("summarizes filter policies on subscription edges", () => {
    const t = buildTopology(
      account({
        topics: [topic("orders")],
        subscriptions: [
          sqsSub("orders", "a", {
            filterPolicy: '{"eventType":["order.placed","order.cancelled"]}',
            filterPolicyScope: "MessageBody",
          }),
          sqsSub("orders", "b"),
        ],
        queues: [queue("a"), queue("b")],
        functions: [fn("f")],
        mappings: [mapping("a", "f"), mapping("b", "f")],
      }),
    );
    expect(edge(t, `subscription:${tid("orders")}->${qid("a")}`).subscription).toMatchObject({
      filterPolicySummary: "eventType: order.placed, order.cancelled",
      scope: "MessageBody",
    });
    expect(edge(t, `subscription:${tid("orders")}->${qid("b")}`).subscription?.filterPolicySummary).toBeNull();
  });

  it("creates a topic node for a subscription whose topic was not listed", () => {
    const t = buildTopology(
      account({
        subscriptions: [sqsSub("ghost", "q")],
        queues: [queue("q")],
        functions: [fn("f")],
        mappings: [mapping("q", "f")],
      }),
    );
    expect(node(t, tid("ghost"))).toMatchObject({ kind: "topic", name: "ghost", missing: true });
  });

  it("suffixes event-source edge ids with the mapping UUID when two mappings join the same nodes", () => {
    const t = buildTopology(
      account({
        queues: [queue("q")],
        functions: [fn("f")],
        mappings: [
          mapping("q", "f", { uuid: "a" }),
          mapping("q", "f", { uuid: "b", functionArn: `${fnArn("f")}:live` }),
        ],
      }),
    );
    expect(t.edges.map((e) => e.id)).toEqual([
      `event-source:${qid("q")}->${fid("f")}`,
      `event-source:${qid("q")}->${fid("f")}#b`,
    ]);
  });

  it("ignores mappings from non-SQS sources", () => {
    const t = buildTopology(
      account({
        functions: [fn("f")],
        mappings: [mapping("q", "f", { eventSourceArn: "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/x" })],
      }),
    );
    expect(t.edges).toEqual([]);
  });

  it("attaches metrics and tags", () => {
    const a = fanOut();
    a.metrics = { [qid("billing")]: { throughput5m: 120, oldestAgeSeconds: 4 } };
    a.queues[0] = { ...a.queues[0]!, tags: { team: "payments" } };
    const t = buildTopology(a);
    expect(node(t, qid("billing"))).toMatchObject({
      metrics: { throughput5m: 120, oldestAgeSeconds: 4 },
      tags: { team: "payments" },
    });
    expect(node(t, qid("shipping")).metrics).toBeUndefined();
  });
});

describe("buildTopology: a consumer's per-record failures", () => {
  // The payment consumer fails 8 % of its records: they are batch item failures, no Lambda error.
  const failing = (dlqInflow5m: number | undefined, deleted5m = 92) => {
    const a = account({
      topics: [topic("orders")],
      subscriptions: [sqsSub("orders", "payment")],
      queues: [queue("payment", { dlq: "payment-dlq" }), queue("payment-dlq")],
      functions: [fn("pay")],
      mappings: [mapping("payment", "pay")],
    });
    a.metrics = {
      [qid("payment")]: { deleted5m, throughput5m: 100 },
      [qid("payment-dlq")]: dlqInflow5m === undefined ? {} : { dlqInflow5m },
      [fid("pay")]: { throughput5m: 10 },
    };
    return a;
  };

  it("counts its queue's processed and dead-lettered records on the function, and 8 % is critical", () => {
    const t = buildTopology(failing(8), { recordObjective: 0.9995 });
    expect(node(t, fid("pay"))).toMatchObject({
      health: "critical",
      metrics: { throughput5m: 10, records5m: { processed: 92, deadLettered: 8 } },
      reasons: ["8 of 100 records dead-lettered in 5 min from payment (8.0 %): over the 0.05 % error budget"],
    });
  });

  it("warns while the failures spend the budget faster than it lasts, below the paging rate", () => {
    // 1 of 1000 with a 0.05 % budget: burning at 2×.
    const t = buildTopology(failing(1, 999), { recordObjective: 0.9995 });
    expect(node(t, fid("pay")).health).toBe("warning");
  });

  it("stays healthy within the budget, and without a DLQ figure judges nothing", () => {
    expect(node(buildTopology(failing(0)), fid("pay"))).toMatchObject({
      health: "ok",
      metrics: { records5m: { processed: 92, deadLettered: 0 } },
    });
    const unknown = node(buildTopology(failing(undefined)), fid("pay"));
    expect(unknown.health).toBe("ok");
    expect(unknown.metrics?.records5m).toBeUndefined();
  });
});

describe("buildTopology: alarms and mappings drive health", () => {
  const base = () =>
    account({
      topics: [topic("orders")],
      subscriptions: [sqsSub("orders", "work")],
      queues: [queue("work")],
      functions: [fn("worker")],
      mappings: [mapping("work", "worker")],
    });

  it("makes the resource and the alarm critical when the alarm is in ALARM", () => {
    const a = base();
    a.alarms = [
      alarm("work-age", { queue: "work" }, "ALARM", {
        reason: "Threshold Crossed",
        updatedAt: "2025-03-01T10:00:00.000Z",
      }),
      alarm("worker-errors", { fn: "worker" }, "ALARM"),
      alarm("orders-failed", { topic: "orders" }, "ALARM"),
    ];
    const t = buildTopology(a);
    expect(node(t, qid("work"))).toMatchObject({ health: "critical", reasons: ["alarm work-age is in ALARM"] });
    expect(node(t, fid("worker"))).toMatchObject({ health: "critical", reasons: ["alarm worker-errors is in ALARM"] });
    expect(node(t, tid("orders"))).toMatchObject({ health: "critical", reasons: ["alarm orders-failed is in ALARM"] });
    expect(node(t, aid("work-age"))).toMatchObject({
      health: "critical",
      reasons: ["in ALARM: Threshold Crossed"],
      alarm: { state: "ALARM", reason: "Threshold Crossed", updatedAt: "2025-03-01T10:00:00.000Z" },
    });
    expect(
      t.edges
        .filter((e) => e.kind === "alarm")
        .map((e) => e.to)
        .sort(),
    ).toEqual([fid("worker"), qid("work"), tid("orders")].sort());
  });

  it("leaves the resource ok for OK and INSUFFICIENT_DATA alarms; the latter is unknown itself", () => {
    const a = base();
    a.alarms = [
      alarm("work-age", { queue: "work" }, "OK"),
      alarm("worker-errors", { fn: "worker" }, "INSUFFICIENT_DATA"),
    ];
    const t = buildTopology(a);
    expect(node(t, qid("work")).health).toBe("ok");
    expect(node(t, fid("worker")).health).toBe("ok");
    expect(node(t, aid("work-age")).health).toBe("ok");
    expect(node(t, aid("worker-errors"))).toMatchObject({
      health: "unknown",
      reasons: ["the alarm has insufficient data"],
    });
  });

  it("draws no edge for an alarm on a resource it does not know, or in another namespace", () => {
    const a = base();
    a.alarms = [
      alarm("gone", { queue: "deleted" }, "ALARM"),
      alarm("custom", { queue: "work" }, "ALARM", { namespace: "Custom/App" }),
    ];
    const t = buildTopology(a);
    expect(t.edges.filter((e) => e.kind === "alarm")).toEqual([]);
    expect(node(t, aid("gone")).topics).toEqual([]);
    expect(node(t, qid("work")).health).toBe("ok");
  });

  it("warns on the queue and the function for a disabled mapping", () => {
    const a = base();
    a.mappings = [mapping("work", "worker", { state: "Disabled", lastModified: "2025-03-01T10:00:00.000Z" })];
    const t = buildTopology(a);
    expect(edge(t, `event-source:${qid("work")}->${fid("worker")}`).eventSource).toMatchObject({
      enabled: false,
      state: "Disabled",
      lastModified: "2025-03-01T10:00:00.000Z",
    });
    expect(node(t, qid("work"))).toMatchObject({ health: "warning", reasons: ["consumer mapping disabled"] });
    expect(node(t, fid("worker"))).toMatchObject({
      health: "warning",
      reasons: ["its mapping from queue work is disabled"],
    });
    // A disabled mapping is still a consumer: the queue is not "unconsumed".
    expect(codes(t)).toEqual([]);
  });

  it("does not warn while a mapping is being created or updated", () => {
    const a = base();
    a.mappings = [mapping("work", "worker", { state: "Updating" })];
    const t = buildTopology(a);
    expect(edge(t, `event-source:${qid("work")}->${fid("worker")}`).eventSource?.enabled).toBe(false);
    expect(node(t, qid("work")).health).toBe("ok");
  });

  it("lists critical reasons before warnings", () => {
    const a = base();
    a.mappings = [mapping("work", "worker", { state: "Disabled" })];
    a.alarms = [alarm("work-age", { queue: "work" }, "ALARM")];
    expect(node(buildTopology(a), qid("work"))).toMatchObject({
      health: "critical",
      reasons: ["alarm work-age is in ALARM", "consumer mapping disabled"],
    });
  });
});

describe("buildTopology: partial collection", () => {
  it("marks a failed part's nodes unknown, keeps the graph, and skips checks it cannot make", () => {
    const t = buildTopology(
      account({
        topics: [topic("orders")],
        subscriptions: [sqsSub("orders", "work"), subscription("orders", "lambda", fnArn("notify"))],
        queues: [queue("work")],
        failures: [{ part: "lambda", message: "AccessDenied: lambda:ListFunctions" }],
      }),
    );
    expect(t.partial).toEqual([{ part: "lambda", message: "AccessDenied: lambda:ListFunctions" }]);
    // The lambda subscription still reaches a function node, whose health is unknown.
    expect(node(t, fid("notify"))).toMatchObject({
      kind: "function",
      missing: true,
      health: "unknown",
      reasons: ["Lambda details could not be collected: AccessDenied: lambda:ListFunctions"],
    });
    // Without mappings we cannot tell whether the queue is consumed.
    expect(codes(t)).not.toContain("queue-unconsumed");
    expect(node(t, qid("work")).health).toBe("ok");
    expect(node(t, tid("orders")).health).toBe("ok");
  });

  it("with SQS failed, a subscribed queue is an unknown placeholder, not a missing one", () => {
    const t = buildTopology(
      account({
        topics: [topic("orders")],
        subscriptions: [sqsSub("orders", "work", { deadLetterTargetArn: queueArn("dlq") })],
        functions: [fn("worker")],
        mappings: [mapping("work", "worker")],
        failures: [{ part: "sqs", message: "AccessDenied" }],
      }),
    );
    expect(node(t, qid("work"))).toMatchObject({
      kind: "queue",
      missing: true,
      health: "unknown",
      reasons: ["SQS details could not be collected: AccessDenied"],
    });
    expect(edge(t, `event-source:${qid("work")}->${fid("worker")}`)).toBeDefined();
    expect(t.warnings).toEqual([]);
  });

  it("keeps known problems over unknown", () => {
    const a = fanOut();
    a.alarms = [alarm("billing-age", { queue: "billing" }, "ALARM")];
    a.failures = [{ part: "sqs", message: "Throttling" }];
    const t = buildTopology(a);
    expect(node(t, qid("billing")).health).toBe("critical");
    expect(node(t, qid("shipping")).health).toBe("unknown");
  });

  it("does not report DLQs without alarms when CloudWatch failed", () => {
    const a = fanOut();
    a.alarms = [];
    a.failures = [{ part: "cloudwatch", message: "AccessDenied" }];
    const t = buildTopology(a);
    expect(codes(t)).toEqual([]);
    expect(node(t, qid("billing-dlq")).health).toBe("ok");
  });
});

describe("buildTopology: findings", () => {
  /** A finding as the topology reports it: a warning unless said otherwise. */
  const finding = (
    code: FindingCode,
    message: string,
    where: { nodeId: string; edgeId?: string },
    severity: "warning" | "critical" = "warning",
  ) => ({ code, severity, message, ...where });

  /** One topic, one subscribed and consumed queue, its alarmed DLQ: the clean baseline to break. */
  const clean = (name = "orders") =>
    account({
      topics: [topic(name)],
      subscriptions: [sqsSub(name, "work")],
      queues: [queue("work", { dlq: "work-dlq" }), queue("work-dlq", { retentionSeconds: 1_209_600 })],
      functions: [fn("worker")],
      mappings: [mapping("work", "worker")],
      alarms: [alarm("work-dlq", { queue: "work-dlq" })],
    });
  type QueueSettings = Parameters<typeof queue>[1];
  /** The baseline with other settings on its queue "work" and on its DLQ "work-dlq". */
  const cleanWith = (work: QueueSettings, dlq: QueueSettings = { retentionSeconds: 1_209_600 }) => {
    const a = clean();
    a.queues = [queue("work", { dlq: "work-dlq", ...work }), queue("work-dlq", dlq)];
    return a;
  };

  it("the baseline is clean", () => {
    expect(buildTopology(clean()).warnings).toEqual([]);
    expect(buildTopology(clean("orders.fifo")).warnings).toEqual([]);
  });

  it("subscription-pending, on the endpoint node and the edge", () => {
    const a = clean();
    a.subscriptions = [sqsSub("orders", "work", { pendingConfirmation: true })];
    const t = buildTopology(a);
    expect(t.warnings).toEqual([
      finding(
        "subscription-pending",
        "The sqs subscription of work to topic orders is pending confirmation: nothing is delivered until it is confirmed.",
        { nodeId: qid("work"), edgeId: `subscription:${tid("orders")}->${qid("work")}` },
      ),
    ]);
    expect(edge(t, `subscription:${tid("orders")}->${qid("work")}`).subscription?.pendingConfirmation).toBe(true);
    expect(node(t, qid("work"))).toMatchObject({ health: "warning", reasons: ["subscription pending confirmation"] });
  });

  it("queue-unconsumed: a subscribed queue without a mapping; not a DLQ, not an unsubscribed queue", () => {
    const a = clean();
    a.mappings = [];
    a.queues.push(queue("orphan"));
    const t = buildTopology(a);
    expect(t.warnings.filter((w) => w.code === "queue-unconsumed")).toEqual([
      finding(
        "queue-unconsumed",
        "Queue work receives messages from SNS but no Lambda event source mapping consumes it.",
        { nodeId: qid("work") },
      ),
    ]);
    expect(node(t, qid("work"))).toMatchObject({ health: "warning", reasons: ["nothing consumes this queue"] });
    expect(codes(t, qid("work-dlq"))).toEqual([]);
    expect(codes(t, qid("orphan"))).toEqual([]);
    // A queue the console itself drains (the tap) is consumed, just not by Lambda.
    expect(codes(buildTopology({ ...a, consumedElsewhere: ["work"] }), qid("work"))).toEqual([]);
  });

  it("subscription-missing-queue: a critical placeholder", () => {
    const a = clean();
    a.subscriptions.push(sqsSub("orders", "deleted"));
    const t = buildTopology(a);
    expect(node(t, qid("deleted"))).toMatchObject({
      kind: "queue",
      name: "deleted",
      missing: true,
      health: "critical",
      reasons: ["subscription to a queue that does not exist"],
      topics: [topicArn("orders")],
    });
    expect(t.warnings).toEqual([
      expect.objectContaining({
        code: "subscription-missing-queue",
        severity: "critical",
        nodeId: qid("deleted"),
        edgeId: `subscription:${tid("orders")}->${qid("deleted")}`,
      }),
    ]);
  });

  it("queue-policy-denies-topic: for subscribed queues whose policy does not admit the topic", () => {
    const a = clean();
    a.queues = a.queues.map((q) => (q.name === "work" ? { ...q, policy: undefined } : q));
    a.queues.push(queue("unsubscribed", { policy: undefined }));
    const t = buildTopology(a);
    expect(t.warnings).toEqual([
      finding(
        "queue-policy-denies-topic",
        "Queue work's access policy does not let topic orders send to it (the queue has no access policy).",
        { nodeId: qid("work"), edgeId: `subscription:${tid("orders")}->${qid("work")}` },
      ),
    ]);
    expect(node(t, qid("work")).reasons).toEqual(["access policy does not let topic orders send messages"]);
  });

  it("queue-policy-denies-topic: ArnLike wildcards and SourceArn arrays admit; another topic does not", () => {
    const policy = (condition: unknown) =>
      JSON.stringify({
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "sns.amazonaws.com" },
            Action: "sqs:SendMessage",
            Resource: queueArn("work"),
            Condition: condition,
          },
        ],
      });
    const withPolicy = (text: string) => {
      const a = clean();
      a.queues = a.queues.map((q) => (q.name === "work" ? { ...q, policy: text } : q));
      return codes(buildTopology(a));
    };
    expect(withPolicy(policy({ ArnLike: { "aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:ord*" } }))).toEqual([]);
    expect(withPolicy(policy({ ArnEquals: { "aws:SourceArn": [topicArn("returns"), topicArn("orders")] } }))).toEqual(
      [],
    );
    expect(withPolicy(policy({ ArnEquals: { "aws:SourceArn": topicArn("returns") } }))).toEqual([
      "queue-policy-denies-topic",
    ]);
    expect(withPolicy(ACCOUNT_TOPICS_POLICY)).toEqual([]);
  });

  it("fifo-queue-on-standard-topic; a FIFO topic delivering to a standard queue is fine", () => {
    const standardTopicFifoQueue = account({
      topics: [topic("orders")],
      subscriptions: [sqsSub("orders", "work.fifo")],
      queues: [queue("work.fifo")],
      functions: [fn("worker")],
      mappings: [mapping("work.fifo", "worker")],
    });
    const t = buildTopology(standardTopicFifoQueue);
    expect(t.warnings).toEqual([
      finding(
        "fifo-queue-on-standard-topic",
        "FIFO queue work.fifo is subscribed to standard topic orders; FIFO queues can only subscribe to FIFO topics.",
        { nodeId: qid("work.fifo"), edgeId: `subscription:${tid("orders")}->${qid("work.fifo")}` },
      ),
    ]);

    const fifoTopicStandardQueue = clean("orders.fifo");
    expect(buildTopology(fifoTopicStandardQueue).warnings).toEqual([]);
    const fifoTopicFifoQueue = account({
      topics: [topic("orders.fifo")],
      subscriptions: [sqsSub("orders.fifo", "work.fifo")],
      queues: [queue("work.fifo")],
      functions: [fn("worker")],
      mappings: [mapping("work.fifo", "worker")],
    });
    expect(buildTopology(fifoTopicFifoQueue).warnings).toEqual([]);
  });

  it("non-sqs-on-fifo-topic: an email endpoint on a FIFO topic; not on a standard topic", () => {
    const onFifo = clean("orders.fifo");
    onFifo.subscriptions.push(subscription("orders.fifo", "email", "ops@example.com"));
    const t = buildTopology(onFifo);
    const sub = onFifo.subscriptions[1]!;
    expect(t.warnings).toEqual([
      finding(
        "non-sqs-on-fifo-topic",
        "FIFO topic orders.fifo has a email subscription (ops@example.com); FIFO topics deliver only to SQS queues.",
        { nodeId: `endpoint:${sub.arn}`, edgeId: `subscription:${tid("orders.fifo")}->endpoint:${sub.arn}` },
      ),
    ]);
    expect(node(t, `endpoint:${sub.arn}`).health).toBe("warning");

    const onStandard = clean();
    onStandard.subscriptions.push(subscription("orders", "email", "ops@example.com"));
    expect(buildTopology(onStandard).warnings).toEqual([]);
  });

  it("fifo-queue-standard-dlq is critical; a FIFO DLQ for a FIFO queue is fine", () => {
    const fifoWithStandardDlq = account({
      topics: [topic("orders.fifo")],
      subscriptions: [sqsSub("orders.fifo", "work.fifo")],
      queues: [queue("work.fifo", { dlq: "work-dlq" }), queue("work-dlq")],
      functions: [fn("worker")],
      mappings: [mapping("work.fifo", "worker")],
      alarms: [alarm("work-dlq", { queue: "work-dlq" })],
    });
    const t = buildTopology(fifoWithStandardDlq);
    expect(t.warnings).toEqual([
      expect.objectContaining({
        code: "fifo-queue-standard-dlq",
        severity: "critical",
        nodeId: qid("work.fifo"),
        edgeId: `redrive:${qid("work.fifo")}->${qid("work-dlq")}`,
      }),
    ]);
    expect(node(t, qid("work.fifo"))).toMatchObject({
      health: "critical",
      reasons: ["its dead-letter queue work-dlq is not a FIFO queue"],
    });

    const fifoWithFifoDlq = {
      ...fifoWithStandardDlq,
      queues: [queue("work.fifo", { dlq: "work-dlq.fifo" }), queue("work-dlq.fifo")],
      alarms: [alarm("work-dlq", { queue: "work-dlq.fifo" })],
    };
    expect(buildTopology(fifoWithFifoDlq).warnings).toEqual([]);
  });

  it("standard-queue-fifo-dlq is critical", () => {
    const a = clean();
    a.queues = [queue("work", { dlq: "work-dlq.fifo" }), queue("work-dlq.fifo", { retentionSeconds: 1_209_600 })];
    a.alarms = [alarm("work-dlq", { queue: "work-dlq.fifo" })];
    expect(buildTopology(a).warnings).toEqual([
      expect.objectContaining({ code: "standard-queue-fifo-dlq", severity: "critical", nodeId: qid("work") }),
    ]);
  });

  it("redrive-missing-dlq: a queue or subscription naming a DLQ that does not exist", () => {
    const a = clean();
    a.queues = [queue("work", { dlq: "deleted-dlq" })];
    a.alarms = [];
    a.subscriptions = [sqsSub("orders", "work", { deadLetterTargetArn: queueArn("also-deleted") })];
    const t = buildTopology(a);
    expect(t.warnings).toEqual([
      finding("redrive-missing-dlq", "Queue work names dead-letter queue deleted-dlq, which does not exist.", {
        nodeId: qid("work"),
      }),
      finding(
        "redrive-missing-dlq",
        "The subscription of work to topic orders names dead-letter queue also-deleted, which does not exist.",
        { nodeId: qid("work") },
      ),
    ]);
    expect(t.edges.filter((e) => e.kind === "redrive")).toEqual([]);
  });

  it("dlq-without-alarm: a DLQ no alarm names; an alarm on it in any state is enough", () => {
    const a = clean();
    a.alarms = [alarm("work-age", { queue: "work" })];
    const t = buildTopology(a);
    expect(t.warnings).toEqual([
      finding(
        "dlq-without-alarm",
        "Dead-letter queue work-dlq has no CloudWatch alarm: dead letters can pile up unnoticed.",
        { nodeId: qid("work-dlq") },
      ),
    ]);
    expect(node(t, qid("work-dlq"))).toMatchObject({
      health: "warning",
      reasons: ["no alarm watches this dead-letter queue"],
    });

    const b = clean();
    b.alarms = [alarm("work-dlq", { queue: "work-dlq" }, "INSUFFICIENT_DATA")];
    expect(codes(buildTopology(b))).toEqual([]);
  });

  it("dlq-retention-shorter: for standard queues only", () => {
    const t = buildTopology(cleanWith({ retentionSeconds: 1_209_600 }, { retentionSeconds: 345_600 }));
    expect(t.warnings).toEqual([
      finding(
        "dlq-retention-shorter",
        "Dead-letter queue work-dlq keeps messages 4 days, less than its source work " +
          "(14 days); dead letters keep their original enqueue time and can expire early.",
        { nodeId: qid("work-dlq"), edgeId: `redrive:${qid("work")}->${qid("work-dlq")}` },
      ),
    ]);
    expect(node(t, qid("work-dlq")).reasons).toEqual(["retention shorter than source queue work's"]);

    expect(codes(buildTopology(cleanWith({}, {})))).toEqual([]);

    // FIFO queues reset the enqueue timestamp when a message moves to the DLQ.
    const fifo = account({
      topics: [topic("orders.fifo")],
      subscriptions: [sqsSub("orders.fifo", "work.fifo")],
      queues: [
        queue("work.fifo", { dlq: "work-dlq.fifo", retentionSeconds: 1_209_600 }),
        queue("work-dlq.fifo", { retentionSeconds: 345_600 }),
      ],
      functions: [fn("worker")],
      mappings: [mapping("work.fifo", "worker")],
      alarms: [alarm("work-dlq", { queue: "work-dlq.fifo" })],
    });
    expect(codes(buildTopology(fifo))).toEqual([]);
  });

  // Lambda Developer Guide, "Configuring an Amazon SQS queue to use with Lambda" (services-sqs-configure).
  it("visibility timeout under 6× the consumer's timeout is a warning, under 1× critical; 6× and more is fine", () => {
    const withTimeouts = (visibilityTimeoutSeconds: number | undefined, timeoutSeconds: number | undefined) => {
      const a = clean();
      a.queues = a.queues.map((q) =>
        q.name === "work" && visibilityTimeoutSeconds !== undefined ? { ...q, visibilityTimeoutSeconds } : q,
      );
      a.functions = [fn("worker", timeoutSeconds !== undefined ? { timeoutSeconds } : {})];
      return buildTopology(a);
    };
    const below = withTimeouts(120, 30);
    expect(below.warnings).toEqual([
      finding(
        "visibility-timeout-below-advice",
        "Queue work's visibility timeout (2 minutes) is less than 6 times the timeout " +
          "of its consumer worker (30 seconds); AWS advises at least 3 minutes, so that " +
          "a batch Lambda is still working on or retrying does not become visible again.",
        { nodeId: qid("work"), edgeId: `event-source:${qid("work")}->${fid("worker")}` },
      ),
    ]);
    expect(node(below, qid("work"))).toMatchObject({
      health: "warning",
      reasons: ["visibility timeout under 6× consumer worker's timeout"],
    });
    expect(node(below, fid("worker")).function).toEqual({ runtime: "nodejs22.x", timeoutSeconds: 30 });

    const shorter = withTimeouts(20, 30);
    expect(shorter.warnings).toEqual([
      expect.objectContaining({
        code: "visibility-timeout-below-function-timeout",
        severity: "critical",
        nodeId: qid("work"),
      }),
    ]);
    expect(node(shorter, qid("work"))).toMatchObject({
      health: "critical",
      reasons: ["visibility timeout shorter than consumer worker's timeout"],
    });

    expect(codes(withTimeouts(30, 30))).toEqual(["visibility-timeout-below-advice"]);
    expect(codes(withTimeouts(180, 30))).toEqual([]);
    expect(codes(withTimeouts(900, 30))).toEqual([]);
    // Either side unknown (not collected): nothing to judge.
    expect(codes(withTimeouts(undefined, 30))).toEqual([]);
    expect(codes(withTimeouts(10, undefined))).toEqual([]);
  });

  it("visibility timeout is judged per consumer: the longest-running function sets the bar", () => {
    const a = clean();
    a.queues = a.queues.map((q) => (q.name === "work" ? { ...q, visibilityTimeoutSeconds: 60 } : q));
    a.functions = [fn("worker", { timeoutSeconds: 10 }), fn("slow", { timeoutSeconds: 90 })];
    a.mappings = [mapping("work", "worker"), mapping("work", "slow")];
    const t = buildTopology(a);
    expect(t.warnings.map((w) => [w.code, w.edgeId])).toEqual([
      ["visibility-timeout-below-function-timeout", `event-source:${qid("work")}->${fid("slow")}`],
    ]);
  });

  it("max-receive-count-low: under 5 on a queue Lambda consumes; not without a consumer, not at 5", () => {
    const t = buildTopology(cleanWith({ maxReceiveCount: 3 }));
    expect(t.warnings).toEqual([
      finding(
        "max-receive-count-low",
        "Queue work moves a message to its dead-letter queue work-dlq after " +
          "3 receives; with a Lambda consumer AWS advises a maxReceiveCount of " +
          "at least 5, or batches that were only throttled can be dead-lettered.",
        { nodeId: qid("work"), edgeId: `redrive:${qid("work")}->${qid("work-dlq")}` },
      ),
    ]);
    expect(node(t, qid("work")).reasons).toEqual(["maxReceiveCount 3 is under 5 for a Lambda consumer"]);

    expect(codes(buildTopology(cleanWith({ maxReceiveCount: 1 })))).toEqual(["max-receive-count-low"]);
    expect(codes(buildTopology(cleanWith({ maxReceiveCount: 5 })))).toEqual([]);

    // Read by something other than Lambda: the advice is about Lambda's retries, so no finding.
    const noConsumer = cleanWith({ maxReceiveCount: 1 });
    noConsumer.mappings = [];
    noConsumer.consumedElsewhere = ["work"];
    expect(codes(buildTopology(noConsumer))).toEqual([]);
  });

  it("queue-aws-managed-key: a subscribed queue under alias/aws/sqs (alias or alias ARN) is critical; SSE-SQS or a customer key is fine", () => {
    const withKey = (kmsMasterKeyId: string | undefined) => {
      const a = clean();
      a.queues = a.queues.map((q) => (q.name === "work" ? { ...q, ...(kmsMasterKeyId ? { kmsMasterKeyId } : {}) } : q));
      return buildTopology(a);
    };
    const t = withKey("alias/aws/sqs");
    expect(t.warnings).toEqual([
      finding(
        "queue-aws-managed-key",
        "Queue work is encrypted with the AWS managed key aws/sqs, whose key " +
          "policy cannot let SNS use it: topic orders cannot deliver to it. Use " +
          "a customer managed KMS key that allows sns.amazonaws.com, or SSE-SQS.",
        { nodeId: qid("work"), edgeId: `subscription:${tid("orders")}->${qid("work")}` },
        "critical",
      ),
    ]);
    expect(node(t, qid("work"))).toMatchObject({
      health: "critical",
      reasons: ["encrypted with the AWS managed key aws/sqs: topic orders cannot deliver to it"],
    });
    expect(codes(withKey("arn:aws:kms:us-east-1:123456789012:alias/aws/sqs"))).toEqual(["queue-aws-managed-key"]);
    expect(codes(withKey("alias/orders-key"))).toEqual([]);
    expect(codes(withKey("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"))).toEqual([]);
    expect(codes(withKey(undefined))).toEqual([]);
    // Not subscribed to a topic: SNS is not involved.
    const a = clean();
    a.subscriptions = [];
    a.queues = a.queues.map((q) => (q.name === "work" ? { ...q, kmsMasterKeyId: "alias/aws/sqs" } : q));
    a.consumedElsewhere = [];
    expect(codes(buildTopology(a))).toEqual([]);
  });

  // SNS Developer Guide, "Amazon SNS dead-letter queues (DLQs)".
  it("subscription DLQs: a FIFO topic's must be FIFO, and every one must let the topic send and not use aws/sqs", () => {
    const withSubscriptionDlq = (topicName: string, dlqName: string, extra: Partial<ReturnType<typeof queue>> = {}) =>
      account({
        topics: [topic(topicName)],
        subscriptions: [sqsSub(topicName, "work.fifo", { deadLetterTargetArn: queueArn(dlqName) })],
        queues: [queue("work.fifo"), queue(dlqName, extra)],
        functions: [fn("worker")],
        mappings: [mapping("work.fifo", "worker")],
        alarms: [alarm("sns-dlq", { queue: dlqName })],
      });
    const standardDlq = buildTopology(withSubscriptionDlq("orders.fifo", "sns-failures"));
    expect(standardDlq.warnings).toEqual([
      finding(
        "subscription-dlq-not-fifo",
        "The dead-letter queue sns-failures of the subscription of work.fifo to topic orders.fifo is " +
          "a standard queue; the dead-letter queue of a FIFO topic's subscription must be a FIFO queue.",
        { nodeId: qid("sns-failures"), edgeId: `redrive:${qid("work.fifo")}->${qid("sns-failures")}` },
        "critical",
      ),
    ]);
    expect(node(standardDlq, qid("sns-failures"))).toMatchObject({ kind: "dlq", health: "critical" });
    expect(codes(buildTopology(withSubscriptionDlq("orders.fifo", "sns-failures.fifo")))).toEqual([]);

    const otherTopicOnly = JSON.stringify({
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "sns.amazonaws.com" },
          Action: "sqs:SendMessage",
          Resource: "*",
          Condition: { ArnEquals: { "aws:SourceArn": topicArn("returns.fifo") } },
        },
      ],
    });
    const denied = buildTopology(withSubscriptionDlq("orders.fifo", "sns-failures.fifo", { policy: otherTopicOnly }));
    expect(denied.warnings).toEqual([
      expect.objectContaining({
        code: "subscription-dlq-policy-denies-topic",
        severity: "warning",
        nodeId: qid("sns-failures.fifo"),
      }),
    ]);
    expect(denied.warnings[0]!.message).toContain("does not let topic orders.fifo send to it");
    expect(
      codes(buildTopology(withSubscriptionDlq("orders.fifo", "sns-failures.fifo", { policy: undefined }))),
    ).toEqual(["subscription-dlq-policy-denies-topic"]);

    const managedKey = buildTopology(
      withSubscriptionDlq("orders.fifo", "sns-failures.fifo", { kmsMasterKeyId: "alias/aws/sqs" }),
    );
    expect(managedKey.warnings).toEqual([
      expect.objectContaining({
        code: "queue-aws-managed-key",
        severity: "critical",
        nodeId: qid("sns-failures.fifo"),
      }),
    ]);
  });

  it("covers every finding code", () => {
    const all: FindingCode[] = [
      "subscription-pending",
      "queue-unconsumed",
      "subscription-missing-queue",
      "queue-policy-denies-topic",
      "fifo-queue-on-standard-topic",
      "non-sqs-on-fifo-topic",
      "fifo-queue-standard-dlq",
      "standard-queue-fifo-dlq",
      "redrive-missing-dlq",
      "dlq-without-alarm",
      "dlq-retention-shorter",
      "visibility-timeout-below-function-timeout",
      "visibility-timeout-below-advice",
      "max-receive-count-low",
      "queue-aws-managed-key",
      "subscription-dlq-not-fifo",
      "subscription-dlq-policy-denies-topic",
    ];
    const everything = account({
      topics: [topic("orders"), topic("orders.fifo")],
      subscriptions: [
        sqsSub("orders", "pending", { pendingConfirmation: true }),
        sqsSub("orders", "unconsumed"),
        sqsSub("orders", "deleted"),
        sqsSub("orders", "no-policy"),
        sqsSub("orders", "fifo.fifo"),
        subscription("orders.fifo", "sms", "+15555550100"),
        sqsSub("orders.fifo", "slow", { deadLetterTargetArn: queueArn("open-dlq") }),
        sqsSub("orders", "kms"),
      ],
      queues: [
        queue("pending"),
        queue("unconsumed"),
        queue("no-policy", { policy: undefined }),
        queue("fifo.fifo", { dlq: "std-dlq" }),
        queue("std", { dlq: "dlq.fifo" }),
        queue("std-dlq"),
        queue("dlq.fifo"),
        queue("long", {
          dlq: "short-dlq",
          retentionSeconds: 1_209_600,
          redrivePolicy: { deadLetterTargetArn: queueArn("short-dlq"), maxReceiveCount: 1 },
        }),
        queue("short-dlq", { retentionSeconds: 60 }),
        queue("dangling", { dlq: "nowhere" }),
        queue("slow", { visibilityTimeoutSeconds: 5, dlq: "slow-dlq", maxReceiveCount: 2 }),
        queue("slow-dlq"),
        queue("open-dlq", { policy: undefined }),
        queue("kms", { kmsMasterKeyId: "alias/aws/sqs" }),
        queue("advised", { visibilityTimeoutSeconds: 60 }),
      ],
      functions: [fn("f"), fn("g", { timeoutSeconds: 30 })],
      mappings: [
        ...["pending", "no-policy", "fifo.fifo", "kms"].map((q) => mapping(q, "f")),
        mapping("slow", "g"),
        mapping("advised", "g"),
      ],
    });
    expect([...new Set(codes(buildTopology(everything)))].sort()).toEqual([...all].sort());
  });
});

describe("helpers", () => {
  it("unqualifiedFunctionArn drops an alias or version", () => {
    expect(unqualifiedFunctionArn(`${fnArn("f")}:live`)).toBe(fnArn("f"));
    expect(unqualifiedFunctionArn(`${fnArn("f")}:7`)).toBe(fnArn("f"));
    expect(unqualifiedFunctionArn(fnArn("f"))).toBe(fnArn("f"));
  });

  it("endpointLabel shows addresses as they are and ARNs by resource name", () => {
    expect(endpointLabel("email", "ops@example.com")).toBe("ops@example.com");
    expect(endpointLabel("lambda", `${fnArn("notify")}:live`)).toBe("notify");
    expect(endpointLabel("firehose", "arn:aws:firehose:us-east-1:123456789012:deliverystream/orders-archive")).toBe(
      "orders-archive",
    );
    expect(endpointLabel("application", "arn:aws:sns:us-east-1:123456789012:endpoint/APNS/app/3a1b")).toBe("3a1b");
  });

  it("subscriptionKey uses the ARN once there is one", () => {
    expect(
      subscriptionKey({ arn: `${topicArn("t")}:abc`, topicArn: topicArn("t"), protocol: "email", endpoint: "a@b.c" }),
    ).toBe(`${topicArn("t")}:abc`);
    expect(
      subscriptionKey({ arn: "PendingConfirmation", topicArn: topicArn("t"), protocol: "email", endpoint: "a@b.c" }),
    ).toBe(`pending:${topicArn("t")}|email|a@b.c`);
  });
});

describe("buildTopology: subscriptions to another account or region", () => {
  const stagingQueue = "arn:aws:sqs:eu-west-1:222222222222:shipping";
  const otherRegion = "arn:aws:sqs:us-west-2:123456789012:archive";
  const unknown = "arn:aws:lambda:us-east-1:999999999999:function:audit";
  const input = account({
    topics: [topic("orders")],
    subscriptions: [
      subscription("orders", "sqs", stagingQueue),
      subscription("orders", "sqs", otherRegion),
      subscription("orders", "lambda", unknown),
    ],
  });
  const environmentOf = (acct: string, region: string) =>
    acct === "222222222222" && region === "eu-west-1" ? "staging" : undefined;
  const t = buildTopology(input, { home: { region: "us-east-1", account: "123456789012" }, environmentOf });

  it("link the local edge to the other environment, never a node of the other account", () => {
    expect(t.nodes.some((n) => n.id === nodeId("queue", stagingQueue))).toBe(false);
    expect(t.nodes.some((n) => n.kind === "queue" || n.kind === "function")).toBe(false);
    const remotes = t.edges.map((e) => e.subscription?.remote);
    expect(remotes).toEqual(
      expect.arrayContaining([
        { arn: stagingQueue, account: "222222222222", region: "eu-west-1", env: "staging" },
        { arn: otherRegion, account: "123456789012", region: "us-west-2" },
        { arn: unknown, account: "999999999999", region: "us-east-1" },
      ]),
    );
  });

  it("do not read as a queue that does not exist", () => {
    expect(codes(t)).not.toContain("subscription-missing-queue");
  });

  it("are local without a home, as before", () => {
    const plain = buildTopology(input);
    expect(plain.edges.every((e) => e.subscription?.remote === undefined)).toBe(true);
    expect(codes(plain)).toContain("subscription-missing-queue");
  });
});
