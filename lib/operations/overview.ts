import "server-only";
import { queueViewer } from "../domain/incidents";
import { summarizeScope, type Overview, type ScopeOverview } from "../domain/overview";
import { mapWithConcurrency } from "../aws/concurrency";
import { getStore, listRedriveJobs } from "../store";
import { firingAlertCount } from "./alerts";
import { scopeOfContext, type OperationContext } from "./context";
import { getIncidentFacts, readSource, visibilityOf } from "./incidents";

/**
 * The overview across environments: each environment and region summed up from the facts its start
 * page reads (shared per scope for 14 s, lib/operations/incidents.ts), collected a few scopes at a
 * time, each scope's failure its own, each summing up what the caller's bindings there let them view.
 */

/**
 * Scopes collected at once. A collection mostly waits on AWS (its own calls already run ten at a time
 * per service), so the overview of a few environments takes about as long as the slowest one when
 * they all run together: eight covers the common console (say three accounts in two regions) in one
 * wave. The bound keeps a console with many environments from reading every account at the same moment.
 */
export const OVERVIEW_CONCURRENCY = 8;

/** One scope's summary: what `GET /api/e/{env}/{region}/overview-summary` answers, and a row of the overview. */
export async function getScopeOverview(ctx: OperationContext): Promise<ScopeOverview> {
  const { id, name, kind, readOnly, accountId, region } = ctx.environment;
  const identity = {
    environment: { id, name, kind, readOnly, ...(accountId ? { accountId } : {}) },
    region,
    role: ctx.actor.role,
  };
  const [facts, jobs, alerts] = await Promise.all([
    // Each source's failure is in the facts already; this catches what is not a source's.
    readSource("start page's facts", () => getIncidentFacts(ctx)),
    readSource("redrive jobs", () => runningJobs(ctx)),
    readSource("alerts", async () => ({ firing: await firingAlertCount(ctx) })),
  ]);
  if (!facts.ok) return { ...identity, ...facts };
  const visibility = await visibilityOf(ctx);
  // A job is its dead-letter queue's: counted where the caller may view that queue.
  const viewsQueue = visibility ? queueViewer(facts.value, visibility.mayView) : () => true;
  const redriveJobs = jobs.ok ? { ok: true as const, value: { running: jobs.value.filter(viewsQueue).length } } : jobs;
  return { ...identity, ...summarizeScope(facts.value, { redriveJobs, alerts }, visibility) };
}

/** Every scope of `contexts` (one per environment and region, lib/scope-contexts.ts), in their order. */
export async function getOverview(
  contexts: OperationContext[],
  concurrency: number = OVERVIEW_CONCURRENCY,
): Promise<Overview> {
  const scopes = await mapWithConcurrency(contexts, concurrency, getScopeOverview);
  return { scopes, collectedAt: new Date().toISOString() };
}

/** The dead-letter queues (ARNs) of the redrive jobs running in the context's environment and region, as the store files them. */
async function runningJobs(ctx: OperationContext): Promise<string[]> {
  const jobs = await listRedriveJobs(await getStore(), scopeOfContext(ctx), { status: "running", limit: 10_000 });
  return jobs.map((job) => job.dlq.arn);
}
