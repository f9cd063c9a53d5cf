import "server-only";
import { sharedResult } from "../shared-result";
import { validationError } from "../domain/app-error";
import {
  chartsTarget,
  consumerRecordCounts,
  DEFAULT_SLA_WINDOW,
  depthQueries,
  depthSeriesFrom,
  dlqInflowSince,
  lambdaInvocationCounts,
  latencyStatus,
  mergeReads,
  parseWindow,
  pathCounts,
  RESOURCE_DIMENSION,
  slaFigures,
  sloReads,
  snsDeliveryCounts,
  snsPendingDeliveries,
  subscriptionDlqInflow,
  sumCounts,
  type ChartsTarget,
  type Counts,
  type Objectives,
  type Removal,
  type ResourceNamespace,
  type SlaFigures,
  windowSecondsOf,
  type SlaWindow,
} from "../domain/sla";
import { deadLetterQueueOf, visibleTopology, type TopologyNode } from "../domain/topology";
import { visibleSla, type VisibleSla } from "../domain/sla/visible";
import {
  describeMetricAlarms,
  fetchMetricSeries,
  recentlyActiveResources,
  type AlarmSummary,
  type MetricPoint,
  type MetricQuery,
} from "../aws/cloudwatch";
import { getStore, listDlqRemovals } from "../store";
import { functionsP99 } from "./resource-metrics";
import { scopeOfContext, type OperationContext } from "./context";
import { getTopology } from "./topology";
import { arnsByName, everywhere, mayView } from "./resource-access";
import { tracedRecordsByFunction } from "./traces";

/**
 * Service levels of the pipeline: per topic (SNS delivery), per queue (messages processed against
 * messages dead-lettered), per function (invocation success), per subscription path and end to
 * end, each against its objective, with the error budget over the 30-day SLO window and burn
 * rates over 5 minutes to 3 days. Counts come from CloudWatch; the arithmetic is done here.
 */

export type { SlaWindow };

export type { SlaFigures };

export interface ServiceSla extends SlaFigures {
  kind: "topic" | "queue" | "function" | "path";
  resource: string;
  nodeId: string;
  alarms: { name: string; state: string; reason?: string; updatedAt?: string }[];
  /** Why the figure may be missing or partial. */
  note?: string;
  /** The resource whose charts show this service (a path's are its queue's). */
  charts: ChartsTarget;
  /** A function consuming queues with DLQs: its records, apart from its invocations (ConsumerRecords). */
  records?: ConsumerRecords;
  /** A path's subscription edge in the topology. */
  edgeId?: string;
  /** A path that is not part of the end-to-end figure (the console's own tap queue). */
  outsideEndToEnd?: boolean;
}

/**
 * A consumer's records over the same windows, against the Lambda objective: good = processed (its
 * queues' NumberOfMessagesDeleted), bad = dead-lettered (their DLQs' inflow, derived as for
 * paths). A record the handler reports as a batch item failure is no Lambda error, so the
 * invocation figures never show it (lib/domain/sla/records.ts).
 */
export interface ConsumerRecords extends SlaFigures {
  /** The queues it consumes whose records are counted (those with a dead-letter queue). */
  queues: string[];
  /** Records of its traced invocations in the window's newest traces, where the traces record batches. */
  traced?: { invocations: number; records: number; failed: number; traces: number };
}

/** One kind's resources together: their counts summed, against the kind's objective. */
export interface KindAggregate extends SlaFigures {
  /** Resources of the kind (paths: without the console's tap queue, as end to end). */
  members: number;
  /** Functions: their consumers' records together. */
  records?: SlaFigures;
}

export interface SlaView {
  window: SlaWindow;
  objectives: Objectives;
  services: ServiceSla[];
  endToEnd: SlaFigures;
  /** Each kind's resources together, for the cards' headlines (never one member's figure). */
  kinds: Partial<Record<ServiceSla["kind"], KindAggregate>>;
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
  /** A path's subscription edge in the topology. */
  edgeId?: string;
  /** A path that is not part of the end-to-end figure (the console's own tap queue). */
  outsideEndToEnd?: boolean;
  /** A function consuming queues with DLQs: its records' counts. */
  records?: { queues: string[]; counts: Subject["counts"] };
}

function query(
  id: string,
  namespace: ResourceNamespace,
  metricName: string,
  resource: string,
  stat = "Sum",
): MetricQuery {
  return { id, namespace, metricName, dimensions: [{ name: RESOURCE_DIMENSION[namespace], value: resource }], stat };
}

export function checkWindow(raw: string | null): SlaWindow {
  const w = raw ?? DEFAULT_SLA_WINDOW;
  if (parseWindow(w) === undefined) {
    const message = "a whole number of hours or days from 1h to 30d, e.g. 6h or 7d";
    throw validationError("window", message);
  }
  return w;
}

/**
 * Service levels of a window, computed at most every 28 seconds, a little less than the page's
 * 30-second refresh, and shared by every viewer: CloudWatch's figures move by the minute, and 50
 * viewers should cost AWS what one does.
 */
const slaViews = sharedResult("sla", 28_000, (_key, { ctx, window }: { ctx: OperationContext; window: SlaWindow }) =>
  measureSla(ctx, window),
);

/** `fresh`: computed now, not taken from what another viewer asked for moments ago. */
export async function getSla(
  ctx: OperationContext,
  window: SlaWindow,
  options: { fresh?: boolean } = {},
): Promise<SlaView> {
  return (await slaViews.get(`${ctx.aws.key}|${window}`, { ctx, window }, options)).view;
}

/**
 * The service levels as a caller may view them (lib/domain/sla/visible.ts): for one whose bindings
 * reach some resources only, `hidden` and `withheld` are set, and the end-to-end figure may be withheld.
 */
export type CallerSla = Omit<SlaView, "endToEnd"> &
  Partial<Pick<VisibleSla<SlaView>, "endToEnd" | "hidden" | "withheld">>;

/**
 * The service levels as the caller may view them: the shared answer, its rows filtered by the
 * caller's bindings against the very topology it was measured from (no AWS call of its own but,
 * for a resource only CloudWatch names, the account's id, read once). One whose bindings reach
 * every resource gets the shared answer itself.
 */
export async function getVisibleSla(ctx: OperationContext, window: SlaWindow): Promise<CallerSla> {
  const { view, topology } = await slaViews.get(`${ctx.aws.key}|${window}`, { ctx, window });
  if (everywhere(ctx, "viewer")) return view;
  const viewable = mayView(ctx);
  const arnOf = await arnsByName(ctx);
  return visibleSla(view, {
    graph: visibleTopology(topology, viewable),
    unlisted: (kind, name) => viewable({ arns: [arnOf(kind, name)] }),
  });
}

/** The service levels over `window`, with burn rates and the 30-day budget; `now` is injectable for tests. */
export async function computeSla(ctx: OperationContext, window: SlaWindow, now: number = Date.now()): Promise<SlaView> {
  return (await measureSla(ctx, window, now)).view;
}

/** The service levels, and the topology they were measured from (which callers' rows are filtered against). */
async function measureSla(
  ctx: OperationContext,
  window: SlaWindow,
  now: number = Date.now(),
): Promise<{ view: SlaView; topology: Topology }> {
  const { objectives, tapQueue } = ctx.settings;
  const topology = await getTopology(ctx);
  const plan = new MetricPlan();
  const subjects = [...nodeSubjects(topology, plan, objectives), ...pathSubjects(topology, plan, objectives, tapQueue)];
  subjects.push(...unlistedSubjects(await recentlyActive(ctx, window), subjects, topology, plan, objectives));

  const reads = sloReads(now);
  const [series, alarms] = await Promise.all([
    readSeries(ctx, plan, reads),
    describeMetricAlarms(ctx.aws.clients).catch(() => []),
  ]);
  // What the console itself took out of each DLQ (replays, deletes, purges, move tasks), per batch.
  const removals = await listDlqRemovals(
    await getStore(),
    scopeOfContext(ctx),
    plan.deadLetterQueues(),
    reads.coarse.start.getTime(),
  );
  const countsFrom = countsReader(plan, series, removals);

  const span = { now, windowMs: windowSecondsOf(window) * 1000 };
  const figuresOf = (target: number, counts: Subject["counts"][]) =>
    slaFigures(target, span, (from) => sumCounts(counts.map((c) => countsFrom(c, from))));
  const traced = subjects.some((s) => s.records)
    ? await tracedRecordsByFunction(ctx, { start: new Date(now - span.windowMs), end: new Date(now) }, now).catch(
        () => undefined,
      )
    : undefined;
  const nodes = new Map(topology.nodes.map((n) => [n.id, n]));
  const services = subjects.map((subject) => {
    const service = serviceSla(subject, figuresOf(subject.target, [subject.counts]), alarms, nodes);
    if (!subject.records) return service;
    const tally = traced?.byFunction.get(subject.resource);
    const records: ConsumerRecords = {
      ...figuresOf(subject.target, [subject.records.counts]),
      queues: subject.records.queues,
      ...(tally && traced ? { traced: { ...tally, traces: traced.traces } } : {}),
    };
    return { ...service, records };
  });
  const paths = subjects.filter((s) => s.kind === "path" && !s.outsideEndToEnd);
  const endToEnd = figuresOf(
    objectives.endToEnd,
    paths.map((p) => p.counts),
  );

  const view: SlaView = {
    window,
    objectives,
    services,
    endToEnd,
    kinds: kindAggregates(subjects, figuresOf),
    latency: await latencyRows(ctx, topology, objectives, span),
    notes: slaNotes(tapQueue, topology),
    collectedAt: new Date(now).toISOString(),
  };
  return { view, topology };
}

/**
 * The GetMetricData queries the SLA reads, each registered once: Sum series by key, and the depth
 * series (Maximum and Minimum of visible and of not visible) of each DLQ whose inflow is derived.
 */
class MetricPlan {
  readonly queries: MetricQuery[] = [];
  private readonly sums = new Map<string, string>(); // `${namespace}|${resource}|${metric}` → query id
  private readonly depths = new Map<string, string>(); // DLQ name → the id prefix of its depth queries

  /** Registers a Sum series; returns the key a subject's `sum` reads it by. */
  sumOf(namespace: ResourceNamespace, metric: string, resource: string): string {
    const key = `${namespace}|${resource}|${metric}`;
    if (!this.sums.has(key)) {
      const id = `q${this.queries.length}`;
      this.queries.push(query(id, namespace, metric, resource));
      this.sums.set(key, id);
    }
    return key;
  }

  depthOf(dlq: string): void {
    if (this.depths.has(dlq)) return;
    const prefix = `d${this.depths.size}`;
    this.queries.push(...depthQueries(dlq, prefix));
    this.depths.set(dlq, prefix);
  }

  sumId(key: string): string {
    return this.sums.get(key)!;
  }

  depthPrefix(dlq: string): string {
    return this.depths.get(dlq)!;
  }

  deadLetterQueues(): Iterable<string> {
    return this.depths.keys();
  }
}

type Topology = Awaited<ReturnType<typeof getTopology>>;

/** The DLQ a queue's own redrive policy names, as the topology knows it. */
const dlqOf = (topology: Topology, queue: TopologyNode) => deadLetterQueueOf(topology, queue.id);

function subscriptionEdgesOf(topology: Topology) {
  return topology.edges.filter((e) => e.kind === "subscription" && e.subscription);
}

/** A topic's SNS delivery, with `subscriptions` confirmed subscriptions (0: none known, so nothing is owed). */
function topicSubject(
  plan: MetricPlan,
  objectives: Objectives,
  topic: { name: string; nodeId: string; subscriptions: number; note?: string },
): Subject {
  const delivered = plan.sumOf("AWS/SNS", "NumberOfNotificationsDelivered", topic.name);
  const failed = plan.sumOf("AWS/SNS", "NumberOfNotificationsFailed", topic.name);
  let counts: Subject["counts"] = (sum) => snsDeliveryCounts(sum(delivered), sum(failed));
  if (topic.subscriptions > 0) {
    const published = plan.sumOf("AWS/SNS", "NumberOfMessagesPublished", topic.name);
    const filteredOut = plan.sumOf("AWS/SNS", "NumberOfNotificationsFilteredOut", topic.name);
    counts = (sum) => {
      const pending = snsPendingDeliveries({
        published: sum(published),
        subscriptions: topic.subscriptions,
        delivered: sum(delivered),
        filteredOut: sum(filteredOut),
        failed: sum(failed),
      });
      return snsDeliveryCounts(sum(delivered), sum(failed), pending);
    };
  }
  return {
    kind: "topic",
    resource: topic.name,
    nodeId: topic.nodeId,
    target: objectives.sns,
    counts,
    ...(topic.note ? { note: topic.note } : {}),
  };
}

/**
 * A function's invocations: good are those that neither erred nor were throttled. Its records, from
 * the queues it consumes that have a DLQ, apart: processed (deleted) against dead-lettered.
 */
function functionSubject(
  plan: MetricPlan,
  objectives: Objectives,
  fn: { name: string; nodeId: string; note?: string; queues?: { name: string; dlq: string }[] },
): Subject {
  const [inv, err, thr] = ["Invocations", "Errors", "Throttles"].map((m) => plan.sumOf("AWS/Lambda", m, fn.name)) as [
    string,
    string,
    string,
  ];
  const queues = (fn.queues ?? []).map((q) => {
    plan.depthOf(q.dlq);
    return { ...q, deleted: plan.sumOf("AWS/SQS", "NumberOfMessagesDeleted", q.name) };
  });
  return {
    kind: "function",
    resource: fn.name,
    nodeId: fn.nodeId,
    target: objectives.lambda,
    counts: (sum) => lambdaInvocationCounts(sum(inv), sum(err), sum(thr)),
    ...(fn.note ? { note: fn.note } : {}),
    ...(queues.length
      ? {
          records: {
            queues: queues.map((q) => q.name),
            counts: (sum, inflow) =>
              consumerRecordCounts(queues.map((q) => ({ processed: sum(q.deleted), deadLettered: inflow(q.dlq) }))),
          },
        }
      : {}),
  };
}

/** The queues a function consumes that have a dead-letter queue, with its name. */
function consumedQueuesWithDlq(topology: Topology, fnId: string): { name: string; dlq: string }[] {
  return topology.edges.flatMap((e) => {
    const queue = e.kind === "event-source" && e.to === fnId ? topology.nodes.find((n) => n.id === e.from) : undefined;
    const dlq = queue && !queue.missing ? dlqOf(topology, queue) : undefined;
    return queue && dlq ? [{ name: queue.name, dlq: dlq.name }] : [];
  });
}

/** Each topic, function and (present) queue of the topology, in the topology's order. */
function nodeSubjects(topology: Topology, plan: MetricPlan, objectives: Objectives): Subject[] {
  const subscriptionEdges = subscriptionEdgesOf(topology);
  return topology.nodes.flatMap((n): Subject[] => {
    if (n.kind === "topic") {
      const confirmed = subscriptionEdges.filter((e) => e.from === n.id && !e.subscription!.pendingConfirmation).length;
      return [topicSubject(plan, objectives, { name: n.name, nodeId: n.id, subscriptions: confirmed })];
    }
    if (n.kind === "function")
      return [
        functionSubject(plan, objectives, {
          name: n.name,
          nodeId: n.id,
          queues: consumedQueuesWithDlq(topology, n.id),
        }),
      ];
    if (n.kind !== "queue" || n.missing) return [];
    const dlq = dlqOf(topology, n);
    const deleted = plan.sumOf("AWS/SQS", "NumberOfMessagesDeleted", n.name);
    if (dlq) plan.depthOf(dlq.name);
    return [
      {
        kind: "queue",
        resource: n.name,
        nodeId: n.id,
        target: objectives.sqs,
        counts: (sum, inflow) => ({ good: sum(deleted), bad: dlq ? inflow(dlq.name) : 0 }),
        ...(dlq ? {} : { note: "no dead-letter queue: failed messages cannot be counted" }),
      },
    ];
  });
}

/** Subscription paths: SNS → queue → consumer, good = processed, bad = dead-lettered + undeliverable. */
function pathSubjects(
  topology: Topology,
  plan: MetricPlan,
  objectives: Objectives,
  tapQueue: string | undefined,
): Subject[] {
  const nodes = new Map(topology.nodes.map((n) => [n.id, n]));
  const subscriptionEdges = subscriptionEdgesOf(topology);
  return subscriptionEdges.flatMap((e): Subject[] => {
    const topic = nodes.get(e.from);
    const queue = nodes.get(e.to);
    if (!topic || !queue || queue.kind !== "queue" || queue.missing) return [];
    const dlq = dlqOf(topology, queue);
    const dlqArn = e.subscription!.deadLetterTargetArn;
    const subscriptionDlq = dlqArn ? topology.nodes.find((x) => x.arn === dlqArn) : undefined;
    const deleted = plan.sumOf("AWS/SQS", "NumberOfMessagesDeleted", queue.name);
    if (dlq) plan.depthOf(dlq.name);
    let deliveryFailed: (...readers: Parameters<Subject["counts"]>) => number = () => 0;
    if (subscriptionDlq) {
      plan.depthOf(subscriptionDlq.name);
      const sent = plan.sumOf("AWS/SQS", "NumberOfMessagesSent", subscriptionDlq.name);
      const redriven = plan.sumOf("AWS/SNS", "NumberOfNotificationsRedrivenToDlq", topic.name);
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
    return [
      {
        kind: "path",
        resource: `${topic.name} → ${queue.name}`,
        nodeId: queue.id,
        target: objectives.endToEnd,
        queue: queue.name,
        edgeId: e.id,
        counts: (sum, inflow, reported) =>
          pathCounts({
            processed: sum(deleted),
            deadLettered: dlq ? inflow(dlq.name) : 0,
            deliveryFailed: deliveryFailed(sum, inflow, reported),
          }),
        ...(notes.length ? { note: notes.join("; ") } : {}),
        ...(isTap ? { outsideEndToEnd: true } : {}),
      },
    ];
  });
}

/** Topics, functions and queues that published metrics recently, as CloudWatch's ListMetrics knows them. */
async function recentlyActive(
  ctx: OperationContext,
  window: SlaWindow,
): Promise<{ topics: string[]; functions: string[]; queues: string[] }> {
  const recent = windowSecondsOf(window) <= 3 * 3600;
  const [topics, functions, queues] = await Promise.all([
    recentlyActiveResources(
      "AWS/SNS",
      "NumberOfNotificationsDelivered",
      RESOURCE_DIMENSION["AWS/SNS"],
      recent,
      ctx.aws.clients,
    ).catch(() => []),
    recentlyActiveResources(
      "AWS/Lambda",
      "Invocations",
      RESOURCE_DIMENSION["AWS/Lambda"],
      recent,
      ctx.aws.clients,
    ).catch(() => []),
    recentlyActiveResources(
      "AWS/SQS",
      "NumberOfMessagesDeleted",
      RESOURCE_DIMENSION["AWS/SQS"],
      recent,
      ctx.aws.clients,
    ).catch(() => []),
  ]);
  return { topics, functions, queues };
}

/**
 * Resources that published metrics recently but are not in the topology (deleted, or listed
 * elsewhere) are measured too, each with a note that says so.
 */
function unlistedSubjects(
  active: Awaited<ReturnType<typeof recentlyActive>>,
  listed: Subject[],
  topology: Topology,
  plan: MetricPlan,
  objectives: Objectives,
): Subject[] {
  const known = new Set(listed.filter((x) => x.kind !== "path").map((x) => `${x.kind}|${x.resource}`));
  const unlisted =
    "has metrics in CloudWatch but is not in the topology (deleted, or not listed with these credentials)";
  return [
    ...active.topics
      .filter((name) => !known.has(`topic|${name}`))
      .map((name) => topicSubject(plan, objectives, { name, nodeId: "", subscriptions: 0, note: unlisted })),
    ...active.functions
      .filter((name) => !known.has(`function|${name}`))
      .map((name) => functionSubject(plan, objectives, { name, nodeId: "", note: unlisted })),
    ...active.queues
      .filter((name) => !known.has(`queue|${name}`) && !topology.nodes.some((n) => n.kind === "dlq" && n.name === name))
      .map((name): Subject => {
        const deleted = plan.sumOf("AWS/SQS", "NumberOfMessagesDeleted", name);
        return {
          kind: "queue",
          resource: name,
          nodeId: "",
          target: objectives.sqs,
          counts: (sum) => ({ good: sum(deleted), bad: 0 }),
          note: `${unlisted}; its dead-letter queue is unknown, so failures cannot be counted`,
        };
      }),
  ];
}

/** Every planned series over the 30 days, merged from the hourly and the by-the-minute read. */
async function readSeries(
  ctx: OperationContext,
  plan: MetricPlan,
  reads: ReturnType<typeof sloReads>,
): Promise<Map<string, MetricPoint[]>> {
  const [fine, coarse] = await Promise.all([
    fetchMetricSeries(plan.queries, reads.fine, ctx.aws.clients),
    fetchMetricSeries(plan.queries, reads.coarse, ctx.aws.clients),
  ]);
  return mergeReads(
    plan.queries.map((q) => q.id),
    coarse,
    fine,
    reads.fine.start,
  );
}

/** Counts from an instant to now, read from the merged series and the console's DLQ removals. */
function countsReader(plan: MetricPlan, series: Map<string, MetricPoint[]>, removals: Map<string, Removal[]>) {
  return (counts: Subject["counts"], fromMs: number): Counts => {
    const sum = (key: string) =>
      (series.get(plan.sumId(key)) ?? []).filter((p) => p.at >= fromMs).reduce((total, p) => total + p.value, 0);
    const inflow = (name: string) =>
      dlqInflowSince(depthSeriesFrom(plan.depthPrefix(name), series), removals.get(name) ?? [], fromMs) ?? 0;
    const reported = (key: string) => (series.get(plan.sumId(key)) ?? []).length > 0;
    return counts(sum, inflow, reported);
  };
}

/**
 * Each kind's resources together, against the kind's objective (all its members share it). Paths
 * leave out the console's tap queue, as end to end does.
 */
function kindAggregates(
  subjects: Subject[],
  figuresOf: (target: number, counts: Subject["counts"][]) => SlaFigures,
): SlaView["kinds"] {
  const kinds: SlaView["kinds"] = {};
  for (const kind of ["topic", "queue", "function", "path"] as const) {
    const members = subjects.filter((s) => s.kind === kind && !s.outsideEndToEnd);
    const first = members[0];
    if (!first) continue;
    const consumers = members.flatMap((m) => (m.records ? [m.records.counts] : []));
    kinds[kind] = {
      ...figuresOf(
        first.target,
        members.map((m) => m.counts),
      ),
      members: members.length,
      ...(consumers.length ? { records: figuresOf(first.target, consumers) } : {}),
    };
  }
  return kinds;
}

/** A subject's figures with the alarms on its resource (a path's are its queue's) and where its charts are. */
function serviceSla(
  subject: Subject,
  figures: SlaFigures,
  alarms: AlarmSummary[],
  nodes: Map<string, TopologyNode>,
): ServiceSla {
  const node = nodes.get(subject.nodeId);
  const resourceName = subject.kind === "path" ? node?.name : subject.resource;
  return {
    kind: subject.kind,
    resource: subject.resource,
    nodeId: subject.nodeId,
    ...figures,
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
    ...(subject.edgeId ? { edgeId: subject.edgeId } : {}),
    ...(subject.outsideEndToEnd ? { outsideEndToEnd: true } : {}),
  };
}

/** The oldest message's age of each queue (last 15 minutes) and each function's p99 duration over the window. */
async function latencyRows(
  ctx: OperationContext,
  topology: Topology,
  objectives: Objectives,
  span: { now: number; windowMs: number },
): Promise<SlaView["latency"]> {
  const end = new Date(span.now);
  const ageQueries = topology.nodes
    .filter((n) => n.kind === "queue" && !n.missing)
    .map((n, i) => query(`age${i}`, "AWS/SQS", "ApproximateAgeOfOldestMessage", n.name, "Maximum"));
  const ages = ageQueries.length
    ? await fetchMetricSeries(ageQueries, { start: new Date(span.now - 15 * 60_000), end, period: 60 }, ctx.aws.clients)
    : new Map<string, MetricPoint[]>();
  const p99 = await functionsP99(
    ctx,
    topology.nodes.filter((n) => n.kind === "function" && !n.missing).map((n) => n.name),
    { start: new Date(span.now - span.windowMs), end },
  );
  return [
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
}

function slaNotes(tapQueue: string | undefined, topology: Topology): string[] {
  return [
    "Objectives are seeded from AWS's monthly SLAs (SNS 99.9 %, SQS 99.9 %, Lambda 99.95 %); the end-to-end objective is their product unless configured.",
    "Dead-lettered counts are derived: AWS publishes no metric for messages moved to a DLQ, so " +
      "they are the rises of its depth plus what the console took out, booked batch by batch as each " +
      "replay, delete, purge or move task removes it, so a repair never reads as new dead letters. " +
      "A period's depth is visible plus in flight at most, from the Maximum and Minimum of each, so " +
      "a letter someone leases within the period counts once.",
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
  ];
}
