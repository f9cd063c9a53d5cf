import "server-only";
import { unaccountedInFlight, viewHolds, type JobHold, type QueueHolds } from "../domain/lease-holds";
import { describeQueue } from "../aws/sqs";
import { getStore, listRedriveJobs } from "../store";
import { scopeOfContext, type OperationContext } from "./context";
import { leasesOn, leaseTakenOver } from "./dead-letter-browse";
import { jobHoldsOf } from "./redrive-holds";

/**
 * What holds a queue's letters in flight besides the caller's own lease (`GET
 * /api/queues/{name}/leases`): other people's views and running redrive jobs, how many each holds
 * and until when, and what SQS counts in flight beyond them. A read: it receives nothing.
 */
export async function queueHolds(ctx: OperationContext, queueName: string, now = Date.now()): Promise<QueueHolds> {
  const queue = await describeQueue(queueName, ctx.aws.clients);
  const leases = await leasesOn(ctx, queueName, now);
  const yours = leases.find((l) => l.user === ctx.actor.name)?.count ?? 0;
  const running = await listRedriveJobs(await getStore(), scopeOfContext(ctx), {
    dlqName: queueName,
    status: "running",
  });
  const jobs = running.map((job): JobHold => {
    const held = job.engine === "fanout" ? jobHoldsOf(job.id, now) : undefined;
    return {
      kind: "job",
      jobId: job.id,
      actor: job.actor,
      engine: job.engine,
      count: held?.count ?? null,
      until: held?.until !== undefined ? new Date(held.until).toISOString() : null,
      remaining: job.remaining ?? null,
      moved: job.moved,
    };
  });
  const holds = [...viewHolds(leases, ctx.actor.name, now), ...jobs];
  const taken = await leaseTakenOver(ctx, queueName);
  return {
    queue: queueName,
    inFlight: queue.inFlight,
    yours,
    holds,
    unaccounted: unaccountedInFlight(queue.inFlight, yours, holds),
    ...(taken ? { takenOver: taken } : {}),
  };
}
