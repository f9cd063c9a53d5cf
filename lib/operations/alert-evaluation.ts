import "server-only";
import { advanceAlert, dedupKeyOf, type AlertState } from "../domain/alerts/alert-state";
import { bodyFor, type AlertDestination } from "../domain/alerts/destinations";
import {
  burnRateEvaluations,
  consumerPausedEvaluations,
  deadLetterEvaluations,
  depthOf,
  goneEvaluations,
  redriveJobEvaluations,
  type DepthReading,
  type EvaluationInput,
  type RuleEvaluation,
} from "../domain/alerts/evaluations";
import type { AlertRuleId, AlertRuleOverride } from "../domain/alerts/rules";
import { silenceOf } from "../domain/alerts/silences";
import { DEFAULT_SLA_WINDOW } from "../domain/sla";
import { scopeKey } from "../domain/scope";
import { processSingleton } from "../process-singleton";
import {
  getStore,
  listAlertStates,
  listDlqRemovals,
  listRedriveJobs,
  listSilences,
  saveAlertState,
  type NewDelivery,
} from "../store";
import { scopeOfContext, type OperationContext } from "./context";
import { getSla } from "./sla";
import { getTopology } from "./topology";

/**
 * One evaluation of every alert rule in one environment and region: what the shared topology, the
 * shared service levels and the store say now, each alert advanced from its stored state, and the
 * notifications it makes put in the outbox, one row per destination, with the state that made them.
 * Run by the leader once a minute (lib/background.ts); no AWS call of its own beyond the shared
 * answers the pages read too.
 */

export interface AlertEvaluationOptions {
  now: number;
  /** The console's base URL, for links back to it. */
  baseUrl: string;
  /** Where notifications go: a body per destination, by its kind (its secrets are added as it is sent). */
  destinations: readonly Pick<AlertDestination, "id" | "kind">[];
  overrides?: readonly AlertRuleOverride[];
}

export interface EvaluationRound {
  /** Alerts evaluated: a rule on a resource. */
  evaluated: number;
  /** Notifications made (each in the outbox once per destination). */
  notified: number;
  /** Notifications a silence held back. */
  suppressed: number;
  /** States another evaluator wrote first: this one's lease has run out, and it writes nothing for them. */
  conflicts: number;
  /** Parts that could not be read, and so were not evaluated this time. */
  unavailable: string[];
}

/**
 * What each DLQ held at the previous evaluation, by scope and ARN: what arrivals are told from. In
 * memory: after a restart or a change of leader the first evaluation knows no earlier depth, so it
 * fires for what a DLQ holds but tells no news until the next.
 */
const depthReadings = processSingleton("alertDepthReadings", () => new Map<string, Map<string, DepthReading>>());

/** Every alert of a rule the evaluator decides, at most this many per environment and region. */
const MAX_STATES = 10_000;

export async function evaluateAlerts(ctx: OperationContext, options: AlertEvaluationOptions): Promise<EvaluationRound> {
  const { now } = options;
  const scope = scopeOfContext(ctx);
  const db = await getStore();
  const unavailable: string[] = [];
  const complete = new Set<AlertRuleId>();

  const topology = await getTopology(ctx);
  const collectedAt = Date.parse(topology.collectedAt);
  const previousDepths = depthReadings.get(scopeKey(scope)) ?? new Map<string, DepthReading>();
  const dlqs = topology.nodes.filter((n) => n.queue?.isDlq && !n.missing);
  const since = Math.min(collectedAt, ...[...previousDepths.values()].map((r) => r.at));
  const input: EvaluationInput = {
    scope,
    topology,
    collectedAt,
    now,
    baseUrl: options.baseUrl,
    overrides: options.overrides ?? [],
    previousDepths,
    removals: await listDlqRemovals(
      db,
      scope,
      dlqs.map((n) => n.name),
      since,
    ),
  };
  const evaluations: RuleEvaluation[] = [];
  if (topology.partial.length) unavailable.push(...topology.partial.map((p) => `${p.part}: ${p.message}`));
  else complete.add("dead-letters-arrived").add("dead-letters-expiring").add("consumer-paused");
  evaluations.push(...deadLetterEvaluations(input), ...consumerPausedEvaluations(input));

  try {
    const sla = await getSla(ctx, DEFAULT_SLA_WINDOW);
    evaluations.push(...burnRateEvaluations(input, sla.services));
    complete.add("burn-rate-page").add("burn-rate-ticket");
  } catch (err) {
    // The service levels come from CloudWatch; the other rules are still worth evaluating without them.
    unavailable.push(`service levels: ${err instanceof Error ? err.message : String(err)}`);
  }

  const jobs = await listRedriveJobs(db, scope, { limit: 200 });
  evaluations.push(...redriveJobEvaluations(input, jobs));
  complete.add("redrive-job-failed").add("redrive-job-stuck");

  const stored = new Map(
    (await listAlertStates(db, scope, { limit: MAX_STATES })).map((state) => [dedupKeyOf(state), state]),
  );
  const firing = [...stored.values()].filter((state) => state.status === "firing");
  evaluations.push(...goneEvaluations(firing, evaluations, complete));

  const silences = await listSilences(db, scope, { activeAt: now });
  const round: EvaluationRound = {
    evaluated: evaluations.length,
    notified: 0,
    suppressed: 0,
    conflicts: 0,
    unavailable,
  };
  for (const evaluation of evaluations) {
    const { renotifyEveryMs, ...alert } = evaluation;
    const before: AlertState | undefined = stored.get(dedupKeyOf(alert));
    const silenced = silenceOf(silences, alert, now) !== undefined;
    const step = advanceAlert(before, alert, { now, renotifyEveryMs, silenced });
    if (!step.changed || !step.state) continue;
    const notification = step.notification;
    const deliveries: NewDelivery[] = notification
      ? options.destinations.map((d) => ({ destination: d.id, payload: bodyFor(d.kind, notification, now) }))
      : [];
    if (!(await saveAlertState(db, step.state, deliveries, now))) round.conflicts++;
    else if (notification) round.notified++;
    else if (step.suppressed) round.suppressed++;
  }

  // Only once the states are written: a failed evaluation tells the same arrivals next time.
  if (!topology.partial.length)
    depthReadings.set(
      scopeKey(scope),
      new Map(dlqs.map((n) => [n.arn, { depth: depthOf(n.queue!), at: collectedAt }])),
    );
  return round;
}
