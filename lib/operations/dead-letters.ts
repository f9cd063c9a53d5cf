import "server-only";
import { AppError } from "../domain/app-error";
import { describeDeadLetterQueues, subscriptionRedrives, type DeadLetterQueue, type QueueMetrics } from "../domain/dead-letters";
import { recentQueueMetrics } from "../aws/cloudwatch";
import { listSubscriptions } from "../aws/sns";
import { describeQueues } from "../aws/sqs";

export interface DeadLetterOverview {
  deadLetterQueues: DeadLetterQueue[];
  /** Why age and growth are missing, when CloudWatch could not answer. */
  metricsUnavailable?: string;
  collectedAt: string;
}

/** Every dead-letter queue with its sources, depth, oldest age and growth, most troubled first. */
export async function deadLetterOverview(): Promise<DeadLetterOverview> {
  const [queues, subscriptions] = await Promise.all([describeQueues(), listSubscriptions()]);
  const redrives = subscriptionRedrives(subscriptions);
  const candidates = describeDeadLetterQueues(queues, redrives);
  let metrics: Record<string, QueueMetrics> = {};
  let metricsUnavailable: string | undefined;
  try {
    metrics = await recentQueueMetrics(candidates.map((d) => d.name));
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
