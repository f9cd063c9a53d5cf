import "server-only";
import { listQueueConsumers, setConsumerEnabled } from "../aws/lambda";
import { describeQueue } from "../aws/sqs";
import { AppError } from "../domain/app-error";
import type { QueueConsumer } from "../domain/queue-consumer";
import { auditedChange } from "./audited";
import type { OperationContext } from "./context";
import { invalidateTopology } from "./topology";

/** The Lambda consumers of a queue (its event source mappings). */
export async function queueConsumers(ctx: OperationContext, queueName: string): Promise<QueueConsumer[]> {
  const queue = await describeQueue(queueName, ctx.aws.clients);
  return listQueueConsumers(queue.arn, ctx.aws.clients);
}

/**
 * Pauses or resumes a queue's consumer, so a replay does not run into a consumer that still
 * fails. Only a mapping of this queue can be changed through this queue's route. Audited as an
 * intent before the change and its outcome after (auditedChange).
 */
export async function setQueueConsumer(
  ctx: OperationContext,
  queueName: string,
  uuid: string,
  enabled: boolean,
): Promise<QueueConsumer & { auditWarning?: string }> {
  const queue = await describeQueue(queueName, ctx.aws.clients);
  const consumer = (await listQueueConsumers(queue.arn, ctx.aws.clients)).find((c) => c.uuid === uuid);
  if (!consumer)
    throw new AppError("validation", `uuid: no event source mapping ${uuid} reads ${queue.name}.`, {
      issues: [{ path: "uuid", message: "not a consumer of this queue" }],
    });
  const { result, auditWarning } = await auditedChange(
    ctx,
    {
      action: enabled ? "consumer.resume" : "consumer.pause",
      target: queue.arn,
      before: consumer,
      after: { ...consumer, enabled },
    },
    () => setConsumerEnabled(uuid, enabled, ctx.aws.clients),
    { onSuccess: (after) => ({ after }), onFailure: () => ({ after: null }) },
  );
  invalidateTopology(ctx);
  return { ...result, ...(auditWarning ? { auditWarning } : {}) };
}
