import { percent, plural } from "../format";
import { defaultObjectives } from "../sla/objectives";
import { consumerRecordCounts, recordFailureHealth } from "../sla/records";
import { arnName, type Subscription } from "../subscription";
import {
  maxReceiveCountTooLow,
  minimumMaxReceiveCount,
  usesAwsManagedSqsKey,
  visibilityTimeoutFactor,
  visibilityTimeoutVerdict,
} from "./aws-rules";
import { summarizeFilterPolicy } from "./filter-summary";
import {
  nodeId,
  type Finding,
  type Health,
  type NodeKind,
  type RemoteEndpoint,
  type TopologyEdge,
  type Topology,
  type TopologyNode,
} from "./model";
import { queuePolicyAllowsTopic } from "./queue-policy";
import type {
  AccountDescription,
  AlarmDescription,
  CollectedPart,
  MappingDescription,
  QueueDescriptionT,
} from "./types";

/**
 * The topology graph of an account: SNS topics fan out to subscription endpoints (SQS queues,
 * Lambda functions, HTTP, email…), queues redrive to dead-letter queues and feed functions through
 * event source mappings, and CloudWatch alarms watch all of them. Pure: the description is read by
 * lib/aws; a part that failed to collect leaves its nodes "unknown" instead of failing the graph.
 */

type Level = "critical" | "warning";
const PART_LABEL: Record<CollectedPart, string> = {
  sns: "SNS",
  sqs: "SQS",
  lambda: "Lambda",
  cloudwatch: "CloudWatch",
};
const PART_OF_KIND: Record<NodeKind, CollectedPart> = {
  topic: "sns",
  "subscription-endpoint": "sns",
  queue: "sqs",
  dlq: "sqs",
  function: "lambda",
  alarm: "cloudwatch",
};

/**
 * `recordObjective`: the objective a consumer's per-record failures are judged by (the Lambda
 * objective, FANOUT_SLO_LAMBDA), see checkConsumerRecords.
 */
export interface BuildOptions {
  recordObjective?: number;
  /** Where the graph is: its region and, when known, its account; endpoints elsewhere are remote. */
  home?: { region: string; account?: string };
  /** The configured environment of another account and region, for a remote endpoint's link. */
  environmentOf?: (account: string, region: string) => string | undefined;
}

export function buildTopology(account: AccountDescription, options: BuildOptions = {}): Topology {
  const input = sortedAccount(account);
  const g = new GraphBuilder(account);
  addResourceNodes(g, input);
  const subscriptionTarget = addSubscriptions(g, input, options);
  const consumed = addEventSourceMappings(g, input);
  const redrives = [...addQueueRedrives(g, input, consumed), ...addSubscriptionRedrives(g, input, subscriptionTarget)];
  const { alarmed, alarmTargets } = addAlarms(g, input);
  checkDeadLetterQueues(g, alarmed);
  checkRedriveDepths(g, redrives);
  checkUnconsumedQueues(g, input, consumed);
  checkConsumerRecords(g, redrives, options.recordObjective ?? defaultObjectives.lambda);
  const memberOf = topicMembership(g.nodes.values(), g.edges, alarmTargets);
  for (const node of g.nodes.values()) {
    node.topics = [...(memberOf.get(node.id) ?? [])];
    Object.assign(node, nodeHealth(node, g.causes.get(node.id) ?? [], g.failed));
  }
  return {
    nodes: [...g.nodes.values()],
    edges: g.edges,
    warnings: g.warnings,
    // One entry per part, its messages joined (a part can fail in several calls).
    partial: [...g.failed].map(([part, message]) => ({ part, message })),
  };
}

/** The description sorted, so ids and ordering do not depend on the order AWS listed things in, with lookups. */
function sortedAccount(account: AccountDescription) {
  const byName = <T extends { name: string; arn: string }>(a: T, b: T) =>
    a.name.localeCompare(b.name) || a.arn.localeCompare(b.arn);
  const topics = [...account.topics].sort(byName);
  const queues = [...account.queues].sort(byName);
  const functions = [...account.functions].sort(byName);
  const alarms = [...account.alarms].sort(byName);
  const subscriptions = [...account.subscriptions].sort(
    (a, b) =>
      a.topicArn.localeCompare(b.topicArn) ||
      a.protocol.localeCompare(b.protocol) ||
      a.endpoint.localeCompare(b.endpoint) ||
      a.arn.localeCompare(b.arn),
  );
  const mappings = [...account.mappings].sort((a, b) => a.uuid.localeCompare(b.uuid));
  return {
    topics,
    queues,
    functions,
    alarms,
    subscriptions,
    mappings,
    queueByArn: new Map(queues.map((q) => [q.arn, q])),
    queueByName: new Map(queues.map((q) => [q.name, q])),
    functionByArn: new Map(functions.map((f) => [unqualifiedFunctionArn(f.arn), f])),
    functionByName: new Map(functions.map((f) => [f.name, f])),
    topicByName: new Map(topics.map((t) => [t.name, t])),
    consumedElsewhere: account.consumedElsewhere,
  };
}

type SortedAccount = ReturnType<typeof sortedAccount>;
type Redrive = { from: TopologyNode; dlq: TopologyNode; edge: TopologyEdge };

/** The graph as the steps build it: nodes, edges, findings, and the causes each node's health is judged by. */
class GraphBuilder {
  readonly nodes = new Map<string, TopologyNode>();
  readonly edges: TopologyEdge[] = [];
  readonly warnings: Finding[] = [];
  readonly causes = new Map<string, { level: Level; reason: string }[]>();
  /** Each part that failed to collect, its messages joined. */
  readonly failed = new Map<CollectedPart, string>();
  private readonly edgeIds = new Set<string>();

  constructor(private readonly account: AccountDescription) {
    for (const f of account.failures ?? [])
      this.failed.set(f.part, this.failed.has(f.part) ? `${this.failed.get(f.part)}; ${f.message}` : f.message);
  }

  readonly cause = (id: string, level: Level, reason: string) =>
    this.causes.set(id, [...(this.causes.get(id) ?? []), { level, reason }]);

  /** A finding for the list, and its reason on the node's health. */
  readonly find = (finding: Finding, nodeReason: string) => {
    this.warnings.push(finding);
    if (finding.nodeId) this.cause(finding.nodeId, finding.severity, nodeReason);
  };

  readonly addNode = (node: Omit<TopologyNode, "health" | "reasons" | "topics">): TopologyNode => {
    const full: TopologyNode = { ...node, health: "ok", reasons: [], topics: [] };
    const metrics = this.account.metrics?.[node.id];
    if (metrics) full.metrics = metrics;
    this.nodes.set(node.id, full);
    return full;
  };

  /** Ids are `${kind}:${from}->${to}`; a second edge between the same nodes gets `#<suffix>` (subscription ARN, mapping UUID). */
  readonly addEdge = (edge: Omit<TopologyEdge, "id">, suffix: string): TopologyEdge => {
    const base = `${edge.kind}:${edge.from}->${edge.to}`;
    let id = this.edgeIds.has(base) ? `${base}#${suffix}` : base;
    for (let n = 2; this.edgeIds.has(id); n++) id = `${base}#${suffix}#${n}`;
    this.edgeIds.add(id);
    const full = { id, ...edge };
    this.edges.push(full);
    return full;
  };

  /** A node an edge needs that the description lacks; "missing" tells the UI it has no facts. */
  readonly ensure = (id: string, kind: NodeKind, arn: string, name: string): TopologyNode =>
    this.nodes.get(id) ??
    this.addNode({
      id,
      kind,
      name,
      arn,
      missing: true,
      ...(kind === "topic" || kind === "queue" ? { fifo: name.endsWith(".fifo") } : {}),
    });
}

/**
 * The queues that are dead-letter queues: those a queue's or a subscription's RedrivePolicy names
 * (SQS Developer Guide, "Using dead-letter queues"; SNS Developer Guide, "Amazon SNS dead-letter
 * queues (DLQs)").
 */
export function deadLetterQueueArns(account: Pick<AccountDescription, "queues" | "subscriptions">): Set<string> {
  return new Set<string>([
    ...account.queues.flatMap((q) => (q.redrivePolicy ? [q.redrivePolicy.deadLetterTargetArn] : [])),
    ...account.subscriptions.flatMap((s) => (s.deadLetterTargetArn ? [s.deadLetterTargetArn] : [])),
  ]);
}

/** Topics, queues (DLQs marked) and functions from the description. */
function addResourceNodes(g: GraphBuilder, input: SortedAccount): void {
  const { topics, queues, functions, subscriptions } = input;
  const { addNode } = g;
  for (const t of topics)
    addNode({
      id: nodeId("topic", t.arn),
      kind: "topic",
      name: t.name,
      arn: t.arn,
      fifo: t.fifo,
      ...(t.tags ? { tags: t.tags } : {}),
    });

  const dlqArns = deadLetterQueueArns({ queues, subscriptions });
  for (const q of queues) {
    const isDlq = dlqArns.has(q.arn);
    addNode({
      id: nodeId("queue", q.arn),
      kind: isDlq ? "dlq" : "queue",
      name: q.name,
      arn: q.arn,
      fifo: q.fifo,
      queue: {
        visible: q.visible,
        inFlight: q.inFlight,
        delayed: q.delayed,
        retentionSeconds: q.retentionSeconds,
        ...(q.visibilityTimeoutSeconds !== undefined ? { visibilityTimeoutSeconds: q.visibilityTimeoutSeconds } : {}),
        isDlq,
        isSource: q.redrivePolicy !== undefined,
      },
      ...(q.tags ? { tags: q.tags } : {}),
    });
  }

  for (const f of functions) {
    const facts = {
      ...(f.runtime ? { runtime: f.runtime } : {}),
      ...(f.timeoutSeconds !== undefined ? { timeoutSeconds: f.timeoutSeconds } : {}),
    };
    addNode({
      id: nodeId("function", unqualifiedFunctionArn(f.arn)),
      kind: "function",
      name: f.name,
      arn: f.arn,
      function: facts,
      ...(f.tags ? { tags: f.tags } : {}),
    });
  }
}

/** An edge from each subscription's topic to its endpoint; returns the node each subscription delivers to. */
function addSubscriptions(g: GraphBuilder, input: SortedAccount, options: BuildOptions): Map<Subscription, string> {
  const { subscriptions, functionByArn } = input;
  const { nodes, failed, addNode, addEdge, ensure } = g;
  const subscriptionTarget = new Map<Subscription, string>();
  for (const s of subscriptions) {
    const topicNode = ensure(nodeId("topic", s.topicArn), "topic", s.topicArn, arnName(s.topicArn));
    const key = subscriptionKey(s);
    const remote = remoteEndpoint(s, options);
    let target: TopologyNode;
    let missingQueue = false;
    const endpointNode = (where = "") => {
      const id = nodeId("endpoint", key);
      return (
        nodes.get(id) ??
        addNode({
          id,
          kind: "subscription-endpoint",
          name: `${endpointLabel(s.protocol, s.endpoint)}${where}`,
          arn: s.arn,
          endpoint: { protocol: s.protocol, endpoint: s.endpoint },
        })
      );
    };
    if (remote) {
      // Another account's queue or function: its own environment's graph has the node.
      target = endpointNode(` (${remote.account} · ${remote.region})`);
    } else if (s.protocol === "sqs") {
      const existing = nodes.get(nodeId("queue", s.endpoint));
      target = existing ?? ensure(nodeId("queue", s.endpoint), "queue", s.endpoint, arnName(s.endpoint));
      // With SQS unreadable every queue would look missing; then the placeholder is just "unknown".
      missingQueue = !existing && !failed.has("sqs");
    } else if (s.protocol === "lambda" && functionByArn.has(unqualifiedFunctionArn(s.endpoint))) {
      target = nodes.get(nodeId("function", unqualifiedFunctionArn(s.endpoint)))!;
    } else if (s.protocol === "lambda" && failed.has("lambda")) {
      const fnArn = unqualifiedFunctionArn(s.endpoint);
      target = ensure(nodeId("function", fnArn), "function", fnArn, functionNameFromArn(fnArn));
    } else {
      target = endpointNode();
    }
    subscriptionTarget.set(s, target.id);

    const edge = addEdge(
      {
        from: topicNode.id,
        to: target.id,
        kind: "subscription",
        subscription: {
          arn: s.arn,
          filterPolicySummary: summarizeFilterPolicy(s.filterPolicy),
          scope: s.filterPolicyScope,
          rawMessageDelivery: s.rawMessageDelivery,
          pendingConfirmation: s.pendingConfirmation,
          ...(s.deadLetterTargetArn ? { deadLetterTargetArn: s.deadLetterTargetArn } : {}),
          ...(remote ? { remote } : {}),
        },
      },
      key,
    );

    checkSubscription(g, input, { s, topicNode, target, edge, missingQueue });
  }
  return subscriptionTarget;
}

/**
 * The endpoint of an SQS or Lambda subscription when its ARN names another account or region than
 * the graph's (SNS Developer Guide, "Sending Amazon SNS messages to an Amazon SQS queue in a
 * different account"; ARN format: arn:partition:service:region:account:resource).
 */
function remoteEndpoint(s: Subscription, options: BuildOptions): RemoteEndpoint | undefined {
  const { home, environmentOf } = options;
  if (!home || (s.protocol !== "sqs" && s.protocol !== "lambda")) return undefined;
  const [prefix, , , region, account] = s.endpoint.split(":");
  if (prefix !== "arn" || !region || !account) return undefined;
  if (region === home.region && (home.account === undefined || account === home.account)) return undefined;
  const env = environmentOf?.(account, region);
  return { arn: s.endpoint, account, region, ...(env ? { env } : {}) };
}

/** What can keep a subscription from delivering: a missing queue, no confirmation, FIFO rules, the queue's policy and key. */
function checkSubscription(
  g: GraphBuilder,
  input: SortedAccount,
  delivery: {
    s: Subscription;
    topicNode: TopologyNode;
    target: TopologyNode;
    edge: TopologyEdge;
    missingQueue: boolean;
  },
): void {
  const { s, topicNode, target, edge, missingQueue } = delivery;
  const { queueByArn } = input;
  const { failed, find } = g;
  const topicName = topicNode.name;
  if (missingQueue) {
    find(
      {
        code: "subscription-missing-queue",
        severity: "critical",
        message: `Topic ${topicName} has a subscription to queue ${target.name}, which does not exist: its messages are lost.`,
        nodeId: target.id,
        edgeId: edge.id,
      },
      "subscription to a queue that does not exist",
    );
  }
  if (s.pendingConfirmation) {
    find(
      {
        code: "subscription-pending",
        severity: "warning",
        message:
          `The ${s.protocol} subscription of ${target.name} to topic ${topicName} ` +
          `is pending confirmation: nothing is delivered until it is confirmed.`,
        nodeId: target.id,
        edgeId: edge.id,
      },
      "subscription pending confirmation",
    );
  }
  if (topicNode.fifo && s.protocol !== "sqs") {
    // SNS Developer Guide, "Amazon SNS FIFO topics": FIFO topics deliver only to SQS queues.
    find(
      {
        code: "non-sqs-on-fifo-topic",
        severity: "warning",
        message: `FIFO topic ${topicName} has a ${s.protocol} subscription (${target.name}); FIFO topics deliver only to SQS queues.`,
        nodeId: target.id,
        edgeId: edge.id,
      },
      `${s.protocol} endpoint on FIFO topic ${topicName}, which delivers only to SQS queues`,
    );
  }
  if (s.protocol === "sqs" && !topicNode.fifo && target.fifo) {
    // SNS Developer Guide, "Amazon SNS FIFO topics": FIFO queues can only subscribe to FIFO topics.
    // The reverse (a FIFO topic delivering to a standard queue) is allowed.
    find(
      {
        code: "fifo-queue-on-standard-topic",
        severity: "warning",
        message: `FIFO queue ${target.name} is subscribed to standard topic ${topicName}; FIFO queues can only subscribe to FIFO topics.`,
        nodeId: target.id,
        edgeId: edge.id,
      },
      `FIFO queue subscribed to standard topic ${topicName}`,
    );
  }
  const queue = s.protocol === "sqs" ? queueByArn.get(s.endpoint) : undefined;
  if (queue && !failed.has("sqs")) {
    const verdict = queuePolicyAllowsTopic(queue.policy, s.topicArn, queue.arn);
    if (!verdict.allowed) {
      find(
        {
          code: "queue-policy-denies-topic",
          severity: "warning",
          message: `Queue ${queue.name}'s access policy does not let topic ${topicName} send to it (${verdict.reason}).`,
          nodeId: target.id,
          edgeId: edge.id,
        },
        `access policy does not let topic ${topicName} send messages`,
      );
    }
    if (usesAwsManagedSqsKey(queue.kmsMasterKeyId)) {
      find(
        {
          code: "queue-aws-managed-key",
          severity: "critical",
          message:
            `Queue ${queue.name} is encrypted with the AWS managed key aws/sqs, whose ` +
            `key policy cannot let SNS use it: topic ${topicName} cannot deliver to it. ` +
            `Use a customer managed KMS key that allows sns.amazonaws.com, or SSE-SQS.`,
          nodeId: target.id,
          edgeId: edge.id,
        },
        `encrypted with the AWS managed key aws/sqs: topic ${topicName} cannot deliver to it`,
      );
    }
  }
}

/** An edge from each SQS source to the function its event source mapping feeds; returns the consumed queues. */
function addEventSourceMappings(g: GraphBuilder, input: SortedAccount): Set<string> {
  const { mappings, functionByArn, queueByArn } = input;
  const { nodes, failed, cause, find, addEdge, ensure } = g;
  const consumed = new Set<string>();
  for (const m of mappings) {
    const queueNode = mappingQueue(m, nodes, failed.has("sqs"), ensure);
    if (!queueNode) continue; // Not an SQS source (streams, Kafka), or a queue outside this account.
    const fnArn = unqualifiedFunctionArn(m.functionArn);
    const fnNode = ensure(
      nodeId("function", fnArn),
      "function",
      fnArn,
      functionByArn.get(fnArn)?.name ?? functionNameFromArn(fnArn),
    );
    const enabled = m.state === "Enabled";
    const mappingEdge = addEdge(
      {
        from: queueNode.id,
        to: fnNode.id,
        kind: "event-source",
        eventSource: {
          uuid: m.uuid,
          enabled,
          state: m.state,
          reportBatchItemFailures: m.reportBatchItemFailures,
          ...(m.batchSize !== undefined ? { batchSize: m.batchSize } : {}),
          ...(m.maximumConcurrency !== undefined ? { maximumConcurrency: m.maximumConcurrency } : {}),
          ...(m.lastModified ? { lastModified: m.lastModified } : {}),
        },
      },
      m.uuid,
    );
    consumed.add(queueNode.id);
    const consumedQueue = queueByArn.get(m.eventSourceArn);
    const fn = functionByArn.get(fnArn);
    if (consumedQueue?.visibilityTimeoutSeconds !== undefined && fn?.timeoutSeconds !== undefined) {
      const vt = consumedQueue.visibilityTimeoutSeconds;
      const ft = fn.timeoutSeconds;
      const verdict = visibilityTimeoutVerdict(vt, ft);
      const edgeId = mappingEdge.id;
      if (verdict === "below-function-timeout") {
        find(
          {
            code: "visibility-timeout-below-function-timeout",
            severity: "critical",
            message:
              `Queue ${consumedQueue.name}'s visibility timeout (${formatSeconds(vt)}) is shorter than ` +
              `the timeout of its consumer ${fn.name} (${formatSeconds(ft)}): a batch still being ` +
              `processed becomes visible again and is processed twice, and Lambda refuses such a mapping.`,
            nodeId: queueNode.id,
            edgeId,
          },
          `visibility timeout shorter than consumer ${fn.name}'s timeout`,
        );
      } else if (verdict === "below-advice") {
        find(
          {
            code: "visibility-timeout-below-advice",
            severity: "warning",
            message:
              `Queue ${consumedQueue.name}'s visibility timeout (${formatSeconds(vt)}) is less than ` +
              `${visibilityTimeoutFactor} times the timeout of its consumer ${fn.name} ` +
              `(${formatSeconds(ft)}); AWS advises at least ${formatSeconds(visibilityTimeoutFactor * ft)}, ` +
              `so that a batch Lambda is still working on or retrying does not become visible again.`,
            nodeId: queueNode.id,
            edgeId,
          },
          `visibility timeout under ${visibilityTimeoutFactor}× consumer ${fn.name}'s timeout`,
        );
      }
    }
    if (m.state === "Disabled" || m.state === "Disabling") {
      cause(queueNode.id, "warning", "consumer mapping disabled");
      cause(fnNode.id, "warning", `its mapping from queue ${queueNode.name} is disabled`);
    }
  }
  return consumed;
}

/** An edge from each queue to the DLQ its redrive policy names, with the redrive rules it breaks. */
function addQueueRedrives(g: GraphBuilder, input: SortedAccount, consumed: Set<string>): Redrive[] {
  const { queues, queueByArn } = input;
  const { nodes, failed, find, addEdge } = g;
  const redrives: { from: TopologyNode; dlq: TopologyNode; edge: TopologyEdge }[] = [];
  for (const q of queues) {
    if (!q.redrivePolicy) continue;
    const source = nodes.get(nodeId("queue", q.arn))!;
    const target = q.redrivePolicy.deadLetterTargetArn;
    const dlq = nodes.get(nodeId("queue", target));
    if (!dlq) {
      if (!failed.has("sqs")) missingDlq(g, source, target, `Queue ${q.name}`);
      continue;
    }
    const edge = addEdge(
      {
        from: source.id,
        to: dlq.id,
        kind: "redrive",
        redrive: { maxReceiveCount: q.redrivePolicy.maxReceiveCount, via: "queue" },
      },
      q.arn,
    );
    redrives.push({ from: source, dlq, edge });
    const dlqQueue = queueByArn.get(target)!;
    if (consumed.has(source.id) && maxReceiveCountTooLow(q.redrivePolicy.maxReceiveCount)) {
      find(
        {
          code: "max-receive-count-low",
          severity: "warning",
          message:
            `Queue ${q.name} moves a message to its dead-letter queue ${dlqQueue.name} ` +
            `after ${plural(q.redrivePolicy.maxReceiveCount, "receive")}; with a ` +
            `Lambda consumer AWS advises a maxReceiveCount of at least ` +
            `${minimumMaxReceiveCount}, or batches that were only throttled can be dead-lettered.`,
          nodeId: source.id,
          edgeId: edge.id,
        },
        `maxReceiveCount ${q.redrivePolicy.maxReceiveCount} is under ${minimumMaxReceiveCount} for a Lambda consumer`,
      );
    }
    // SQS Developer Guide, "Using dead-letter queues": the DLQ of a FIFO queue must be a FIFO queue, and of a standard queue a standard queue.
    if (q.fifo && !dlqQueue.fifo) {
      find(
        {
          code: "fifo-queue-standard-dlq",
          severity: "critical",
          message: `FIFO queue ${q.name} redrives to standard queue ${dlqQueue.name}; the dead-letter queue of a FIFO queue must be a FIFO queue.`,
          nodeId: source.id,
          edgeId: edge.id,
        },
        `its dead-letter queue ${dlqQueue.name} is not a FIFO queue`,
      );
    } else if (!q.fifo && dlqQueue.fifo) {
      find(
        {
          code: "standard-queue-fifo-dlq",
          severity: "critical",
          message: `Standard queue ${q.name} redrives to FIFO queue ${dlqQueue.name}; the dead-letter queue of a standard queue must be a standard queue.`,
          nodeId: source.id,
          edgeId: edge.id,
        },
        `its dead-letter queue ${dlqQueue.name} is a FIFO queue`,
      );
    }
    // SQS Developer Guide, "Using dead-letter queues": on standard queues a dead letter keeps its
    // original enqueue timestamp, so a DLQ retaining less than its source can delete it on arrival.
    // FIFO queues reset the timestamp, so they are not flagged.
    if (!q.fifo && dlqQueue.retentionSeconds < q.retentionSeconds) {
      find(
        {
          code: "dlq-retention-shorter",
          severity: "warning",
          message:
            `Dead-letter queue ${dlqQueue.name} keeps messages ${formatSeconds(dlqQueue.retentionSeconds)}, ` +
            `less than its source ${q.name} (${formatSeconds(q.retentionSeconds)}); ` +
            `dead letters keep their original enqueue time and can expire early.`,
          nodeId: dlq.id,
          edgeId: edge.id,
        },
        `retention shorter than source queue ${q.name}'s`,
      );
    }
  }
  return redrives;
}

/** An edge from each subscription's endpoint to its DLQ, with what keeps SNS from using it. */
function addSubscriptionRedrives(
  g: GraphBuilder,
  input: SortedAccount,
  subscriptionTarget: Map<Subscription, string>,
): Redrive[] {
  const { subscriptions, queueByArn } = input;
  const { nodes, failed, find, addEdge } = g;
  const redrives: Redrive[] = [];
  for (const s of subscriptions) {
    if (!s.deadLetterTargetArn) continue;
    const from = nodes.get(subscriptionTarget.get(s)!)!;
    const dlq = nodes.get(nodeId("queue", s.deadLetterTargetArn));
    if (!dlq) {
      if (!failed.has("sqs"))
        missingDlq(g, from, s.deadLetterTargetArn, `The subscription of ${from.name} to topic ${arnName(s.topicArn)}`);
      continue;
    }
    const edge = addEdge(
      { from: from.id, to: dlq.id, kind: "redrive", redrive: { maxReceiveCount: 0, via: "subscription" } },
      subscriptionKey(s),
    );
    redrives.push({ from, dlq, edge });
    const dlqQueue = queueByArn.get(s.deadLetterTargetArn)!;
    const topicName = arnName(s.topicArn);
    const what = `The dead-letter queue ${dlqQueue.name} of the subscription of ${from.name} to topic ${topicName}`;
    // SNS Developer Guide, "Amazon SNS dead-letter queues (DLQs)": "For a FIFO topic, use an Amazon SQS
    // FIFO queue as a dead-letter queue", and the DLQ's policy must let SNS send to it, as for any queue
    // SNS delivers to; SNS keeps messages it cannot deliver to the DLQ only if it can send them there.
    if (nodes.get(nodeId("topic", s.topicArn))?.fifo && !dlqQueue.fifo) {
      find(
        {
          code: "subscription-dlq-not-fifo",
          severity: "critical",
          message: `${what} is a standard queue; the dead-letter queue of a FIFO topic's subscription must be a FIFO queue.`,
          nodeId: dlq.id,
          edgeId: edge.id,
        },
        `a subscription of FIFO topic ${topicName} uses it as dead-letter queue, but it is not a FIFO queue`,
      );
    }
    const verdict = queuePolicyAllowsTopic(dlqQueue.policy, s.topicArn, dlqQueue.arn);
    if (!verdict.allowed) {
      find(
        {
          code: "subscription-dlq-policy-denies-topic",
          severity: "warning",
          message: `${what}: its access policy does not let topic ${topicName} send to it (${verdict.reason}), so messages SNS cannot deliver are lost.`,
          nodeId: dlq.id,
          edgeId: edge.id,
        },
        `access policy does not let topic ${topicName} send the subscription's undeliverable messages`,
      );
    }
    if (usesAwsManagedSqsKey(dlqQueue.kmsMasterKeyId)) {
      find(
        {
          code: "queue-aws-managed-key",
          severity: "critical",
          message:
            `${what} is encrypted with the AWS managed key aws/sqs, whose key policy ` +
            `cannot let SNS use it: SNS cannot move undeliverable messages there.`,
          nodeId: dlq.id,
          edgeId: edge.id,
        },
        `encrypted with the AWS managed key aws/sqs: SNS cannot move undeliverable messages here`,
      );
    }
  }
  return redrives;
}

function missingDlq(g: GraphBuilder, source: TopologyNode, target: string, what: string) {
  g.find(
    {
      code: "redrive-missing-dlq",
      severity: "warning",
      message: `${what} names dead-letter queue ${arnName(target)}, which does not exist.`,
      nodeId: source.id,
    },
    `its dead-letter queue ${arnName(target)} does not exist`,
  );
}

/** A node per alarm and an edge to each resource it watches; returns the watched nodes and each alarm's targets. */
function addAlarms(
  g: GraphBuilder,
  input: SortedAccount,
): { alarmed: Set<string>; alarmTargets: Map<string, string[]> } {
  const { alarms, queueByName, functionByName, topicByName } = input;
  const { nodes, cause, addNode, addEdge } = g;
  const alarmed = new Set<string>();
  const alarmTargets = new Map<string, string[]>();
  for (const a of alarms) {
    const alarm = addNode({
      id: nodeId("alarm", a.arn),
      kind: "alarm",
      name: a.name,
      arn: a.arn,
      alarm: {
        state: a.state,
        ...(a.metricName ? { metricName: a.metricName } : {}),
        ...(a.reason ? { reason: a.reason } : {}),
        ...(a.updatedAt ? { updatedAt: a.updatedAt } : {}),
      },
    });
    if (a.state === "ALARM") cause(alarm.id, "critical", a.reason ? `in ALARM: ${a.reason}` : "in ALARM");
    const targets = alarmResources(a, queueByName, functionByName, topicByName).filter((id) => nodes.has(id));
    alarmTargets.set(alarm.id, targets);
    for (const target of targets) {
      addEdge({ from: alarm.id, to: target, kind: "alarm" }, a.arn);
      alarmed.add(target);
      if (a.state === "ALARM") cause(target, "critical", `alarm ${a.name} is in ALARM`);
    }
  }
  return { alarmed, alarmTargets };
}

/** A DLQ holding messages is critical; one no alarm watches is a finding. */
function checkDeadLetterQueues(g: GraphBuilder, alarmed: Set<string>): void {
  const { nodes, failed, cause, find } = g;
  for (const node of nodes.values()) {
    if (!node.queue) continue;
    const depth = node.queue.visible + node.queue.inFlight;
    if (node.kind === "dlq" && depth > 0)
      cause(node.id, "critical", `${plural(depth, "message")} in the dead-letter queue`);
    if (node.kind === "dlq" && !alarmed.has(node.id) && !failed.has("cloudwatch")) {
      find(
        {
          code: "dlq-without-alarm",
          severity: "warning",
          message: `Dead-letter queue ${node.name} has no CloudWatch alarm: dead letters can pile up unnoticed.`,
          nodeId: node.id,
        },
        "no alarm watches this dead-letter queue",
      );
    }
  }
}

/** A source whose DLQ holds messages gets a warning, and a queue's own DLQ depth is recorded on it. */
function checkRedriveDepths(g: GraphBuilder, redrives: Redrive[]): void {
  const { cause } = g;
  for (const { from, dlq, edge } of redrives) {
    if (!dlq.queue) continue;
    const depth = dlq.queue.visible + dlq.queue.inFlight;
    if (edge.redrive?.via === "queue" && from.queue) from.queue.dlqDepth = depth;
    if (depth > 0) {
      cause(
        from.id,
        "warning",
        edge.redrive?.via === "queue"
          ? `its dead-letter queue holds ${plural(depth, "message")}`
          : `its subscription's dead-letter queue holds ${plural(depth, "message")}`,
      );
    }
  }
}

/**
 * A consumer's records over the last 5 minutes, from the queues it consumes: processed (deleted)
 * and failed for good (their DLQ's inflow). A record the handler reports as a batch item failure
 * is no Lambda error, so no invocation figure or alarm on Errors shows it; this does, and turns the
 * function's health when the failures spend the objective's budget (recordFailureHealth). A queue
 * without a DLQ, or without figures, tells nothing and is left out.
 */
function checkConsumerRecords(g: GraphBuilder, redrives: Redrive[], objective: number): void {
  const { nodes, edges, cause } = g;
  const byFunction = new Map<string, { processed: number; deadLettered: number; queues: string[] }>();
  for (const e of edges) {
    if (e.kind !== "event-source") continue;
    const queue = nodes.get(e.from);
    const fn = nodes.get(e.to);
    const dlq = redrives.find((r) => r.from.id === e.from && r.edge.redrive?.via === "queue")?.dlq;
    const deadLettered = dlq?.metrics?.dlqInflow5m;
    if (!queue || !fn || deadLettered === undefined) continue;
    const tally = byFunction.get(fn.id) ?? { processed: 0, deadLettered: 0, queues: [] };
    tally.processed += queue.metrics?.deleted5m ?? 0;
    tally.deadLettered += deadLettered;
    tally.queues.push(queue.name);
    byFunction.set(fn.id, tally);
  }
  for (const [id, { processed, deadLettered, queues }] of byFunction) {
    const fn = nodes.get(id)!;
    fn.metrics = { ...fn.metrics, records5m: { processed, deadLettered } };
    const { health } = recordFailureHealth(consumerRecordCounts([{ processed, deadLettered }]), objective);
    if (health === "ok") continue;
    const share = percent(deadLettered / (processed + deadLettered));
    cause(
      id,
      health,
      `${deadLettered} of ${plural(processed + deadLettered, "record")} dead-lettered in 5 min from ` +
        `${queues.join(", ")} (${share}): over the ${percent(1 - objective)} error budget`,
    );
  }
}

/** A queue SNS feeds that no mapping consumes (and no one said is consumed elsewhere) is a finding. */
function checkUnconsumedQueues(g: GraphBuilder, input: SortedAccount, consumed: Set<string>): void {
  const { nodes, edges, failed, find } = g;
  const subscribed = new Set(edges.filter((e) => e.kind === "subscription").map((e) => e.to));
  if (!failed.has("lambda")) {
    for (const node of nodes.values()) {
      // DLQs are not expected to have consumers; an unsubscribed queue may be fed by an application.
      if (
        node.kind !== "queue" ||
        node.missing ||
        consumed.has(node.id) ||
        !subscribed.has(node.id) ||
        input.consumedElsewhere?.includes(node.name)
      )
        continue;
      find(
        {
          code: "queue-unconsumed",
          severity: "warning",
          message: `Queue ${node.name} receives messages from SNS but no Lambda event source mapping consumes it.`,
          nodeId: node.id,
        },
        "nothing consumes this queue",
      );
    }
  }
}

/**
 * The topics (ARNs) each node belongs to: everything reachable from a topic over subscription,
 * event-source and redrive edges; an alarm belongs to the topics of what it watches.
 */
export function topicMembership(
  nodes: Iterable<TopologyNode>,
  edges: TopologyEdge[],
  alarmTargets: Map<string, string[]>,
): Map<string, Set<string>> {
  const downstream = new Map<string, string[]>();
  for (const e of edges) if (e.kind !== "alarm") downstream.set(e.from, [...(downstream.get(e.from) ?? []), e.to]);
  const memberOf = new Map<string, Set<string>>();
  for (const node of nodes) {
    if (node.kind !== "topic") continue;
    const seen = new Set([node.id]);
    const stack = [node.id];
    while (stack.length > 0) {
      const id = stack.pop()!;
      const set = memberOf.get(id) ?? new Set<string>();
      set.add(node.arn);
      memberOf.set(id, set);
      for (const next of downstream.get(id) ?? []) {
        if (seen.has(next)) continue;
        seen.add(next);
        stack.push(next);
      }
    }
  }
  for (const [alarmId, targets] of alarmTargets) {
    memberOf.set(alarmId, new Set(targets.flatMap((t) => [...(memberOf.get(t) ?? [])])));
  }
  return memberOf;
}

/**
 * A node's health and reasons: critical reasons first, then warnings, each once; a node with
 * nothing against it is "unknown" when its part could not be collected or its alarm lacks data.
 */
export function nodeHealth(
  node: Pick<TopologyNode, "kind" | "alarm">,
  found: { level: Level; reason: string }[],
  failed: Map<CollectedPart, string>,
): { health: Health; reasons: string[] } {
  const critical = unique(found.filter((c) => c.level === "critical").map((c) => c.reason));
  const warning = unique(found.filter((c) => c.level === "warning").map((c) => c.reason));
  const part = PART_OF_KIND[node.kind];
  let health: Health = critical.length > 0 ? "critical" : warning.length > 0 ? "warning" : "ok";
  const reasons = [...critical, ...warning];
  if (health === "ok" && failed.has(part)) {
    health = "unknown";
    reasons.push(`${PART_LABEL[part]} details could not be collected: ${failed.get(part)}`);
  } else if (health === "ok" && node.alarm?.state === "INSUFFICIENT_DATA") {
    health = "unknown";
    reasons.push("the alarm has insufficient data");
  }
  return { health, reasons };
}

/**
 * Confirmed subscriptions are keyed by ARN; a pending one has no ARN yet (SNS lists it as
 * "PendingConfirmation"), so its topic, protocol and endpoint stand in.
 */
export function subscriptionKey(s: Pick<Subscription, "arn" | "topicArn" | "protocol" | "endpoint">): string {
  return s.arn.startsWith("arn:") ? s.arn : `pending:${s.topicArn}|${s.protocol}|${s.endpoint}`;
}

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<alias or version>]` without the qualifier. */
export function unqualifiedFunctionArn(arn: string): string {
  const parts = arn.split(":");
  return parts.length > 7 && parts[5] === "function" ? parts.slice(0, 7).join(":") : arn;
}

function functionNameFromArn(arn: string): string {
  const parts = arn.split(":");
  return parts[5] === "function" && parts[6] ? parts[6] : arnName(arn);
}

/** What an endpoint card shows: the address for http/email/sms, the resource name for an ARN. */
export function endpointLabel(protocol: string, endpoint: string): string {
  if (!endpoint.startsWith("arn:")) return endpoint || protocol;
  if (protocol === "lambda") return functionNameFromArn(unqualifiedFunctionArn(endpoint));
  const resource = endpoint.split(":").slice(5).join(":");
  return resource.slice(Math.max(resource.lastIndexOf("/"), resource.lastIndexOf(":")) + 1) || endpoint;
}

function mappingQueue(
  m: MappingDescription,
  nodes: Map<string, TopologyNode>,
  sqsFailed: boolean,
  ensure: (id: string, kind: NodeKind, arn: string, name: string) => TopologyNode,
): TopologyNode | undefined {
  const id = nodeId("queue", m.eventSourceArn);
  const known = nodes.get(id);
  if (known) return known;
  return sqsFailed && m.eventSourceArn.split(":")[2] === "sqs"
    ? ensure(id, "queue", m.eventSourceArn, arnName(m.eventSourceArn))
    : undefined;
}

/** Node ids of the resources an alarm's metric dimensions name (AWS/SQS QueueName, AWS/Lambda FunctionName, AWS/SNS TopicName). */
function alarmResources(
  a: AlarmDescription,
  queueByName: Map<string, QueueDescriptionT>,
  functionByName: Map<string, { arn: string }>,
  topicByName: Map<string, { arn: string }>,
): string[] {
  const out: string[] = [];
  for (const d of a.dimensions) {
    if (a.namespace === "AWS/SQS" && d.name === "QueueName") {
      const q = queueByName.get(d.value);
      if (q) out.push(nodeId("queue", q.arn));
    } else if (a.namespace === "AWS/Lambda" && d.name === "FunctionName") {
      const f = functionByName.get(d.value);
      if (f) out.push(nodeId("function", unqualifiedFunctionArn(f.arn)));
    } else if (a.namespace === "AWS/SNS" && d.name === "TopicName") {
      // Topic names are unique per account and region, like queue names.
      const t = topicByName.get(d.value);
      if (t) out.push(nodeId("topic", t.arn));
    }
  }
  return unique(out);
}

function formatSeconds(seconds: number): string {
  if (seconds % 86_400 === 0) return plural(seconds / 86_400, "day");
  if (seconds % 3600 === 0) return plural(seconds / 3600, "hour");
  if (seconds % 60 === 0) return plural(seconds / 60, "minute");
  return plural(seconds, "second");
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
