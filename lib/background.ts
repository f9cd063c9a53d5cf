import "server-only";
import type { Config } from "./env";
import { processSingleton } from "./process-singleton";
import { processOwner } from "./replica";
import { contextFromConfig, systemActor } from "./request-context";
import { contextsOfEveryScope } from "./scope-contexts";
import { acquireLease, closeStore, getStore, releaseLease } from "./store";
import type { Scope } from "./domain/scope";
import { readTapsAsLeader, stopTapReaders } from "./operations/pipeline-samples";
import { pickUpRedriveJobs, stopRedriveRuns } from "./operations/redrive";

/** How often a replica looks for jobs nobody runs, and renews (or tries for) the leader lease. */
const TICK_MS = 5_000;
/** The leader lease outlives a few missed renewals; a replica killed hands it on after this long. */
const LEADER_LEASE_MS = 20_000;
const LEADER = "leader";

const work = processSingleton("backgroundWork", () => ({
  timer: undefined as NodeJS.Timeout | undefined,
  leader: false,
}));

/**
 * The console's work that no request starts, as one replica among several on a shared store (or
 * the only one, on SQLite):
 * - every replica, every 5 s, picks up running redrive jobs no live runner holds (a replica that
 *   died, a console stopped): the claim in the store lets one of them win;
 * - one replica at a time, the holder of the leader lease, drains the tap queues, so that recent
 *   events are read once; a leader that dies is replaced when its lease runs out (20 s).
 * Start-up resumes what was left running at once, and logs the jobs whose environment is gone.
 */
export async function startBackgroundWork(config: Config): Promise<void> {
  const contextIn = (scope: Scope) => contextFromConfig(config, systemActor, undefined, scope);
  // Built once: the configuration does not change while the process runs.
  const tapContexts = contextsOfEveryScope(config, () => systemActor, "background");
  try {
    const { resumed, leftAlone } = await pickUpRedriveJobs(contextIn);
    if (resumed) console.log(`[redrive] resumed ${resumed} job(s) left running`);
    for (const job of leftAlone)
      console.error(
        `[redrive] job ${job.jobId} was left running in ${job.scope.environment} (${job.scope.region}) and stays as it is, ` +
          `not resumed: ${job.reason} Configure that environment and region again to resume it.`,
      );
  } catch (err) {
    // The store may come later (readiness says so meanwhile): the ticks try again.
    console.error("[redrive] jobs left running could not be looked for yet:", err);
  }
  const tick = async () => {
    try {
      await pickUpRedriveJobs(contextIn);
    } catch (err) {
      console.error("[redrive] looking for jobs to pick up failed:", err);
    }
    try {
      const held = await acquireLease(await getStore(), LEADER, processOwner, LEADER_LEASE_MS);
      if (held && !work.leader) console.log("[leader] this replica leads: it drains the tap queues");
      if (!held && work.leader) console.log("[leader] another replica leads now");
      work.leader = Boolean(held);
    } catch (err) {
      // A leader that cannot renew must assume it lost the lease: another replica may hold it soon.
      console.error("[leader] the lease could not be renewed:", err);
      work.leader = false;
    }
    if (work.leader) readTapsAsLeader(tapContexts);
    else stopTapReaders();
  };
  await tick();
  work.timer ??= setInterval(() => void tick(), TICK_MS);
  work.timer.unref();
}

/**
 * Graceful shutdown: no more picking up; runs stop before their next send or delete and let go of
 * their letters and claims; the leader lease is given back; then the store closes. Another replica
 * takes all of it over at once instead of after the lease and claims run out.
 */
export async function stopBackgroundWork(timeoutMs = 3_000): Promise<void> {
  if (work.timer) clearInterval(work.timer);
  work.timer = undefined;
  stopTapReaders();
  await stopRedriveRuns(timeoutMs);
  if (work.leader) await releaseLease(await getStore(), LEADER, processOwner).catch(() => undefined);
  work.leader = false;
  await closeStore();
}
