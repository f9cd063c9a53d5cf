import "server-only";
import {
  consoleBaseUrl,
  destinationOf,
  destinationPolicyOf,
  destinationsOfEnvironment,
  ruleOverridesOf,
} from "./alerts-config";
import type { Config } from "./env";
import { processSingleton } from "./process-singleton";
import { processOwner } from "./replica";
import { contextFromConfig, systemActor } from "./request-context";
import { contextsOfEveryScope } from "./scope-contexts";
import { acquireLease, closeStore, getStore, pruneDeliveries, releaseLease } from "./store";
import type { Scope } from "./domain/scope";
import type { OperationContext } from "./operations/context";
import { deliverDueAlerts } from "./operations/alert-delivery";
import { evaluateAlerts } from "./operations/alert-evaluation";
import { readTapsAsLeader, stopTapReaders } from "./operations/pipeline-samples";
import { pickUpRedriveJobs, stopRedriveRuns } from "./operations/redrive";

/** How often a replica looks for jobs nobody runs, and renews (or tries for) the leader lease. */
const TICK_MS = 5_000;
/** The leader lease outlives a few missed renewals; a replica killed hands it on after this long. */
const LEADER_LEASE_MS = 20_000;
const LEADER = "leader";
/** Settled notifications stay in the outbox this long, for the alerts page. */
const KEEP_DELIVERIES_MS = 7 * 24 * 60 * 60_000;

const work = processSingleton("backgroundWork", () => ({
  timer: undefined as NodeJS.Timeout | undefined,
  leader: false,
  /** When the leader last started evaluating the alerts; epoch ms. */
  evaluatedAt: 0,
  evaluating: false,
  delivering: false,
  /** The alerts' work under way, which shutdown lets finish before the store closes. */
  alertsRuns: new Set<Promise<void>>(),
}));

/**
 * The console's work that no request starts, as one replica among several on a shared store (or
 * the only one, on SQLite):
 * - every replica, every 5 s, picks up running redrive jobs no live runner holds (a replica that
 *   died, a console stopped): the claim in the store lets one of them win;
 * - one replica at a time, the holder of the leader lease, drains the tap queues, so that recent
 *   events are read once; a leader that dies is replaced when its lease runs out (20 s);
 * - the leader evaluates the alert rules of every scope once a minute (FANOUT_ALERTS_EVALUATE_SECONDS),
 *   and prunes the outbox;
 * - every replica, every tick, delivers the outbox's due notifications: the claims in the store
 *   let each row go to one of them.
 * Start-up resumes what was left running at once, and logs the jobs whose environment is gone.
 */
export async function startBackgroundWork(config: Config): Promise<void> {
  const contextIn = (scope: Scope) => contextFromConfig(config, systemActor, undefined, scope);
  // Built once: the configuration does not change while the process runs.
  const scopeContexts = contextsOfEveryScope(config, () => systemActor, "background");
  // The rules are on by default, destination or not: the alerts page lists what fires.
  const evaluateEveryMs = config.alertsEvaluateEverySeconds * 1000;
  const alerts = async () => {
    if (work.leader && !work.evaluating && Date.now() - work.evaluatedAt >= evaluateEveryMs) {
      work.evaluating = true;
      work.evaluatedAt = Date.now();
      try {
        await evaluateEveryScope(config, scopeContexts);
        await pruneDeliveries(await getStore(), Date.now() - KEEP_DELIVERIES_MS);
      } catch (err) {
        console.error("[alerts] pruning delivered notifications failed:", err);
      } finally {
        work.evaluating = false;
      }
    }
    if (work.delivering) return;
    work.delivering = true;
    try {
      await deliverDueAlerts(await getStore(), {
        owner: processOwner,
        destinationOf: (id) => destinationOf(config, id),
        policy: destinationPolicyOf(config),
      });
    } catch (err) {
      console.error("[alerts] delivering notifications failed:", err);
    } finally {
      work.delivering = false;
    }
  };
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
    if (work.leader) readTapsAsLeader(scopeContexts);
    else stopTapReaders();
    // Not awaited: a slow evaluation or destination must not hold up renewing the lease.
    const run = alerts();
    work.alertsRuns.add(run);
    void run.finally(() => work.alertsRuns.delete(run));
  };
  await tick();
  work.timer ??= setInterval(() => void tick(), TICK_MS);
  work.timer.unref();
}

/** One evaluation of every scope's alerts; a scope that fails is logged and the others still evaluated. */
async function evaluateEveryScope(config: Config, contexts: readonly OperationContext[]): Promise<void> {
  const baseUrl = consoleBaseUrl(config);
  for (const ctx of contexts) {
    const where = `${ctx.environment.id} (${ctx.environment.region})`;
    const environment = config.environments.find((e) => e.id === ctx.environment.id);
    try {
      const round = await evaluateAlerts(ctx, {
        now: Date.now(),
        baseUrl,
        destinations: await destinationsOfEnvironment(config, environment ?? { id: ctx.environment.id }),
        overrides: ruleOverridesOf(environment),
      });
      if (round.unavailable.length)
        console.error(`[alerts] ${where}: evaluated without what could not be read: ${round.unavailable.join("; ")}`);
    } catch (err) {
      console.error(`[alerts] evaluating the alerts of ${where} failed:`, err);
    }
  }
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
  await Promise.race([Promise.all(work.alertsRuns), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  if (work.leader) await releaseLease(await getStore(), LEADER, processOwner).catch(() => undefined);
  work.leader = false;
  await closeStore();
}
