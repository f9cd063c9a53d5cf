import "server-only";
import { advanceAlert, dedupKeyOf, type AlertState } from "../domain/alerts/alert-state";
import { bodyFor, type AlertDestination } from "../domain/alerts/destinations";
import { mapWithConcurrency } from "../aws/concurrency";
import {
  alarmEvaluations,
  arrivalsByQueue,
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
import type { NewestLetter } from "../domain/alerts/newest-letter";
import { ruleSettingsFor, type AlertRuleId, type AlertRuleOverride } from "../domain/alerts/rules";
import { silenceOf } from "../domain/alerts/silences";
import type { DeadLetterQueue } from "../domain/dead-letters";
import {
  getStore,
  listAlertStates,
  listDlqDepthReadings,
  listDlqRemovals,
  listRedriveJobs,
  listSilences,
  saveAlertState,
  saveDlqDepthReadings,
  type NewDelivery,
} from "../store";
import { scopeOfContext, type OperationContext } from "./context";
import { getIncidentFacts } from "./incidents";
import { newestDeadLetter } from "./newest-dead-letter";

/**
 * One evaluation of every alert rule in one environment and region: what the facts the start page
 * shares (topology, dead-letter overview, service levels) and the store say now, each alert
 * advanced from its stored state, and the notifications it makes put in the outbox, one row per
 * destination, with the state that made them.
 * Run by the leader once a minute (lib/background.ts); no AWS call of its own beyond the shared
 * answers the pages read too, but a peek of each DLQ where letters arrived, and their stories.
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

/** DLQs peeked at once for their newest letter (each a receive and, when traced, a story). */
const PEEK_CONCURRENCY = 4;

/** Every alert of a rule the evaluator decides, at most this many per environment and region. */
const MAX_STATES = 10_000;

export async function evaluateAlerts(ctx: OperationContext, options: AlertEvaluationOptions): Promise<EvaluationRound> {
  const { now } = options;
  const scope = scopeOfContext(ctx);
  const db = await getStore();
  const unavailable: string[] = [];
  const complete = new Set<AlertRuleId>();

  // One shared read, the start page's: the topology, the dead-letter overview and the service levels.
  const facts = await getIncidentFacts(ctx);
  const topology = facts.topology.ok ? facts.topology.value : { nodes: [], edges: [] };
  const deadLetterQueues = facts.deadLetters.ok ? facts.deadLetters.value.deadLetterQueues : [];
  const collectedAt = facts.now;
  // What each DLQ held at the previous evaluation, kept in the store: a new leader tells arrivals
  // from the old one's last reading, and only its very first evaluation ever tells none.
  const previousDepths = await listDlqDepthReadings(db, scope);
  const since = Math.min(collectedAt, ...[...previousDepths.values()].map((r) => r.at));
  const input: EvaluationInput = {
    scope,
    topology,
    deadLetterQueues,
    collectedAt,
    now,
    baseUrl: options.baseUrl,
    overrides: options.overrides ?? [],
    previousDepths,
    removals: await listDlqRemovals(
      db,
      scope,
      deadLetterQueues.map((q) => q.name),
      since,
    ),
  };
  input.newestLetters = await newestLetters(ctx, input, deadLetterQueues, options.baseUrl);
  const evaluations: RuleEvaluation[] = [];
  if (facts.deadLetters.ok) {
    const { metricsUnavailable } = facts.deadLetters.value;
    // Without CloudWatch no letter's age is known: an expiring alert is left as it is, not resolved.
    evaluations.push(
      ...deadLetterEvaluations(input).filter((e) => !metricsUnavailable || e.rule !== "dead-letters-expiring"),
    );
    complete.add("dead-letters-arrived");
    if (metricsUnavailable) unavailable.push(`dead-letter ages: ${metricsUnavailable}`);
    else complete.add("dead-letters-expiring");
  } else unavailable.push(`dead-letter queues: ${facts.deadLetters.reason}`);
  // A graph with a part missing may lack a mapping or a subscription that is there: what it lacks is not resolved.
  const wholeGraph = facts.topology.ok && !facts.topology.value.partial.length;
  if (facts.topology.ok) evaluations.push(...consumerPausedEvaluations(input));
  else unavailable.push(`topology: ${facts.topology.reason}`);
  if (wholeGraph) complete.add("consumer-paused");
  // The alarms come with the topology: without CloudWatch's part, an alarm not listed is not resolved.
  if (facts.topology.ok) evaluations.push(...alarmEvaluations(input));
  if (facts.topology.ok && !facts.topology.value.partial.some((p) => p.part === "cloudwatch"))
    complete.add("alarm-state-changed");
  if (facts.serviceLevels.ok) {
    evaluations.push(...burnRateEvaluations(input, facts.serviceLevels.value.services));
    if (wholeGraph) complete.add("burn-rate-page").add("burn-rate-ticket");
  } else unavailable.push(`service levels: ${facts.serviceLevels.reason}`);

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

  // Only once the states are written: a failed evaluation tells the same arrivals next time. An
  // evaluator another one overtook (its lease ran out) leaves the readings to that one.
  if (facts.deadLetters.ok && round.conflicts === 0)
    await saveDlqDepthReadings(
      db,
      scope,
      new Map<string, DepthReading>(deadLetterQueues.map((q) => [q.arn, { depth: depthOf(q), at: collectedAt }])),
    );
  return round;
}

/**
 * The newest letter of each DLQ where letters arrived and the dead-letter rule runs, by ARN. A DLQ
 * with a redrive policy of its own, or one the topology does not show, is not peeked (newestDeadLetter).
 */
async function newestLetters(
  ctx: OperationContext,
  input: EvaluationInput,
  queues: readonly DeadLetterQueue[],
  baseUrl: string,
): Promise<Map<string, NewestLetter>> {
  const arrivals = arrivalsByQueue(input);
  const shown = new Map(input.topology.nodes.map((n) => [n.arn, n]));
  const arrived = queues.filter(
    (q) => (arrivals.get(q.arn) ?? 0) > 0 && ruleSettingsFor(input.overrides, "dead-letters-arrived", [q.arn]).enabled,
  );
  const found = await mapWithConcurrency([...arrived], PEEK_CONCURRENCY, async (q) => {
    const node = shown.get(q.arn);
    const redrives = node?.queue ? node.queue.isSource : true;
    return [
      q.arn,
      await newestDeadLetter(ctx, { name: q.name, url: q.url, fifo: q.fifo, redrives }, baseUrl, input.now),
    ] as const;
  });
  return new Map(found.filter((entry): entry is readonly [string, NewestLetter] => entry[1] !== undefined));
}
