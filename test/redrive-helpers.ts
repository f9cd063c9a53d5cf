import { getJob, type RedriveJobView } from "../lib/operations/redrive";
import { testContext } from "./context";

/** Helpers shared by the integration tests of redrive jobs against moto (queues: test/queues.ts). */

/** A job once it is no longer running (completed, incomplete, failed, paused or cancelled). */
export async function settled(jobId: string, timeoutMs = 150_000): Promise<RedriveJobView> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = getJob(testContext(), jobId);
    if (job.status !== "running") return job;
    if (Date.now() > until) throw new Error(`job ${jobId} still running: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
