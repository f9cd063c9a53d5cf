import type { OperationContext } from "../lib/operations/context";
import { getJob, type RedriveJobView } from "../lib/operations/redrive";
import { testContext } from "./context";

/** Helpers shared by the integration tests of redrive jobs against moto (queues: test/queues.ts). */

/**
 * A job once it is no longer running (completed, incomplete, failed, paused or cancelled), read in
 * `ctx`'s environment and region (the default one unless given).
 */
export async function settled(
  jobId: string,
  timeoutMs = 150_000,
  ctx: OperationContext = testContext(),
): Promise<RedriveJobView> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await getJob(ctx, jobId);
    if (job.status !== "running") return job;
    if (Date.now() > until) throw new Error(`job ${jobId} still running: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
