import { formatDuration, type DeadLetterQueue } from "../dead-letters";
import type { RedriveStatus } from "../replay";
import { scopedPagePath, type Scope } from "../scope";
import type { BurnWindow } from "../sla/budget";
import type { Removal } from "../sla/counts";
import { resourceChartsHref, type ChartsTarget } from "../sla/status";
import { arnName } from "../subscription";
import type { Topology, TopologyNode } from "../topology";
import { dedupKeyOf, type AlertEvaluation, type AlertState } from "./alert-state";
import type { NewestLetter } from "./newest-letter";
import {
  burnRateCondition,
  consumerPausedTooLong,
  deadLettersExpiring,
  DEFAULT_RULE_SETTINGS,
  redriveJobStuck,
  ruleSettingsFor,
  type AlertRuleId,
  type AlertRuleOverride,
} from "./rules";

/**
 * What each rule says about each resource of one environment and region now, from the facts the
 * start page shares (the topology, the dead-letter overview, the service levels), the redrive jobs
 * and the console's own removals.
 * Pure: the evaluator (lib/operations/alert-evaluation.ts) reads, these decide.
 */

/** One rule's evaluation of one resource, with how often it is told again while nothing changes. */
export interface RuleEvaluation extends AlertEvaluation {
  renotifyEveryMs: number;
}

/** What a DLQ held at a moment: what the next evaluation tells its arrivals from. */
export interface DepthReading {
  depth: number;
  /** Epoch ms. */
  at: number;
}

export interface EvaluationInput {
  scope: Scope;
  topology: Pick<Topology, "nodes" | "edges">;
  deadLetterQueues: readonly DeadLetterFacts[];
  /** When the dead-letter queues were read from AWS; epoch ms. */
  collectedAt: number;
  now: number;
  /** The console's base URL (no trailing slash), for links. */
  baseUrl: string;
  overrides: readonly AlertRuleOverride[];
  /** Each DLQ's depth at the previous evaluation (on whichever replica led then), by ARN; absent before the first. */
  previousDepths: ReadonlyMap<string, DepthReading>;
  /** What the console removed from each DLQ (by name) since the earliest previous reading. */
  removals: ReadonlyMap<string, readonly Removal[]>;
  /** The newest letter of each DLQ with arrivals that a peek found, by ARN (arrivalsByQueue). */
  newestLetters?: ReadonlyMap<string, NewestLetter>;
}

/** A DLQ as the dead-letter overview describes it, as much of it as the dead-letter rules read. */
export type DeadLetterFacts = Pick<
  DeadLetterQueue,
  "name" | "arn" | "visible" | "inFlight" | "delayed" | "oldestExpiresInSeconds"
>;

/** What a DLQ holds: visible, in flight (a letter someone has leased is still there) and delayed. */
export const depthOf = (queue: Pick<DeadLetterQueue, "visible" | "inFlight" | "delayed">): number =>
  queue.visible + queue.inFlight + queue.delayed;

/**
 * Dead letters that arrived between two readings: the rise of the depth plus what the console itself
 * removed in between (a replay and new arrivals cancel out in the depth). What anything else removed
 * is invisible, so this is a lower bound. Undefined without an earlier reading: nothing to tell news from.
 */
export function deadLetterArrivals(
  previous: DepthReading | undefined,
  current: DepthReading,
  removals: readonly Removal[],
): number | undefined {
  if (!previous) return undefined;
  const removed = removals
    .filter((r) => r.at > previous.at && r.at <= current.at)
    .reduce((total, r) => total + r.count, 0);
  return Math.max(0, current.depth - previous.depth + removed);
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** The dead letters that arrived in each DLQ since the previous reading, by ARN: only those with an earlier reading. */
export function arrivalsByQueue(
  input: Pick<EvaluationInput, "deadLetterQueues" | "collectedAt" | "previousDepths" | "removals">,
): Map<string, number> {
  const arrivals = new Map<string, number>();
  for (const queue of input.deadLetterQueues) {
    const current = { depth: depthOf(queue), at: input.collectedAt };
    const removals = input.removals.get(queue.name) ?? [];
    const count = deadLetterArrivals(input.previousDepths.get(queue.arn), current, removals);
    if (count !== undefined) arrivals.set(queue.arn, count);
  }
  return arrivals;
}

const newsOfLetter = (letter: NewestLetter) => ({
  newestId: letter.messageId,
  ...(letter.firstError !== undefined ? { firstError: letter.firstError } : {}),
  ...(letter.traceLink !== undefined ? { traceLink: letter.traceLink } : {}),
});

/** The dead-letter rules of every DLQ: letters held (with what arrived since the last look), and the oldest's expiry. */
export function deadLetterEvaluations(input: EvaluationInput): RuleEvaluation[] {
  const evaluations: RuleEvaluation[] = [];
  const arrivals = arrivalsByQueue(input);
  for (const queue of input.deadLetterQueues) {
    const link = `${input.baseUrl}${scopedPagePath(input.scope, `/dead-letters/${encodeURIComponent(queue.name)}`)}`;
    const key = { environment: input.scope.environment, region: input.scope.region, resource: queue.arn, link };
    const depth = depthOf(queue);
    const settingsOf = <R extends AlertRuleId>(rule: R) => ruleSettingsFor(input.overrides, rule, [queue.arn]);

    const arrived = settingsOf("dead-letters-arrived");
    if (arrived.enabled) {
      const count = arrivals.get(queue.arn);
      const newest = count ? input.newestLetters?.get(queue.arn) : undefined;
      evaluations.push({
        ...key,
        rule: "dead-letters-arrived",
        firing: depth > 0,
        summary: `${queue.name} holds ${plural(depth, "dead letter")}`,
        renotifyEveryMs: arrived.renotifyEveryMinutes * 60_000,
        ...(count ? { news: { count, ...(newest ? newsOfLetter(newest) : {}) } } : {}),
      });
    }

    const expiring = settingsOf("dead-letters-expiring");
    if (expiring.enabled) {
      // An empty queue has no oldest letter, whatever the latest age datapoint says.
      const expiresIn = depth > 0 ? queue.oldestExpiresInSeconds : undefined;
      evaluations.push({
        ...key,
        rule: "dead-letters-expiring",
        firing: deadLettersExpiring(expiresIn, expiring),
        summary:
          expiresIn !== undefined
            ? `${queue.name}'s oldest dead letter is deleted by SQS in ${formatDuration(expiresIn)}`
            : `${queue.name} holds no dead letter close to its retention`,
        renotifyEveryMs: expiring.renotifyEveryMinutes * 60_000,
      });
    }
  }
  return evaluations;
}

/**
 * The ARN of a Lambda event source mapping, from its function's and its UUID
 * (arn:aws:lambda:<region>:<account>:event-source-mapping:<uuid>).
 */
export function eventSourceMappingArn(functionArn: string, uuid: string): string {
  const [arn, partition, service, region, account] = functionArn.split(":");
  return [arn, partition, service, region, account, "event-source-mapping", uuid].join(":");
}

/**
 * A consumer paused for longer than the rule's time: an event source mapping disabled since it was
 * last modified. A mapping re-enabled (or gone) is not listed and resolves by the caller's sweep.
 */
export function consumerPausedEvaluations(input: EvaluationInput): RuleEvaluation[] {
  const byId = new Map(input.topology.nodes.map((n) => [n.id, n]));
  const evaluations: RuleEvaluation[] = [];
  for (const edge of input.topology.edges) {
    const source = edge.eventSource;
    const queue = byId.get(edge.from);
    const fn = byId.get(edge.to);
    if (edge.kind !== "event-source" || !source || !queue || !fn) continue;
    const resource = eventSourceMappingArn(fn.arn, source.uuid);
    const settings = ruleSettingsFor(input.overrides, "consumer-paused", [resource, queue.arn, fn.arn]);
    if (!settings.enabled) continue;
    const pausedSince = source.enabled || !source.lastModified ? undefined : Date.parse(source.lastModified);
    const paused = pausedSince !== undefined && !Number.isNaN(pausedSince);
    const path = `/dashboards/resource?kind=function&name=${encodeURIComponent(fn.name)}`;
    evaluations.push({
      environment: input.scope.environment,
      region: input.scope.region,
      rule: "consumer-paused",
      resource,
      firing: paused && consumerPausedTooLong(pausedSince, input.now, settings),
      summary: paused
        ? `${fn.name} has not consumed ${queue.name} for ${formatDuration((input.now - pausedSince) / 1000)}: its trigger is disabled`
        : `${fn.name} consumes ${queue.name}`,
      link: `${input.baseUrl}${scopedPagePath(input.scope, path)}`,
      renotifyEveryMs: settings.renotifyEveryMinutes * 60_000,
    });
  }
  return evaluations;
}

/** One service level of the SLA page, as much of it as the burn-rate rules read. */
export interface BurnRateSubject {
  kind: "topic" | "queue" | "function" | "path";
  /** Its name on the page ("orders → orders-queue" for a path). */
  resource: string;
  /** Its node in the topology ("queue:<arn>"); a path's is its queue's. */
  nodeId: string;
  /** A path's subscription edge in the topology. */
  edgeId?: string;
  burnRates: Partial<Record<BurnWindow, number | null>>;
  charts: ChartsTarget;
}

/**
 * The ARN an objective's alert is about: its node's, and a path's subscription's, since a path
 * shares its node with its queue's own objective. Undefined when the topology no longer has it.
 */
function objectiveArn(subject: BurnRateSubject, topology: Pick<Topology, "edges">): string | undefined {
  if (subject.kind === "path") return topology.edges.find((e) => e.id === subject.edgeId)?.subscription?.arn;
  const at = subject.nodeId.indexOf(":");
  return at < 0 ? undefined : subject.nodeId.slice(at + 1);
}

/** The burn-rate tiers of the SLA page for every objective: the page rule and the ticket rule. */
export function burnRateEvaluations(input: EvaluationInput, subjects: readonly BurnRateSubject[]): RuleEvaluation[] {
  const evaluations: RuleEvaluation[] = [];
  for (const subject of subjects) {
    const resource = objectiveArn(subject, input.topology);
    if (!resource) continue;
    for (const rule of ["burn-rate-page", "burn-rate-ticket"] as const) {
      const settings = ruleSettingsFor(input.overrides, rule, [resource]);
      if (!settings.enabled) continue;
      const { firing, labels } = burnRateCondition(rule, subject.burnRates);
      evaluations.push({
        environment: input.scope.environment,
        region: input.scope.region,
        rule,
        resource,
        firing,
        summary: firing
          ? `${subject.resource} burns its error budget: ${labels.join("; ")}`
          : `${subject.resource} burns its error budget within its objective`,
        link: `${input.baseUrl}${scopedPagePath(input.scope, resourceChartsHref(subject.charts))}`,
        renotifyEveryMs: settings.renotifyEveryMinutes * 60_000,
      });
    }
  }
  return evaluations;
}

/** A resource's dashboard kind, for the ones that have charts (an endpoint or an alarm has none). */
const chartsKindOf = (node: TopologyNode): ChartsTarget["kind"] | undefined =>
  node.kind === "dlq"
    ? "queue"
    : node.kind === "topic" || node.kind === "queue" || node.kind === "function"
      ? node.kind
      : undefined;

/**
 * One alert per CloudWatch alarm of the environment, as the topology read it (its alarm nodes and
 * the resources each watches): firing while the alarm is in ALARM, with its state reason, resolved
 * when it leaves ALARM. Linked to the dashboard of the first resource it watches that has one, else
 * to the topology. Off unless an override turns it on (DEFAULT_RULE_SETTINGS).
 */
export function alarmEvaluations(input: EvaluationInput): RuleEvaluation[] {
  const byId = new Map(input.topology.nodes.map((n) => [n.id, n]));
  const evaluations: RuleEvaluation[] = [];
  for (const alarm of input.topology.nodes) {
    if (alarm.kind !== "alarm" || !alarm.alarm) continue;
    const watched = input.topology.edges
      .filter((e) => e.kind === "alarm" && e.from === alarm.id)
      .flatMap((e) => byId.get(e.to) ?? []);
    const settings = ruleSettingsFor(input.overrides, "alarm-state-changed", [alarm.arn, ...watched.map((n) => n.arn)]);
    if (!settings.enabled) continue;
    const { state, reason } = alarm.alarm;
    const on = watched.length ? ` on ${watched.map((n) => n.name).join(", ")}` : "";
    const charted = watched.find((n) => chartsKindOf(n) !== undefined);
    const path = charted ? resourceChartsHref({ kind: chartsKindOf(charted)!, name: charted.name }) : "/topology";
    evaluations.push({
      environment: input.scope.environment,
      region: input.scope.region,
      rule: "alarm-state-changed",
      resource: alarm.arn,
      firing: state === "ALARM",
      summary: `The alarm ${alarm.name}${on} is in ${state}${state === "ALARM" && reason ? `: ${reason}` : ""}`,
      link: `${input.baseUrl}${scopedPagePath(input.scope, path)}`,
      renotifyEveryMs: settings.renotifyEveryMinutes * 60_000,
    });
  }
  return evaluations;
}

/** A redrive job, as much of it as the redrive rules read; newest first per DLQ. */
export interface RedriveJobFacts {
  id: string;
  dlq: { name: string; arn: string };
  status: RedriveStatus;
  /** When its runner last showed it was alive (epoch ms), else when it last changed (ISO). */
  heartbeatAt?: number;
  updatedAt: string;
  error?: string;
}

/**
 * The redrive rules per DLQ: the latest job there failed (resolved by the next one that does not),
 * and a running job whose runner has not shown progress for the rule's time.
 */
export function redriveJobEvaluations(input: EvaluationInput, jobs: readonly RedriveJobFacts[]): RuleEvaluation[] {
  const byDlq = new Map<string, RedriveJobFacts[]>();
  for (const job of jobs) byDlq.set(job.dlq.arn, [...(byDlq.get(job.dlq.arn) ?? []), job]);
  const evaluations: RuleEvaluation[] = [];
  for (const [arn, ofDlq] of byDlq) {
    const { name } = ofDlq[0]!.dlq;
    const base = {
      environment: input.scope.environment,
      region: input.scope.region,
      resource: arn,
      link: `${input.baseUrl}${scopedPagePath(input.scope, `/dead-letters/${encodeURIComponent(name)}`)}`,
    };
    const failedSettings = ruleSettingsFor(input.overrides, "redrive-job-failed", [arn]);
    if (failedSettings.enabled) {
      const latest = ofDlq[0]!;
      const failed = latest.status === "failed";
      evaluations.push({
        ...base,
        rule: "redrive-job-failed",
        firing: failed,
        summary: failed
          ? `The redrive job ${latest.id} of ${name} failed${latest.error ? `: ${latest.error}` : ""}`
          : `The latest redrive job of ${name} did not fail`,
        renotifyEveryMs: failedSettings.renotifyEveryMinutes * 60_000,
      });
    }
    const stuckSettings = ruleSettingsFor(input.overrides, "redrive-job-stuck", [arn]);
    if (stuckSettings.enabled) {
      const stuck = ofDlq.find(
        (job) =>
          job.status === "running" &&
          redriveJobStuck(job.heartbeatAt ?? Date.parse(job.updatedAt), input.now, stuckSettings),
      );
      evaluations.push({
        ...base,
        rule: "redrive-job-stuck",
        firing: stuck !== undefined,
        summary: stuck
          ? `The redrive job ${stuck.id} of ${name} has shown no progress for ` +
            formatDuration((input.now - (stuck.heartbeatAt ?? Date.parse(stuck.updatedAt))) / 1000)
          : `No redrive job of ${name} is stuck`,
        renotifyEveryMs: stuckSettings.renotifyEveryMinutes * 60_000,
      });
    }
  }
  return evaluations;
}

/**
 * The stored firing alerts of rules evaluated in full this time whose resource was not evaluated
 * (a DLQ deleted, a mapping removed, a path unsubscribed): resolved, since nothing is wrong with
 * what is not there. Rules whose source could not be read are not `complete` and are left as they are.
 */
export function goneEvaluations(
  firing: readonly AlertState[],
  evaluated: readonly RuleEvaluation[],
  complete: ReadonlySet<AlertRuleId>,
): RuleEvaluation[] {
  const seen = new Set(evaluated.map(dedupKeyOf));
  return firing
    .filter((state) => state.status === "firing" && complete.has(state.rule) && !seen.has(dedupKeyOf(state)))
    .map((state) => ({
      environment: state.environment,
      region: state.region,
      rule: state.rule,
      resource: state.resource,
      firing: false,
      summary: `${arnName(state.resource)} is no longer there`,
      link: state.link,
      renotifyEveryMs: DEFAULT_RULE_SETTINGS[state.rule].renotifyEveryMinutes * 60_000,
    }));
}
