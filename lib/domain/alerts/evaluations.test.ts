import { describe, expect, it } from "vitest";
import type { TopologyEdge, TopologyNode } from "../topology";
import type { AlertState } from "./alert-state";
import type { NewestLetter } from "./newest-letter";
import {
  alarmEvaluations,
  arrivalsByQueue,
  burnRateEvaluations,
  consumerPausedEvaluations,
  deadLetterArrivals,
  deadLetterEvaluations,
  eventSourceMappingArn,
  goneEvaluations,
  redriveJobEvaluations,
  type DeadLetterFacts,
  type EvaluationInput,
  type RedriveJobFacts,
} from "./evaluations";

const account = "arn:aws:sqs:us-east-1:111111111111";
const dlqArn = `${account}:orders-dlq`;
const functionArn = "arn:aws:lambda:us-east-1:111111111111:function:ship";
const now = Date.UTC(2026, 0, 1, 12);

const dlq = (visible: number, extra: Partial<DeadLetterFacts> = {}): DeadLetterFacts => ({
  name: "orders-dlq",
  arn: dlqArn,
  visible,
  inFlight: 1,
  delayed: 0,
  ...extra,
});

const input = (over: Partial<EvaluationInput> = {}): EvaluationInput => ({
  scope: { environment: "prod", region: "us-east-1" },
  topology: { nodes: [], edges: [] },
  deadLetterQueues: [],
  collectedAt: now,
  now,
  baseUrl: "https://fanout.example.com",
  overrides: [],
  previousDepths: new Map(),
  removals: new Map(),
  ...over,
});

describe("dead letters arrived between two readings", () => {
  it("are the rise of the depth plus what the console removed in between", () => {
    const previous = { depth: 5, at: now - 60_000 };
    expect(deadLetterArrivals(previous, { depth: 8, at: now }, [])).toBe(3);
    // A replay of 5 while 2 arrived: the depth fell by 3, yet 2 are new.
    expect(deadLetterArrivals(previous, { depth: 2, at: now }, [{ at: now - 30_000, count: 5 }])).toBe(2);
    // A replay alone tells nothing.
    expect(deadLetterArrivals(previous, { depth: 0, at: now }, [{ at: now - 30_000, count: 5 }])).toBe(0);
    // Removals outside the interval do not count.
    expect(
      deadLetterArrivals(previous, { depth: 5, at: now }, [
        { at: now - 60_000, count: 4 },
        { at: now + 1, count: 4 },
      ]),
    ).toBe(0);
  });

  it("are unknown without an earlier reading", () => {
    expect(deadLetterArrivals(undefined, { depth: 8, at: now }, [])).toBeUndefined();
  });
});

describe("the dead-letter rules of a DLQ", () => {
  it("fire while it holds letters, with what arrived as news, linking to its page in the scope", () => {
    const [arrived, expiring] = deadLetterEvaluations(
      input({
        deadLetterQueues: [dlq(3, { oldestExpiresInSeconds: 3600 })],
        previousDepths: new Map([[dlqArn, { depth: 1, at: now - 60_000 }]]),
      }),
    );
    expect(arrived).toEqual({
      environment: "prod",
      region: "us-east-1",
      rule: "dead-letters-arrived",
      resource: dlqArn,
      firing: true,
      summary: "orders-dlq holds 4 dead letters",
      link: "https://fanout.example.com/e/prod/us-east-1/dead-letters/orders-dlq",
      news: { count: 3 },
      renotifyEveryMs: 240 * 60_000,
    });
    expect(expiring).toMatchObject({
      rule: "dead-letters-expiring",
      firing: true,
      summary: "orders-dlq's oldest dead letter is deleted by SQS in 1 h",
    });
  });

  it("name the newest letter a peek found, its first error and its trace, only with arrivals", () => {
    const newest = { messageId: "m-9", firstError: "TypeError: no amount", traceLink: "https://f.example/t" };
    const held = dlq(3, { name: "held-dlq", arn: `${account}:held-dlq` });
    const previousDepths = new Map([
      [dlqArn, { depth: 1, at: now - 60_000 }],
      [held.arn, { depth: 4, at: now - 60_000 }],
    ]);
    const evaluations = deadLetterEvaluations(
      input({
        deadLetterQueues: [dlq(3), held],
        previousDepths,
        newestLetters: new Map<string, NewestLetter>([
          [dlqArn, newest],
          [held.arn, { messageId: "old" }],
        ]),
      }),
    );
    const arrived = evaluations.filter((e) => e.rule === "dead-letters-arrived");
    expect(arrived.map((e) => e.news)).toEqual([
      { count: 3, newestId: "m-9", firstError: "TypeError: no amount", traceLink: "https://f.example/t" },
      undefined,
    ]);
    expect(arrivalsByQueue(input({ deadLetterQueues: [dlq(3), held], previousDepths }))).toEqual(
      new Map([
        [dlqArn, 3],
        [held.arn, 0],
      ]),
    );
    expect(arrivalsByQueue(input({ deadLetterQueues: [dlq(3)] }))).toEqual(new Map());
  });

  it("are quiet for an empty DLQ, and an age beyond the rule's time does not fire", () => {
    const empty = dlq(0, { inFlight: 0, oldestExpiresInSeconds: 0 });
    const [arrived, expiring] = deadLetterEvaluations(input({ deadLetterQueues: [empty] }));
    expect(arrived).toMatchObject({ firing: false, summary: "orders-dlq holds 0 dead letters" });
    expect(arrived!.news).toBeUndefined();
    expect(expiring!.firing).toBe(false);
    const young = dlq(3, { oldestExpiresInSeconds: 4 * 86_400 - 3600 });
    expect(deadLetterEvaluations(input({ deadLetterQueues: [young] }))[1]!.firing).toBe(false);
    // No age datapoint: unknown never fires.
    expect(deadLetterEvaluations(input({ deadLetterQueues: [dlq(3)] }))[1]!.firing).toBe(false);
  });

  it("follow the environment's overrides per resource pattern", () => {
    const payments = dlq(3, { name: "payments-dlq", arn: `${account}:payments-dlq` });
    const evaluations = deadLetterEvaluations(
      input({
        deadLetterQueues: [dlq(3), payments],
        overrides: [{ rule: "dead-letters-expiring", resources: [`${account}:orders-*`], enabled: false }],
      }),
    );
    expect(evaluations.map((e) => [e.rule, e.resource])).toEqual([
      ["dead-letters-arrived", dlqArn],
      ["dead-letters-arrived", payments.arn],
      ["dead-letters-expiring", payments.arn],
    ]);
  });
});

describe("a paused consumer", () => {
  const nodes: TopologyNode[] = [
    { id: "queue:q", kind: "queue", name: "orders", arn: `${account}:orders`, health: "ok", reasons: [], topics: [] },
    { id: "function:f", kind: "function", name: "ship", arn: functionArn, health: "ok", reasons: [], topics: [] },
  ];
  const edge = (enabled: boolean, lastModified: string): TopologyEdge => ({
    id: "e",
    from: "queue:q",
    to: "function:f",
    kind: "event-source",
    eventSource: {
      uuid: "u-1",
      enabled,
      state: enabled ? "Enabled" : "Disabled",
      reportBatchItemFailures: true,
      lastModified,
    },
  });

  it("fires once its mapping has been disabled for the rule's time, about the mapping", () => {
    const paused = (minutes: number) =>
      consumerPausedEvaluations(
        input({ topology: { nodes, edges: [edge(false, new Date(now - minutes * 60_000).toISOString())] } }),
      )[0]!;
    expect(paused(14).firing).toBe(false);
    expect(paused(15)).toMatchObject({
      rule: "consumer-paused",
      resource: "arn:aws:lambda:us-east-1:111111111111:event-source-mapping:u-1",
      firing: true,
      summary: "ship has not consumed orders for 15 min: its trigger is disabled",
      link: "https://fanout.example.com/e/prod/us-east-1/dashboards/resource?kind=function&name=ship",
    });
    const enabled = consumerPausedEvaluations(
      input({ topology: { nodes, edges: [edge(true, new Date(0).toISOString())] } }),
    );
    expect(enabled[0]!.firing).toBe(false);
  });

  it("is named by its mapping's ARN", () => {
    expect(eventSourceMappingArn(functionArn, "abc")).toBe(
      "arn:aws:lambda:us-east-1:111111111111:event-source-mapping:abc",
    );
  });
});

describe("a CloudWatch alarm's state", () => {
  const alarmArn = (name: string) => `arn:aws:cloudwatch:us-east-1:111111111111:alarm:${name}`;
  const alarm = (name: string, state: string, reason?: string): TopologyNode => ({
    id: `alarm:${alarmArn(name)}`,
    kind: "alarm",
    name,
    arn: alarmArn(name),
    health: state === "ALARM" ? "critical" : "ok",
    reasons: [],
    topics: [],
    alarm: { state, metricName: "ApproximateNumberOfMessagesVisible", ...(reason ? { reason } : {}) },
  });
  const dlqNode: TopologyNode = {
    id: `queue:${dlqArn}`,
    kind: "dlq",
    name: "orders-dlq",
    arn: dlqArn,
    health: "critical",
    reasons: [],
    topics: [],
  };
  const watches = (name: string, node: TopologyNode): TopologyEdge => ({
    id: `w-${name}`,
    from: `alarm:${alarmArn(name)}`,
    to: node.id,
    kind: "alarm",
  });
  const reason = "Threshold Crossed: 1 datapoint [3.0] was greater than the threshold (0.0).";
  const topology = {
    nodes: [dlqNode, alarm("orders-dlq-not-empty", "ALARM", reason), alarm("stray", "INSUFFICIENT_DATA")],
    edges: [watches("orders-dlq-not-empty", dlqNode)],
  };
  const on = [{ rule: "alarm-state-changed" as const, enabled: true }];

  it("is off unless an override turns it on", () => {
    expect(alarmEvaluations(input({ topology }))).toEqual([]);
  });

  it("fires per alarm while in ALARM, naming the alarm, its reason and the resource, linked to its dashboard", () => {
    const [firing, stray] = alarmEvaluations(input({ topology, overrides: on }));
    expect(firing).toEqual({
      environment: "prod",
      region: "us-east-1",
      rule: "alarm-state-changed",
      resource: alarmArn("orders-dlq-not-empty"),
      firing: true,
      summary: `The alarm orders-dlq-not-empty on orders-dlq is in ALARM: ${reason}`,
      link: "https://fanout.example.com/e/prod/us-east-1/dashboards/resource?kind=queue&name=orders-dlq",
      renotifyEveryMs: 240 * 60_000,
    });
    // An alarm on nothing the graph shows: not firing outside ALARM, linked to the topology.
    expect(stray).toMatchObject({
      resource: alarmArn("stray"),
      firing: false,
      summary: "The alarm stray is in INSUFFICIENT_DATA",
      link: "https://fanout.example.com/e/prod/us-east-1/topology",
    });
  });

  it("resolves once the alarm leaves ALARM, and follows overrides by the alarm's or the resource's ARN", () => {
    const ok = { ...topology, nodes: [dlqNode, alarm("orders-dlq-not-empty", "OK", "Threshold Crossed: back to 0")] };
    expect(alarmEvaluations(input({ topology: ok, overrides: on }))[0]).toMatchObject({
      firing: false,
      summary: "The alarm orders-dlq-not-empty on orders-dlq is in OK",
    });
    const onlyDlqs = [{ rule: "alarm-state-changed" as const, resources: [`${account}:*-dlq`], enabled: true }];
    expect(alarmEvaluations(input({ topology, overrides: onlyDlqs })).map((e) => e.resource)).toEqual([
      alarmArn("orders-dlq-not-empty"),
    ]);
  });
});

describe("the burn-rate rules", () => {
  it("fire on the SLA page's tiers for each objective, a path named by its subscription", () => {
    const subscriptionArn = "arn:aws:sns:us-east-1:111111111111:orders:sub-1";
    const topology = {
      nodes: [],
      edges: [
        { id: "s", from: "t", to: "q", kind: "subscription", subscription: { arn: subscriptionArn } } as TopologyEdge,
      ],
    };
    const evaluations = burnRateEvaluations(input({ topology }), [
      {
        kind: "path",
        resource: "orders → orders-queue",
        nodeId: `queue:${account}:orders-queue`,
        edgeId: "s",
        burnRates: { "1h": 20, "5m": 30, "6h": 2, "30m": 2, "3d": 0.5 },
        charts: { kind: "queue", name: "orders-queue" },
      },
      {
        kind: "function",
        resource: "ship",
        nodeId: `function:${functionArn}`,
        burnRates: { "1h": 0, "5m": 0, "6h": 0, "30m": 0, "3d": 0 },
        charts: { kind: "function", name: "ship" },
      },
    ]);
    expect(evaluations.map((e) => [e.rule, e.resource, e.firing])).toEqual([
      ["burn-rate-page", subscriptionArn, true],
      ["burn-rate-ticket", subscriptionArn, false],
      ["burn-rate-page", functionArn, false],
      ["burn-rate-ticket", functionArn, false],
    ]);
    expect(evaluations[0]!.summary).toMatch(/^orders → orders-queue burns its error budget: /);
    expect(evaluations[0]!.link).toBe(
      "https://fanout.example.com/e/prod/us-east-1/dashboards/resource?kind=queue&name=orders-queue",
    );
  });
});

describe("the redrive rules", () => {
  const job = (over: Partial<RedriveJobFacts>): RedriveJobFacts => ({
    id: "j",
    dlq: { name: "orders-dlq", arn: dlqArn },
    status: "completed",
    updatedAt: new Date(now).toISOString(),
    ...over,
  });

  it("fire while the DLQ's latest job failed, and for a running job without progress for the rule's time", () => {
    const [failed, stuck] = redriveJobEvaluations(input(), [
      job({ id: "j3", status: "failed", error: "AccessDenied" }),
      job({ id: "j2", status: "running", heartbeatAt: now - 10 * 60_000 }),
    ]);
    expect(failed).toMatchObject({
      rule: "redrive-job-failed",
      resource: dlqArn,
      firing: true,
      summary: "The redrive job j3 of orders-dlq failed: AccessDenied",
    });
    expect(stuck).toMatchObject({ rule: "redrive-job-stuck", firing: true, summary: expect.stringContaining("j2") });
  });

  it("resolve once a later job did not fail and the runner shows progress", () => {
    const evaluations = redriveJobEvaluations(input(), [
      job({ id: "j4", status: "running", heartbeatAt: now - 9 * 60_000 }),
      job({ id: "j3", status: "failed" }),
    ]);
    expect(evaluations.map((e) => e.firing)).toEqual([false, false]);
  });
});

describe("alerts whose resource is gone", () => {
  const state = (rule: AlertState["rule"], resource: string): AlertState => ({
    environment: "prod",
    region: "us-east-1",
    rule,
    resource,
    status: "firing",
    since: now - 3_600_000,
    summary: "was firing",
    link: "https://fanout.example.com/e/prod/us-east-1/dead-letters/old-dlq",
    evaluatedAt: now - 60_000,
    version: 3,
  });

  it("resolve, for rules evaluated in full only", () => {
    const stillThere = deadLetterEvaluations(input({ deadLetterQueues: [dlq(1)] }));
    const gone = goneEvaluations(
      [
        state("dead-letters-arrived", dlqArn),
        state("dead-letters-arrived", `${account}:old-dlq`),
        state("burn-rate-page", functionArn),
      ],
      stillThere,
      new Set(["dead-letters-arrived", "dead-letters-expiring"]),
    );
    expect(gone).toEqual([
      expect.objectContaining({
        rule: "dead-letters-arrived",
        resource: `${account}:old-dlq`,
        firing: false,
        summary: "old-dlq is no longer there",
      }),
    ]);
  });
});
