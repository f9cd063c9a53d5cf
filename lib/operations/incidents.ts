import "server-only";
import { AppError } from "../domain/app-error";
import {
  buildIncidents,
  failedSources,
  type FactsVisibility,
  type IncidentFacts,
  type IncidentList,
  type Read,
} from "../domain/incidents";
import { DEFAULT_SLA_WINDOW } from "../domain/sla";
import { sharedResult } from "../shared-result";
import type { OperationContext } from "./context";
import { sharedDeadLetterOverview } from "./dead-letters";
import { arnsByName, everywhere, mayView } from "./resource-access";
import { getSla } from "./sla";
import { getTopology } from "./topology";

/**
 * What is broken now, for the start page: gathered from the operations behind the other views (the
 * shared topology, the dead-letter overview, the shared SLA at the dashboards' default window, whose
 * burn rates do not depend on the window), each on its own, so that a source that fails is named
 * instead of reading as "nothing broken".
 */

export interface IncidentsView extends IncidentList {
  collectedAt: string;
}

/**
 * The facts, shared like the topology, a little under the page's 15-second refresh: the dead-letter
 * overview has no cache of its own, and many viewers (of the start page and of the overview across
 * environments, which both build on them) should cost AWS what one does. Facts with a source
 * missing are not kept, so the next request asks that source again. They hold every resource, and
 * each request filters them with its caller's bindings (visibilityOf).
 */
const sharedFacts = sharedResult(
  "incident-facts",
  14_000,
  (_environment, ctx: OperationContext) => readIncidentFacts(ctx),
  (facts) => failedSources(facts).length === 0,
);

/** What the start page is built from in the context's environment, at most 14 s old; concurrent callers share one read. */
export function getIncidentFacts(ctx: OperationContext): Promise<IncidentFacts> {
  return sharedFacts.get(ctx.aws.key, ctx);
}

/**
 * Who may view what among the facts, as their topology and service levels show it: undefined when
 * the caller may view every resource (the facts as they are). No AWS call: the topology carries the
 * tags, and a resource only CloudWatch names costs the account's id, read once.
 */
export async function visibilityOf(ctx: OperationContext): Promise<FactsVisibility | undefined> {
  if (everywhere(ctx, "viewer")) return undefined;
  const viewable = mayView(ctx);
  const arnOf = await arnsByName(ctx);
  return { mayView: viewable, unlisted: (kind, name) => viewable({ arns: [arnOf(kind, name)] }) };
}

/** The incidents of the context's environment the caller may view, from facts at most 14 s old. */
export async function getIncidents(ctx: OperationContext): Promise<IncidentsView> {
  return incidentsView(ctx, await getIncidentFacts(ctx));
}

/** Reads every source now and builds the caller's list; `now` is injectable for tests. */
export async function collectIncidents(ctx: OperationContext, now: number = Date.now()): Promise<IncidentsView> {
  return incidentsView(ctx, await readIncidentFacts(ctx, now));
}

async function incidentsView(ctx: OperationContext, facts: IncidentFacts): Promise<IncidentsView> {
  return {
    ...buildIncidents(facts, await visibilityOf(ctx)),
    collectedAt: new Date(facts.now).toISOString(),
  };
}

/**
 * Every source, each on its own: one that fails is a reason, never the whole answer's failure. The
 * facts hold every resource (the shared topology and SLA, the unfiltered dead-letter overview).
 */
async function readIncidentFacts(ctx: OperationContext, now: number = Date.now()): Promise<IncidentFacts> {
  const [topology, deadLetters, serviceLevels] = await Promise.all([
    readSource("topology", () => getTopology(ctx)),
    readSource("dead-letter overview", () => sharedDeadLetterOverview(ctx, { fresh: true })),
    readSource("service levels", () => getSla(ctx, DEFAULT_SLA_WINDOW)),
  ]);
  return { now, topology, deadLetters, serviceLevels };
}

/** A source's answer, or why there is none: AWS's reason as the console words it; anything else only in the log. */
export async function readSource<T>(source: string, get: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await get() };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, reason: err.message };
    console.error(`[incidents] reading the ${source} failed:`, err);
    return { ok: false, reason: "an unexpected error; the server log has the details" };
  }
}
