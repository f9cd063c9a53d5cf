import "server-only";
import { sharedResult } from "./shared-result";
import { AppError } from "../domain/app-error";
import {
  BURN_WINDOWS,
  burnAlerts,
  burnLevel,
  burnRate,
  burnWindowSeconds,
  chartsTarget,
  dlqInflow,
  errorBudgetRemaining,
  firingAlerts,
  lambdaInvocationCounts,
  latencyStatus,
  parseWindow,
  pathCounts,
  sli,
  sloStatus,
  snsDeliveryCounts,
  snsPendingDeliveries,
  subscriptionDlqInflow,
  sumCounts,
  SLO_WINDOW_DAYS,
  type BurnAlertTier,
  type BurnLevel,
  type BurnWindow,
  type ChartsTarget,
  type Counts,
  type FiringAlert,
  type Objectives,
  type SloStatus,
  windowSecondsOf,
  type SlaWindow,
} from "../domain/sla";
import type { TopologyNode } from "../domain/topology";
import {
  describeMetricAlarms,
  fetchMetricSeries,
  recentlyActiveResources,
  type MetricPoint,
  type MetricQuery,
} from "../aws/cloudwatch";
import { getStore, listDlqRemovals } from "../store";
import { functionsP99 } from "./resource-metrics";
import type { OperationContext } from "./context";
import { getTopology } from "./topology";

/**
 * Service levels of the pipeline: per topic (SNS delivery), per queue (messages processed against
 * messages dead-lettered), per function (invocation success), per subscription path and end to
 * end, each against its objective, with the error budget over the 30-day SLO window and burn
 * rates over 5 minutes to 3 days. Counts come from CloudWatch; the arithmetic is done here.
 */

export type { SlaWindow };

export interface SlaFigures {
  sli: number | null;
  target: number;
  /** Over the 30-day SLO window, whatever the window asked for. */
  errorBudgetRemaining: number | null;
  burnRates: Record<BurnWindow, number | null>;
  /** Which burn-rate tiers fire: fast and slow page, ticket files a ticket (lib/domain/sla/budget.ts). */
  alerts: Record<BurnAlertTier, boolean>;
  /** Good and bad events over the window. */
  counts: Counts;
  /** The SLI over each twelfth of the window, oldest first (null: no traffic then). */
  trend: Array<{ at: string; sli: number | null }>;
  /** The figure's status as lib/domain/sla decides it (sloStatus). */
  status: SloStatus;
  /** The firing tiers, most urgent first, each labelled "page" or "ticket". */
  firing: FiringAlert[];
  /** Each burn rate's badge, judged by its own tier's threshold. */
  burnLevels: Record<BurnWindow, BurnLevel>;
}

export interface ServiceSla extends SlaFigures {
  kind: "topic" | "queue" | "function" | "path";
  resource: string;
  nodeId: string;
  alarms: { name: string; state: string; reason?: string; updatedAt?: string }[];
  /** Why the figure may be missing or partial. */
  note?: string;
  /** The resource whose charts show this service (a path's are its queue's). */
  charts: ChartsTarget;
}

export interface SlaView {
  window: SlaWindow;
  objectives: Objectives;
  services: ServiceSla[];
  endToEnd: SlaFigures;
  latency: {
    resource: string;
    kind: "queue-age" | "lambda-p99";
    value: number | null;
    threshold: number;
    source?: string;
    status: "met" | "breached" | null;
  }[];
  notes: string[];
  collectedAt: string;
}

/** What one resource's SLI is made of: Sum series by name, and how to turn them into counts. */
interface Subject {
  kind: ServiceSla["kind"];
  resource: string;
  nodeId: string;
  target: number;
  /**
   * `sum` totals a series registered with sumOf; `inflow` is what entered a DLQ, by its name;
   * `reported` says whether a series has any datapoint in the 30 days read (a metric AWS publishes).
   */
  counts: (
    sum: (key: string) => number,
    inflow: (dlqName: string) => number,
    reported: (key: string) => boolean,
  ) => Counts;
  note?: string;
  /** A path's queue, for its charts. */
  queue?: string;
  /** A path that is not part of the end-to-end figure (the console's own tap queue). */
  outsideEndToEnd?: boolean;
}

const dimension = { "AWS/SNS": "TopicName", "AWS/SQS": "QueueName", "AWS/Lambda": "FunctionName" } as const;

function query(
  id: string,
  namespace: keyof typeof dimension,
  metricName: string,
  resource: string,
  stat = "Sum",
): MetricQuery {
  return { id, namespace, metricName, dimensions: [{ name: dimension[namespace], value: resource }], stat };
}

export function checkWindow(raw: string | null): SlaWindow {
  const w = raw ?? "24h";
  if (parseWindow(w) === undefined) {
    const message = "a whole number of hours or days from 1h to 30d, e.g. 6h or 7d";
    throw new AppError("validation", `window: ${message}`, { issues: [{ path: "window", message }] });
  }
  return w;
}

/**
 * Service levels of a window, computed at most every 28 seconds, a little less than the page's
 * 30-second refresh, and shared by every viewer: CloudWatch's figures move by the minute, and 50
 * viewers should cost AWS what one does.
 */
const slaViews = sharedResult("sla", 28_000, (_key, { ctx, window }: { ctx: OperationContext; window: SlaWindow }) =>
  computeSla(ctx, window),
);

/** `fresh`: computed now, not taken from what another viewer asked for moments ago. */
export function getSla(ctx: OperationContext, window: SlaWindow, options: { fresh?: boolean } = {}): Promise<SlaView> {
  return slaViews.get(`${ctx.aws.key}|${window}`, { ctx, window }, options);
}

/** The service levels over `window`, with burn rates and the 30-day budget; `now` is injectable for tests. */
export async function computeSla(ctx: OperationContext, window: SlaWindow, now: number = Date.now()): Promise<SlaView> {
  const { objectives, tapQueue } = ctx.settings;
  const topology = await getTopology(ctx);
  const nodes = new Map(topology.nodes.map((n) => [n.id, n]));
  const subjects: Subject[] = [];
  const queries: MetricQuery[] = [];
  const sums = new Map<string, string>(); // `${resource}|${metric}` → query id
  const depthIds = new Map<string, [string, string]>(); // DLQ name → [visible, not visible] query ids
  const sumOf = (namespace: keyof typeof dimension, metric: string, resource: string) => {
    const key = `${namespace}|${resource}|${metric}`;
    if (!sums.has(key)) {
      const id = `q${queries.length}`;
      queries.push(query(id, namespace, metric, resource));
      sums.set(key, id);
    }
    return key;
  };
  const depthOf = (dlq: string) => {
    if (!depthIds.has(dlq)) {
      const visible = `q${queries.length}`;
      queries.push(query(visible, "AWS/SQS", "ApproximateNumberOfMessagesVisible", dlq, "Maximum"));
      const hidden = `q${queries.length}`;
      queries.push(query(hidden, "AWS/SQS", "ApproximateNumberOfMessagesNotVisible", dlq, "Maximum"));
      depthIds.set(dlq, [visible, hidden]);
    }
  };
  const dlqOf = (queue: TopologyNode) => {
    const edge = topology.edges.find((e) => e.from === queue.id && e.kind === "redrive" && e.redrive?.via === "queue");
    return edge ? nodes.get(edge.to) : undefined;
  };

  const subscriptionEdges = topology.edges.filter((e) => e.kind === "subscription" && e.subscription);
  /** SNS delivery of a topic with `subscriptions` confirmed subscriptions (0: none known, so nothing is owed). */
  const topicCounts = (topic: string, subscriptions: number): Subject["counts"] => {
    const delivered = sumOf("AWS/SNS", "NumberOfNotificationsDelivered", topic);
    const failed = sumOf("AWS/SNS", "NumberOfNotificationsFailed", topic);
    if (subscriptions === 0) return (sum) => snsDeliveryCounts(sum(delivered), sum(failed));
    const published = sumOf("AWS/SNS", "NumberOfMessagesPublished", topic);
    const filteredOut = sumOf("AWS/SNS", "NumberOfNotificationsFilteredOut", topic);
    return (sum) => {
      const pending = snsPendingDeliveries({
        published: sum(published),
        subscriptions,
        delivered: sum(delivered),
        filteredOut: sum(filteredOut),
        failed: sum(failed),
      });
      return snsDeliveryCounts(sum(delivered), sum(failed), pending);
    };
  };

  for (const n of topology.nodes) {
    if (n.kind === "topic") {
      const confirmed = subscriptionEdges.filter((e) => e.from === n.id && !e.subscription!.pendingConfirmation).length;
      subjects.push({
        kind: "topic",
        resource: n.name,
        nodeId: n.id,
        target: objectives.sns,
        counts: topicCounts(n.name, confirmed),
      });
    } else if (n.kind === "function") {
      const [inv, err, thr] = ["Invocations", "Errors", "Throttles"].map((m) => sumOf("AWS/Lambda", m, n.name)) as [
        string,
        string,
        string,
      ];
      subjects.push({
        kind: "function",
        resource: n.name,
        nodeId: n.id,
        target: objectives.lambda,
        counts: (sum) => lambdaInvocationCounts(sum(inv), sum(err), sum(thr)),
      });
    } else if (n.kind === "queue" && !n.missing) {
      const dlq = dlqOf(n);
      const deleted = sumOf("AWS/SQS", "NumberOfMessagesDeleted", n.name);
      if (dlq) depthOf(dlq.name);
      subjects.push({
        kind: "queue",
        resource: n.name,
        nodeId: n.id,
        target: objectives.sqs,
        counts: (sum, inflow) => ({ good: sum(deleted), bad: dlq ? inflow(dlq.name) : 0 }),
        ...(dlq ? {} : { note: "no dead-letter queue: failed messages cannot be counted" }),
      });
    }
  }
  // Subscription paths: SNS → queue → consumer, good = processed, bad = dead-lettered + undeliverable.
  for (const e of subscriptionEdges) {
    const topic = nodes.get(e.from);
    const queue = nodes.get(e.to);
    if (!topic || !queue || queue.kind !== "queue" || queue.missing) continue;
    const dlq = dlqOf(queue);
    const dlqArn = e.subscription!.deadLetterTargetArn;
    const subscriptionDlq = dlqArn ? topology.nodes.find((x) => x.arn === dlqArn) : undefined;
    const deleted = sumOf("AWS/SQS", "NumberOfMessagesDeleted", queue.name);
    if (dlq) depthOf(dlq.name);
    let deliveryFailed: (...readers: Parameters<Subject["counts"]>) => number = () => 0;
    if (subscriptionDlq) {
      depthOf(subscriptionDlq.name);
      const sent = sumOf("AWS/SQS", "NumberOfMessagesSent", subscriptionDlq.name);
      const redriven = sumOf("AWS/SNS", "NumberOfNotificationsRedrivenToDlq", topic.name);
      const subscriptionsUsingDlq = subscriptionEdges.filter(
        (x) => x.subscription!.deadLetterTargetArn === dlqArn,
      ).length;
      const topicSubscriptionsWithDlq = subscriptionEdges.filter(
        (x) => x.from === topic.id && x.subscription!.deadLetterTargetArn,
      ).length;
      deliveryFailed = (sum, inflow, reported) =>
        subscriptionDlqInflow({
          sentToDlq: reported(sent) ? sum(sent) : undefined,
          subscriptionsUsingDlq,
          redrivenByTopic: reported(redriven) ? sum(redriven) : undefined,
          topicSubscriptionsWithDlq,
          fromDepth: inflow(subscriptionDlq.name),
        }).count;
    }
    const isTap = tapQueue !== undefined && queue.name === tapQueue;
    const notes = [
      ...(dlq ? [] : ["the queue has no dead-letter queue: failed messages cannot be counted"]),
      ...(isTap ? ["the console's own tap queue (FANOUT_TAP_QUEUE): not part of the end-to-end figure"] : []),
    ];
    subjects.push({
      kind: "path",
      resource: `${topic.name} → ${queue.name}`,
      nodeId: queue.id,
      target: objectives.endToEnd,
      queue: queue.name,
      counts: (sum, inflow, reported) =>
        pathCounts({
          processed: sum(deleted),
          deadLettered: dlq ? inflow(dlq.name) : 0,
          deliveryFailed: deliveryFailed(sum, inflow, reported),
        }),
      ...(notes.length ? { note: notes.join("; ") } : {}),
      ...(isTap ? { outsideEndToEnd: true } : {}),
    });
  }
  // Resources that published metrics recently but are not in the topology (deleted, or listed
  // elsewhere) are measured too: CloudWatch's ListMetrics knows them.
  const known = new Set(subjects.filter((x) => x.kind !== "path").map((x) => `${x.kind}|${x.resource}`));
  const recent = windowSecondsOf(window) <= 3 * 3600;
  const active = await Promise.all([
    recentlyActiveResources("AWS/SNS", "NumberOfNotificationsDelivered", "TopicName", recent, ctx.aws.clients).catch(
      () => [],
    ),
    recentlyActiveResources("AWS/Lambda", "Invocations", "FunctionName", recent, ctx.aws.clients).catch(() => []),
    recentlyActiveResources("AWS/SQS", "NumberOfMessagesDeleted", "QueueName", recent, ctx.aws.clients).catch(() => []),
  ]);
  const unlisted =
    "has metrics in CloudWatch but is not in the topology (deleted, or not listed with these credentials)";
  for (const name of active[0]) {
    if (known.has(`topic|${name}`)) continue;
    subjects.push({
      kind: "topic",
      resource: name,
      nodeId: "",
      target: objectives.sns,
      counts: topicCounts(name, 0),
      note: unlisted,
    });
  }
  for (const name of active[1]) {
    if (known.has(`function|${name}`)) continue;
    const [inv, err, thr] = ["Invocations", "Errors", "Throttles"].map((m) => sumOf("AWS/Lambda", m, name)) as [
      string,
      string,
      string,
    ];
    subjects.push({
      kind: "function",
      resource: name,
      nodeId: "",
      target: objectives.lambda,
      counts: (sum) => lambdaInvocationCounts(sum(inv), sum(err), sum(thr)),
      note: unlisted,
    });
  }
  for (const name of active[2]) {
    if (known.has(`queue|${name}`) || topology.nodes.some((n) => n.kind === "dlq" && n.name === name)) continue;
    const deleted = sumOf("AWS/SQS", "NumberOfMessagesDeleted", name);
    subjects.push({
      kind: "queue",
      resource: name,
      nodeId: "",
      target: objectives.sqs,
      counts: (sum) => ({ good: sum(deleted), bad: 0 }),
      note: `${unlisted}; its dead-letter queue is unknown, so failures cannot be counted`,
    });
  }

  const end = new Date(now);
  // Two reads cover 30 days in few calls: hourly buckets for the old part, minutes for the last
  // few hours. The split is on an hour boundary of the coarse read, so no bucket is counted twice.
  const hour = 3600_000;
  const coarseStart = new Date(Math.floor((now - SLO_WINDOW_DAYS * 86_400_000) / hour) * hour);
  const fineStart = new Date(coarseStart.getTime() + Math.ceil((now - 6 * hour - coarseStart.getTime()) / hour) * hour);
  const [fine, coarse, alarms] = await Promise.all([
    fetchMetricSeries(queries, { start: fineStart, end, period: 60 }, ctx.aws.clients),
    fetchMetricSeries(queries, { start: coarseStart, end: fineStart, period: 3600 }, ctx.aws.clients),
    describeMetricAlarms(ctx.aws.clients).catch(() => []),
  ]);
  const merged = new Map(
    queries.map((q) => [
      q.id,
      [...(coarse.get(q.id) ?? []).filter((p) => p.at < fineStart.getTime()), ...(fine.get(q.id) ?? [])],
    ]),
  );
  // What the console itself took out of each DLQ (replays, deletes, purges, move tasks), per batch.
  const removals = listDlqRemovals(getStore(), depthIds.keys(), coarseStart.getTime());

  /** Counts of a subject from `fromMs` to now. */
  const countsFrom = (subject: Subject, fromMs: number): Counts => {
    const sum = (key: string) =>
      (merged.get(sums.get(key)!) ?? []).filter((p) => p.at >= fromMs).reduce((total, p) => total + p.value, 0);
    const inflow = (name: string) => {
      const [visibleId, hiddenId] = depthIds.get(name)!;
      const hidden = new Map((merged.get(hiddenId) ?? []).map((p) => [p.at, p.value]));
      const samples = (merged.get(visibleId) ?? [])
        .filter((p) => p.at >= fromMs)
        .map((p) => ({ at: p.at, depth: p.value + (hidden.get(p.at) ?? 0) }));
      return dlqInflow(samples, removals.get(name) ?? []) ?? 0;
    };
    const reported = (key: string) => (merged.get(sums.get(key)!) ?? []).length > 0;
    return subject.counts(sum, inflow, reported);
  };
  const windowMs = windowSecondsOf(window) * 1000;
  const figures = (subject: Pick<Subject, "target">, countsAt: (fromMs: number) => Counts): SlaFigures => {
    const counts = countsAt(now - windowMs);
    // Twelve slices of the window: counts from a slice's start minus counts from the next one's.
    const edges = Array.from({ length: 13 }, (_, i) => now - windowMs + (i * windowMs) / 12);
    const fromEdge = edges.map((edge) => countsAt(edge));
    const trend = edges.slice(0, 12).map((edge, i) => {
      const a = fromEdge[i]!;
      const b = fromEdge[i + 1]!;
      return {
        at: new Date(edge).toISOString(),
        sli: sli({ good: Math.max(0, a.good - b.good), bad: Math.max(0, a.bad - b.bad) }),
      };
    });
    const burnRates = Object.fromEntries(
      BURN_WINDOWS.map((w) => [w, burnRate(sli(countsAt(now - burnWindowSeconds[w] * 1000)), subject.target)]),
    ) as Record<BurnWindow, number | null>;
    const decided = {
      sli: sli(counts),
      target: subject.target,
      errorBudgetRemaining: errorBudgetRemaining(sli(countsAt(now - SLO_WINDOW_DAYS * 86_400_000)), subject.target),
      burnRates,
      alerts: burnAlerts(burnRates),
    };
    return {
      ...decided,
      counts,
      trend,
      status: sloStatus(decided),
      firing: firingAlerts(decided.alerts),
      burnLevels: Object.fromEntries(BURN_WINDOWS.map((w) => [w, burnLevel(w, burnRates[w])])) as Record<
        BurnWindow,
        BurnLevel
      >,
    };
  };

  const services: ServiceSla[] = subjects.map((subject) => {
    const node = nodes.get(subject.nodeId);
    const resourceName = subject.kind === "path" ? node?.name : subject.resource;
    return {
      kind: subject.kind,
      resource: subject.resource,
      nodeId: subject.nodeId,
      ...figures(subject, (from) => countsFrom(subject, from)),
      alarms: alarms
        .filter((a) => a.dimensions.some((d) => d.value === resourceName))
        .map((a) => ({
          name: a.name,
          state: a.state,
          ...(a.reason ? { reason: a.reason } : {}),
          ...(a.updatedAt ? { updatedAt: a.updatedAt } : {}),
        })),
      ...(subject.note ? { note: subject.note } : {}),
      charts: chartsTarget(subject),
    };
  });
  const paths = subjects.filter((s) => s.kind === "path" && !s.outsideEndToEnd);
  const endToEnd = figures({ target: objectives.endToEnd }, (from) => sumCounts(paths.map((p) => countsFrom(p, from))));

  const ageQueries = topology.nodes
    .filter((n) => n.kind === "queue" && !n.missing)
    .map((n, i) => query(`age${i}`, "AWS/SQS", "ApproximateAgeOfOldestMessage", n.name, "Maximum"));
  const ages = ageQueries.length
    ? await fetchMetricSeries(ageQueries, { start: new Date(now - 15 * 60_000), end, period: 60 }, ctx.aws.clients)
    : new Map<string, MetricPoint[]>();
  const p99 = await functionsP99(
    ctx,
    topology.nodes.filter((n) => n.kind === "function" && !n.missing).map((n) => n.name),
    { start: new Date(now - windowMs), end },
  );
  const latency: SlaView["latency"] = [
    ...ageQueries.map((q) => {
      const value = ages.get(q.id)?.at(-1)?.value ?? null;
      return {
        resource: q.dimensions[0]!.value,
        kind: "queue-age" as const,
        value,
        threshold: objectives.latency.queueAgeSeconds,
        status: latencyStatus(value, objectives.latency.queueAgeSeconds),
      };
    }),
    ...p99.map((f) => ({
      resource: f.resource,
      kind: "lambda-p99" as const,
      value: f.value,
      threshold: objectives.latency.lambdaP99Ms,
      source: f.source,
      status: latencyStatus(f.value, objectives.latency.lambdaP99Ms),
    })),
  ];

  return {
    window,
    objectives,
    services,
    endToEnd,
    latency,
    notes: [
      "Objectives are seeded from AWS's monthly SLAs (SNS 99.9 %, SQS 99.9 %, Lambda 99.95 %); the end-to-end objective is their product unless configured.",
      "Dead-lettered counts are derived: AWS publishes no metric for messages moved to a DLQ, so " +
        "they are the rises of its depth plus what the console took out, booked batch by batch as each " +
        "replay, delete, purge or move task removes it, so a repair never reads as new dead letters.",
      "SNS counts a delivery as failed only when it stops retrying, for SQS and Lambda endpoints " +
        "after up to 100,015 attempts over 23 days. So a topic's bad events also include what it still " +
        "owes: published × confirmed subscriptions − delivered − filtered out − failed (never below " +
        "0; 0 for a topic with no known subscriptions). An endpoint outage shows in the short burn " +
        "windows; a subscription added within the window counts as owed until its first deliveries.",
      "SNS reports delivery failures per topic, not per subscription; a path counts undeliverable " +
        "messages only when its subscription has a dead-letter queue: that DLQ's NumberOfMessagesSent " +
        "when no other subscription uses it, else the topic's NumberOfNotificationsRedrivenToDlq " +
        "when it is the topic's only subscription with a DLQ, else the rises of the DLQ's depth.",
      ...(tapQueue
        ? [
            `The console's own tap queue (${tapQueue}) is not counted as an end-to-end ` +
              `subscription path: the console drains it, so its deletes are not a consumer's work.`,
          ]
        : []),
      ...(topology.partial.length
        ? [`Part of the account could not be read: ${topology.partial.map((p) => p.part).join(", ")}.`]
        : []),
    ],
    collectedAt: new Date(now).toISOString(),
  };
}
