import "server-only";
import { AppError } from "../domain/app-error";
import {
  describeDeadLetterQueues,
  recentDlqMetrics,
  subscriptionRedrives,
  type DeadLetterQueue,
  type QueueDescription,
  type QueueMetrics,
  type SubscriptionRedrive,
} from "../domain/dead-letters";
import { hiddenCount, resourceAt, shownTo } from "../domain/visibility";
import { recentQueueSeries } from "../aws/cloudwatch";
import { listSubscriptions } from "../aws/sns";
import { describeQueues, listDeadLetterSourceQueues } from "../aws/sqs";
import { sharedResult } from "../shared-result";
import { getStore, listDlqRemovals } from "../store";
import { scopeOfContext, type OperationContext } from "./context";
import { listViewer } from "./resource-access";
import { getTopology } from "./topology";

export interface DeadLetterOverview {
  deadLetterQueues: DeadLetterQueue[];
  /** Why age, growth and arrivals are missing, when CloudWatch could not answer. */
  metricsUnavailable?: string;
  /** Dead-letter queues left out: the caller's bindings do not reach them. Absent when they reach every queue. */
  hidden?: number;
  collectedAt: string;
}

/**
 * Every queue as SQS describes it now, with every subscription redrive: what decides which queues
 * are DLQs, read afresh (the overview, the DLQ check and redrive all start from it).
 */
export async function readQueuesAndRedrives(ctx: OperationContext): Promise<{
  queues: QueueDescription[];
  redrives: SubscriptionRedrive[];
}> {
  const [queues, subscriptions] = await Promise.all([
    describeQueues(ctx.aws.clients),
    listSubscriptions(ctx.aws.clients),
  ]);
  return { queues, redrives: subscriptionRedrives(subscriptions) };
}

/** How far back the overview's growth and arrivals look. */
const OVERVIEW_WINDOW_MINUTES = 15;

/**
 * The overview of every dead-letter queue, shared a little under the page's 15-second refresh like
 * the topology: however many people watch the dead-letter page or the start page (whose facts build
 * on it), AWS is asked as if one did. One without CloudWatch's figures is not kept: the next request
 * asks again. A change made through the console forgets it (forgetDeadLetterOverview), so whoever
 * made it sees it at once.
 */
const sharedOverview = sharedResult(
  "dead-letter-overview",
  14_000,
  (_environment, ctx: OperationContext) => collectDeadLetterOverview(ctx),
  (overview) => overview.metricsUnavailable === undefined,
);

/**
 * Every dead-letter queue of the context's environment, at most 14 s old; concurrent callers share one
 * read. `fresh` reads it now (and shares that): the start page's facts, themselves shared, do not
 * stack their age on this one's.
 */
export function sharedDeadLetterOverview(
  ctx: OperationContext,
  options: { fresh?: boolean } = {},
): Promise<DeadLetterOverview> {
  return sharedOverview.get(ctx.aws.key, ctx, options);
}

/** Drops the shared overview of the context's environment and region: the console just changed what a DLQ holds. */
export function forgetDeadLetterOverview(ctx: Pick<OperationContext, "aws">): void {
  sharedOverview.invalidate(ctx.aws.key);
}

/**
 * Every dead-letter queue the caller may view with its sources, depth, oldest age, growth and what
 * entered it over the last 15 minutes, most troubled first: the shared overview, filtered by the
 * caller's bindings.
 */
export async function deadLetterOverview(ctx: OperationContext): Promise<DeadLetterOverview> {
  const [overview, mayView] = await Promise.all([sharedDeadLetterOverview(ctx), listViewer(ctx)]);
  if (!mayView) return overview;
  const { shown, hidden } = shownTo(overview.deadLetterQueues, (d) => resourceAt(d.arn), mayView);
  return { ...overview, deadLetterQueues: shown, ...hiddenCount(mayView, hidden) };
}

/** The overview of every dead-letter queue, read now: what the shared overview is made of. */
async function collectDeadLetterOverview(ctx: OperationContext): Promise<DeadLetterOverview> {
  const { queues, redrives } = await readQueuesAndRedrives(ctx);
  const names = describeDeadLetterQueues(queues, redrives).map((d) => d.name);
  const now = Date.now();
  const from = now - OVERVIEW_WINDOW_MINUTES * 60_000;
  const removals = await listDlqRemovals(await getStore(), scopeOfContext(ctx), names, from);
  let metrics: Record<string, QueueMetrics> = {};
  let metricsUnavailable: string | undefined;
  try {
    // From a whole minute before the window, so buckets fall on minutes as in the SLA's read; only
    // points from `from` on count, as there.
    const start = Math.floor((from - 60_000) / 60_000) * 60_000;
    const series = await recentQueueSeries(names, { start: new Date(start), end: new Date(now) }, ctx.aws.clients);
    metrics = Object.fromEntries(
      names.map((name) => [
        name,
        recentDlqMetrics(series[name]!, removals.get(name) ?? [], from, OVERVIEW_WINDOW_MINUTES),
      ]),
    );
  } catch (err) {
    // The queues are still worth showing without CloudWatch; the page says what is missing.
    metricsUnavailable = err instanceof AppError ? err.message : "CloudWatch did not answer";
  }
  return {
    deadLetterQueues: describeDeadLetterQueues(queues, redrives, metrics),
    ...(metricsUnavailable ? { metricsUnavailable } : {}),
    collectedAt: new Date().toISOString(),
  };
}

/**
 * Whether some queue's redrive policy or some SNS subscription's names this queue as its
 * dead-letter queue. Read from the shared topology; a queue the graph does not know yet (created
 * since it was collected), or a graph with a part that could not be read, is checked against AWS.
 * A "no" from the graph is asked again of SQS (one call): a source queue given its redrive policy
 * since the graph was read, perhaps on another replica, would otherwise be refused for up to the
 * graph's age. (A subscription's redrive policy set since then counts from the next graph.)
 */
export async function isDeadLetterQueue(ctx: OperationContext, queue: { arn: string; url: string }): Promise<boolean> {
  const topology = await getTopology(ctx);
  const node = topology.nodes.find((n) => n.queue !== undefined && n.arn === queue.arn);
  if (node?.queue?.isDlq) return true;
  if (node && topology.partial.length === 0) return hasSourceQueues(ctx, queue.url);
  const { queues, redrives } = await readQueuesAndRedrives(ctx);
  return describeDeadLetterQueues(queues, redrives).some((d) => d.arn === queue.arn);
}

/**
 * Whether SQS names a source queue for this one now. When SQS cannot answer (no permission, throttled, an
 * endpoint without the call), the graph's "no" stands, as it did before this second look.
 */
async function hasSourceQueues(ctx: OperationContext, queueUrl: string): Promise<boolean> {
  try {
    return (await listDeadLetterSourceQueues(queueUrl, ctx.aws.clients)).length > 0;
  } catch (err) {
    console.warn(`[dead-letters] ListDeadLetterSourceQueues failed; the shared graph's answer stands: ${String(err)}`);
    return false;
  }
}
