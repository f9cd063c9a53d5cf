import "server-only";
import { AppError } from "../domain/app-error";
import { buildIncidents, type IncidentList, type Read } from "../domain/incidents";
import { DEFAULT_SLA_WINDOW } from "../domain/sla";
import { sharedResult } from "../shared-result";
import type { OperationContext } from "./context";
import { deadLetterOverview } from "./dead-letters";
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
 * Shared like the topology, a little under the page's 15-second refresh: the dead-letter overview
 * has no cache of its own, and many viewers should cost AWS what one does. An answer with a source
 * missing is not kept, so the next request asks that source again.
 */
const incidentViews = sharedResult(
  "incidents",
  14_000,
  (_environment, ctx: OperationContext) => collectIncidents(ctx),
  (view) => view.failed.length === 0,
);

/** The incidents of the context's environment, at most 14 s old; concurrent callers share one collection. */
export function getIncidents(ctx: OperationContext): Promise<IncidentsView> {
  return incidentViews.get(ctx.aws.key, ctx);
}

/** Reads every source now and builds the list; `now` is injectable for tests. */
export async function collectIncidents(ctx: OperationContext, now: number = Date.now()): Promise<IncidentsView> {
  const [topology, deadLetters, serviceLevels] = await Promise.all([
    read("topology", () => getTopology(ctx)),
    read("dead-letter overview", () => deadLetterOverview(ctx)),
    read("service levels", () => getSla(ctx, DEFAULT_SLA_WINDOW)),
  ]);
  return {
    ...buildIncidents({ now, topology, deadLetters, serviceLevels }),
    collectedAt: new Date(now).toISOString(),
  };
}

/** A source's answer, or why there is none: AWS's reason as the console words it; anything else only in the log. */
async function read<T>(source: string, get: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await get() };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, reason: err.message };
    console.error(`[incidents] reading the ${source} failed:`, err);
    return { ok: false, reason: "an unexpected error; the server log has the details" };
  }
}
