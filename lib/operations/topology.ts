import "server-only";
import { sharedResult } from "../shared-result";
import { AppError } from "../domain/app-error";
import type { Subscription } from "../domain/subscription";
import {
  depthQueries,
  depthSeriesFrom,
  dlqInflowSince,
  RESOURCE_DIMENSION,
  type Removal,
  type ResourceNamespace,
} from "../domain/sla";
import {
  buildTopology,
  deadLetterQueueArns,
  nodeId,
  unqualifiedFunctionArn,
  visibleTopology,
  type AccountDescription,
  type Topology,
  type TopologyEdge,
  type TopologyNode,
} from "../domain/topology";
import type { AwsClients } from "../aws/clients";
import { describeMetricAlarms, fetchMetricSeries, type MetricQuery } from "../aws/cloudwatch";
import { mapWithConcurrency } from "../aws/concurrency";
import { listEventSourceMappings, listFunctions, listFunctionTags } from "../aws/lambda";
import { listSubscriptions, listTopicTags, listTopics } from "../aws/sns";
import { describeQueues, listQueueTags } from "../aws/sqs";
import { getStore, listDlqRemovals } from "../store";
import { scopeOfContext, type OperationContext } from "./context";
import { ownAccount } from "./endpoint";
import { everywhere, mayView } from "./resource-access";

/**
 * The account's pipeline as a graph: collected from every service at once, each part on its own
 * (a failed part is marked, the rest still renders), cached briefly and shared, so that many
 * viewers refreshing do not multiply AWS calls.
 */

/** Per-resource calls in flight at once, per service. */
const CONCURRENCY = 10;
/**
 * A little less than the page's refresh (15 s): each refresh of a lone viewer finds the graph
 * expired and collects it, and any number of viewers together cost about the same, one collection
 * per refresh.
 */
const CACHE_MS = 14_000;
/**
 * How old a graph the page may still be drawn from, while a newer one is collected behind it: a big
 * account takes seconds to collect, and a viewer opening the page should not wait for that when
 * another saw it a minute ago. The page shows when its graph was collected.
 */
const VIEW_STALE_MS = 60_000;

export interface TopologyView extends Topology {
  collectedAt: string;
  /** For a caller whose bindings reach some resources only: how many nodes the answer leaves out. */
  hidden?: number;
}

type Part = NonNullable<AccountDescription["failures"]>[number]["part"];

/** One part of the account as `collect` reads it, or `empty` when that fails, the failure listed in `failures`. */
function part<T>(
  name: Part,
  failures: NonNullable<AccountDescription["failures"]>,
  empty: T,
  collect: () => Promise<T>,
): Promise<T> {
  return collect().catch((err: unknown) => {
    failures.push({ part: name, message: err instanceof Error ? err.message : String(err) });
    return empty;
  });
}

/** Each resource with its tags, read CONCURRENCY at a time; tags that cannot be read are none ({}). */
function withTags<T>(resources: T[], readTags: (resource: T) => Promise<Record<string, string>>) {
  return mapWithConcurrency(resources, CONCURRENCY, async (resource) => ({
    ...resource,
    tags: await readTags(resource).catch(() => ({})),
  }));
}

/**
 * Reads everything the graph needs; a part that fails is listed in `failures` and left empty.
 * `tapQueue` is consumed by the console itself, not by a missing consumer.
 */
export async function collectAccount(
  clients: AwsClients,
  tapQueue?: string,
  removalsOf: DlqRemovalsReader = async () => new Map(),
): Promise<AccountDescription> {
  const failures: NonNullable<AccountDescription["failures"]> = [];
  const [topics, subscriptions, queues, functions, mappings, alarms] = await Promise.all([
    part("sns", failures, [], async () => withTags(await listTopics(clients), (t) => listTopicTags(t.arn, clients))),
    part("sns", failures, [] as Subscription[], () => listSubscriptions(clients, CONCURRENCY)),
    part("sqs", failures, [], async () =>
      withTags(await describeQueues(clients, CONCURRENCY), (q) => listQueueTags(q.url, clients)),
    ),
    part("lambda", failures, [], async () =>
      withTags(await listFunctions(clients), (f) => listFunctionTags(f.arn, clients)),
    ),
    part("lambda", failures, [], () => listEventSourceMappings(clients)),
    part("cloudwatch", failures, [], () => describeMetricAlarms(clients)),
  ]);
  const tap = tapQueue;
  const account: AccountDescription = {
    topics,
    subscriptions,
    queues,
    functions,
    mappings,
    alarms,
    failures,
    ...(tap ? { consumedElsewhere: [tap] } : {}),
  };
  account.metrics = await part("cloudwatch", failures, {}, () => recentFiguresOf(account, clients, removalsOf));
  return account;
}

/** How far back the cards' figures look: 5 minutes, as the SLA's shortest burn window. */
const FIGURES_WINDOW_MS = 5 * 60_000;

/** The console's own removals from these DLQs since an instant (replays, deletes, purges, move tasks). */
export type DlqRemovalsReader = (dlqNames: string[], sinceMs: number) => Promise<Map<string, Removal[]>>;

/**
 * Each node's figures over the last 5 minutes, in one GetMetricData read by the minute: published
 * per topic, sent and deleted per queue, invocations per function, and what entered each DLQ,
 * derived from its depth as the SLA derives it (dlqInflowSince), the console's removals added back.
 */
async function recentFiguresOf(
  account: AccountDescription,
  clients: AwsClients,
  removalsOf: DlqRemovalsReader,
): Promise<NonNullable<AccountDescription["metrics"]>> {
  const now = Date.now();
  const from = now - FIGURES_WINDOW_MS;
  const dlqArns = deadLetterQueueArns(account);
  const consumed = new Set(account.mappings.map((m) => m.eventSourceArn));
  const queries: MetricQuery[] = [];
  const askSum = (namespace: ResourceNamespace, metricName: string, resource: string) => {
    const id = `m${queries.length}`;
    queries.push({
      id,
      namespace,
      metricName,
      dimensions: [{ name: RESOURCE_DIMENSION[namespace], value: resource }],
      stat: "Sum",
    });
    return id;
  };
  const sums: { key: string; field: "throughput5m" | "deleted5m"; id: string }[] = [
    ...account.topics.map((t) => ({
      key: nodeId("topic", t.arn),
      field: "throughput5m" as const,
      id: askSum("AWS/SNS", "NumberOfMessagesPublished", t.name),
    })),
    ...account.queues.map((q) => ({
      key: nodeId("queue", q.arn),
      field: "throughput5m" as const,
      id: askSum("AWS/SQS", "NumberOfMessagesSent", q.name),
    })),
    ...account.queues
      .filter((q) => consumed.has(q.arn))
      .map((q) => ({
        key: nodeId("queue", q.arn),
        field: "deleted5m" as const,
        id: askSum("AWS/SQS", "NumberOfMessagesDeleted", q.name),
      })),
    ...account.functions.map((f) => ({
      key: nodeId("function", unqualifiedFunctionArn(f.arn)),
      field: "throughput5m" as const,
      id: askSum("AWS/Lambda", "Invocations", f.name),
    })),
  ];
  const dlqs = account.queues
    .filter((q) => dlqArns.has(q.arn))
    .map((q, i) => {
      const depth = `d${i}`;
      queries.push(...depthQueries(q.name, depth));
      return { key: nodeId("queue", q.arn), name: q.name, depth };
    });
  // From a whole minute before the window, so buckets fall on minutes as in the SLA's read (an
  // endpoint may start them at StartTime); only points from `from` on count, as there.
  const start = Math.floor((from - 60_000) / 60_000) * 60_000;
  const fetched = await fetchMetricSeries(queries, { start: new Date(start), end: new Date(now), period: 60 }, clients);
  const metrics: NonNullable<AccountDescription["metrics"]> = {};
  const figure = (key: string) => (metrics[key] ??= {});
  for (const { key, field, id } of sums) {
    const points = (fetched.get(id) ?? []).filter((p) => p.at >= from);
    // No datapoints is no data, not zero.
    if (points.length) figure(key)[field] = points.reduce((sum, p) => sum + p.value, 0);
  }
  const removals = dlqs.length
    ? await removalsOf(
        dlqs.map((d) => d.name),
        from,
      )
    : new Map<string, Removal[]>();
  for (const d of dlqs) {
    const inflow = dlqInflowSince(depthSeriesFrom(d.depth, fetched), removals.get(d.name) ?? [], from);
    if (inflow !== null) figure(d.key).dlqInflow5m = inflow;
  }
  return metrics;
}

const topology = sharedResult(
  "topology",
  CACHE_MS,
  async (_environment, ctx: OperationContext) => {
    const account = await collectAccount(ctx.aws.clients, ctx.settings.tapQueue, async (names, since) =>
      listDlqRemovals(await getStore(), scopeOfContext(ctx), names, since),
    );
    const home = { region: ctx.aws.region, account: ctx.environment.accountId ?? (await ownAccount(ctx)) };
    const environmentOf = (accountId: string, region: string) =>
      ctx.settings.environments.find((e) => e.accountId === accountId && e.regions.includes(region))?.id;
    const view = {
      ...buildTopology(account, { recordObjective: ctx.settings.objectives.lambda, home, environmentOf }),
      collectedAt: new Date().toISOString(),
    };
    // Nothing at all could be read: an error, not an empty account.
    if (view.nodes.length === 0 && view.partial.length) {
      throw new AppError(
        "upstream_unavailable",
        `Nothing could be read from AWS: ${view.partial.map((p) => `${p.part}: ${p.message}`).join("; ")}`,
      );
    }
    return view;
  },
  // A partial answer is not kept: the next request tries the failed part again.
  (view) => view.partial.length === 0,
);

/** The graph of the context's environment, at most CACHE_MS old; concurrent callers share one collection. */
export async function getTopology(
  ctx: OperationContext,
  options: { fresh?: boolean; staleForMs?: number } = {},
): Promise<TopologyView> {
  return topology.get(ctx.aws.key, ctx, options);
}

/**
 * The graph as the caller may view it: the shared one, filtered by their bindings (no AWS call of its
 * own: the model carries the ARNs and tags they are decided by). One whose bindings reach every
 * resource gets the shared answer itself. Up to VIEW_STALE_MS old unless `fresh`.
 */
export async function getVisibleTopology(
  ctx: OperationContext,
  options: { fresh?: boolean } = {},
): Promise<TopologyView> {
  const view = await getTopology(ctx, { ...options, staleForMs: VIEW_STALE_MS });
  return everywhere(ctx, "viewer") ? view : visibleTopology(view, mayView(ctx));
}

export interface TopologyNodeDetail {
  node: TopologyNode;
  edges: TopologyEdge[];
  neighbours: TopologyNode[];
  warnings: Topology["warnings"];
  collectedAt: string;
}

/**
 * One node with the edges that touch it, the nodes at their other ends and the findings about it, as
 * the caller may view them: a node outside their bindings is not found, as if it did not exist.
 */
export async function getTopologyNode(ctx: OperationContext, id: string): Promise<TopologyNodeDetail> {
  const view = await getVisibleTopology(ctx);
  const node = view.nodes.find((n) => n.id === id);
  if (!node) throw new AppError("not_found", `No node ${id} in the topology (collected ${view.collectedAt}).`);
  const edges = view.edges.filter((e) => e.from === id || e.to === id);
  const ids = new Set(edges.flatMap((e) => [e.from, e.to]));
  ids.delete(id);
  const edgeIds = new Set(edges.map((e) => e.id));
  return {
    node,
    edges,
    neighbours: view.nodes.filter((n) => ids.has(n.id)),
    warnings: view.warnings.filter((w) => w.nodeId === id || (w.edgeId !== undefined && edgeIds.has(w.edgeId))),
    collectedAt: view.collectedAt,
  };
}

/** Drops the cached graph of the context's environment, after a change made through the console. */
export function invalidateTopology(ctx: OperationContext): void {
  topology.invalidate(ctx.aws.key);
}
