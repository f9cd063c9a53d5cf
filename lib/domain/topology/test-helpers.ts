import type { Subscription } from "../subscription";
import type { Topology, TopologyEdge, TopologyNode } from "./model";
import type {
  AccountDescription,
  AlarmDescription,
  FunctionDescription,
  MappingDescription,
  QueueDescriptionT,
  TopicDescription,
} from "./types";

/** Shorthands for the unit tests of this folder: one account, one region. */

const PREFIX = "us-east-1:123456789012";
export const topicArn = (name: string) => `arn:aws:sns:${PREFIX}:${name}`;
export const queueArn = (name: string) => `arn:aws:sqs:${PREFIX}:${name}`;
export const fnArn = (name: string) => `arn:aws:lambda:${PREFIX}:function:${name}`;
export const alarmArn = (name: string) => `arn:aws:cloudwatch:${PREFIX}:alarm:${name}`;

/** The policy SNS's console writes when subscribing a queue: any topic of the account may send. */
export const ACCOUNT_TOPICS_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { Service: "sns.amazonaws.com" },
      Action: "sqs:SendMessage",
      Resource: "*",
      Condition: { ArnLike: { "aws:SourceArn": `arn:aws:sns:${PREFIX}:*` } },
    },
  ],
});

export function topic(name: string, extra: Partial<TopicDescription> = {}): TopicDescription {
  return { arn: topicArn(name), name, fifo: name.endsWith(".fifo"), ...extra };
}

export function queue(
  name: string,
  extra: Partial<QueueDescriptionT> & { dlq?: string; maxReceiveCount?: number } = {},
): QueueDescriptionT {
  const { dlq, maxReceiveCount, ...rest } = extra;
  return {
    name,
    url: `https://sqs.us-east-1.amazonaws.com/123456789012/${name}`,
    arn: queueArn(name),
    fifo: name.endsWith(".fifo"),
    visible: 0,
    inFlight: 0,
    delayed: 0,
    retentionSeconds: 345_600,
    policy: ACCOUNT_TOPICS_POLICY,
    ...(dlq ? { redrivePolicy: { deadLetterTargetArn: queueArn(dlq), maxReceiveCount: maxReceiveCount ?? 5 } } : {}),
    ...rest,
  };
}

export function fn(name: string, extra: Partial<FunctionDescription> = {}): FunctionDescription {
  return { name, arn: fnArn(name), runtime: "nodejs22.x", ...extra };
}

/** A deterministic subscription id from what it connects. */
function uuidFor(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  const hex = h.toString(16).padStart(8, "0");
  return `${hex}-0000-4000-8000-${hex}${hex.slice(0, 4)}`;
}

export function subscription(
  topicName: string,
  protocol: string,
  endpoint: string,
  extra: Partial<Subscription> = {},
): Subscription {
  return {
    arn: `${topicArn(topicName)}:${uuidFor(`${topicName}|${protocol}|${endpoint}`)}`,
    topicArn: topicArn(topicName),
    protocol,
    endpoint,
    pendingConfirmation: false,
    rawMessageDelivery: false,
    filterPolicy: null,
    filterPolicyScope: "MessageAttributes",
    ...extra,
  };
}

export const sqsSub = (topicName: string, queueName: string, extra: Partial<Subscription> = {}) =>
  subscription(topicName, "sqs", queueArn(queueName), extra);

export function mapping(
  queueName: string,
  fnName: string,
  extra: Partial<MappingDescription> = {},
): MappingDescription {
  return {
    uuid: uuidFor(`${queueName}->${fnName}`),
    functionArn: fnArn(fnName),
    eventSourceArn: queueArn(queueName),
    state: "Enabled",
    batchSize: 10,
    reportBatchItemFailures: true,
    ...extra,
  };
}

export function alarm(
  name: string,
  on: { queue?: string; fn?: string; topic?: string },
  state: AlarmDescription["state"] = "OK",
  extra: Partial<AlarmDescription> = {},
): AlarmDescription {
  const [namespace, dimension, value] = on.queue
    ? ["AWS/SQS", "QueueName", on.queue]
    : on.fn
      ? ["AWS/Lambda", "FunctionName", on.fn]
      : ["AWS/SNS", "TopicName", on.topic ?? ""];
  return {
    name,
    arn: alarmArn(name),
    state,
    namespace,
    metricName: "ApproximateNumberOfMessagesVisible",
    dimensions: [{ name: dimension, value }],
    ...extra,
  };
}

export function account(parts: Partial<AccountDescription>): AccountDescription {
  return { topics: [], subscriptions: [], queues: [], functions: [], mappings: [], alarms: [], ...parts };
}

export function node(t: Topology, id: string): TopologyNode {
  const found = t.nodes.find((n) => n.id === id);
  if (!found) throw new Error(`no node ${id}; have ${t.nodes.map((n) => n.id).join(", ")}`);
  return found;
}

export function edge(t: Topology, id: string): TopologyEdge {
  const found = t.edges.find((e) => e.id === id);
  if (!found) throw new Error(`no edge ${id}; have ${t.edges.map((e) => e.id).join(", ")}`);
  return found;
}

export const qid = (name: string) => `queue:${queueArn(name)}`;
export const tid = (name: string) => `topic:${topicArn(name)}`;
export const fid = (name: string) => `function:${fnArn(name)}`;
export const aid = (name: string) => `alarm:${alarmArn(name)}`;

export function codes(t: Topology, nodeId?: string): string[] {
  return t.warnings.filter((w) => nodeId === undefined || w.nodeId === nodeId).map((w) => w.code);
}

/**
 * The reference fan-out: topic "orders" to three queues, each with a DLQ (alarmed) and a consumer
 * function. Clean: no finding at all.
 */
export function fanOut(): AccountDescription {
  const names = ["billing", "shipping", "analytics"];
  return account({
    topics: [topic("orders")],
    subscriptions: names.map((n) => sqsSub("orders", n)),
    queues: names.flatMap((n) => [queue(n, { dlq: `${n}-dlq` }), queue(`${n}-dlq`, { retentionSeconds: 1_209_600 })]),
    functions: names.map((n) => fn(`${n}-handler`)),
    mappings: names.map((n) => mapping(n, `${n}-handler`)),
    alarms: names.map((n) => alarm(`${n}-dlq-not-empty`, { queue: `${n}-dlq` })),
  });
}

/** A synthetic large account of about 2,000 nodes: 40 topics, 400 queues, 100 DLQs (some chained), 60 functions, 960 webhooks, alarms. */
export function largeAccount(): AccountDescription {
  const pad = (n: number, w: number) => String(n).padStart(w, "0");
  const topics = Array.from({ length: 40 }, (_, i) => topic(`topic-${pad(i, 2)}`));
  const dlqs = Array.from({ length: 100 }, (_, i) =>
    queue(`dlq-${pad(i, 3)}`, {
      retentionSeconds: 1_209_600,
      ...(i % 10 === 0 ? { dlq: `dlq-${pad(i + 1, 3)}` } : {}),
    }),
  );
  const queues = Array.from({ length: 400 }, (_, i) => queue(`queue-${pad(i, 3)}`, { dlq: `dlq-${pad(i % 100, 3)}` }));
  const functions = Array.from({ length: 60 }, (_, i) => fn(`fn-${pad(i, 2)}`));
  const subscriptions = queues.flatMap((q, i) => [
    sqsSub(`topic-${pad(i % 40, 2)}`, q.name),
    ...(i % 7 === 0 ? [sqsSub(`topic-${pad((i + 1) % 40, 2)}`, q.name)] : []),
  ]);
  // Enough HTTPS endpoints to bring the graph to about 2,000 nodes.
  const webhooks = topics.flatMap((t) =>
    Array.from({ length: 24 }, (_, i) => subscription(t.name, "https", `https://hooks.example.com/${t.name}/${i}`)),
  );
  // A few queues stay unsubscribed (orphans) and a few unconsumed.
  const mappings = queues.filter((_, i) => i % 13 !== 0).map((q, i) => mapping(q.name, `fn-${pad(i % 60, 2)}`));
  const alarms = [
    ...dlqs.filter((_, i) => i % 3 !== 0).map((d) => alarm(`${d.name}-alarm`, { queue: d.name })),
    ...queues.map((q) => alarm(`${q.name}-age`, { queue: q.name })),
    alarm("orphan-alarm", { queue: "deleted-queue" }),
  ];
  return account({
    topics,
    queues: [...queues, ...dlqs, queue("orphan-queue")],
    functions,
    subscriptions: [...subscriptions.slice(0, -5), ...webhooks],
    mappings,
    alarms,
  });
}
