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
import type { MayView } from "../domain/topology";
import { hiddenCount, resourceAt, shownTo } from "../domain/visibility";
import { recentQueueSeries } from "../aws/cloudwatch";
import { listSubscriptions } from "../aws/sns";
import { describeQueues } from "../aws/sqs";
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
 * Every dead-letter queue the caller may view with its sources, depth, oldest age, growth and what
 * entered it over the last 15 minutes, most troubled first.
 */
export async function deadLetterOverview(ctx: OperationContext): Promise<DeadLetterOverview> {
  return collectDeadLetterOverview(ctx, await listViewer(ctx));
}

/**
 * The overview of the dead-letter queues `mayView` lets through (CloudWatch asked about those only),
 * or of every one without it: the start page's facts, shared by every viewer, hold them all.
 */
export async function collectDeadLetterOverview(ctx: OperationContext, mayView?: MayView): Promise<DeadLetterOverview> {
  const { queues, redrives } = await readQueuesAndRedrives(ctx);
  const { shown, hidden } = shownTo(describeDeadLetterQueues(queues, redrives), (d) => resourceAt(d.arn), mayView);
  const names = shown.map((d) => d.name);
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
  const described = describeDeadLetterQueues(queues, redrives, metrics);
  return {
    deadLetterQueues: mayView ? described.filter((d) => names.includes(d.name)) : described,
    ...(metricsUnavailable ? { metricsUnavailable } : {}),
    ...hiddenCount(mayView, hidden),
    collectedAt: new Date().toISOString(),
  };
}

/**
 * Whether some queue's redrive policy or some SNS subscription's names this queue as its
 * dead-letter queue. Read from the shared topology; a queue the graph does not know yet (created
 * since it was collected), or a graph with a part that could not be read, is checked against AWS.
 */
export async function isDeadLetterQueue(ctx: OperationContext, queue: { arn: string }): Promise<boolean> {
  const topology = await getTopology(ctx);
  const node = topology.nodes.find((n) => n.queue !== undefined && n.arn === queue.arn);
  if (node?.queue?.isDlq) return true;
  if (node && topology.partial.length === 0) return false;
  const { queues, redrives } = await readQueuesAndRedrives(ctx);
  return describeDeadLetterQueues(queues, redrives).some((d) => d.arn === queue.arn);
}
