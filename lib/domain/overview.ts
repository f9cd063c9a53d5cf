import type { DeadLetterQueue } from "./dead-letters";
import type { ActiveEnvironment } from "./environments";
import {
  buildIncidents,
  failedSources,
  visibleFacts,
  type FactsVisibility,
  type FailedSource,
  type IncidentFacts,
  type IncidentSeverity,
  type Read,
} from "./incidents";
import type { Role } from "./roles";
import type { SloStatus } from "./sla";

/**
 * Where is it broken? One environment in one region summed up for the overview across environments,
 * from the facts its start page reads (lib/domain/incidents.ts), so that the row and the incident
 * list never disagree. Pure: lib/operations/overview.ts reads the facts and the running jobs.
 */

/** Worst first: a scope's health is the worst incident it has, `unknown` when a source was not read. */
export type ScopeHealth = "critical" | "warning" | "unknown" | "ok";

/** How many of a scope's dead-letter queues the overview names. */
export const WORST_QUEUES = 3;

export interface WorstQueue {
  name: string;
  /** Visible, in flight and delayed: what it holds. */
  depth: number;
  /** What entered it over the window; absent without CloudWatch data. */
  arrived?: number;
}

export interface DeadLetterSummary {
  /** Letters held by every dead-letter queue of the scope, leased ones included. */
  total: number;
  /** What entered them over the window, summed over the queues CloudWatch has data for; null when none has. */
  arrived: number | null;
  /** The change of what they hold over the window (arrivals less what was replayed or deleted); null likewise. */
  growth: number | null;
  windowMinutes: number;
  /** The most troubled queues holding letters, most troubled first (lib/domain/dead-letters.ts byTrouble). */
  worst: WorstQueue[];
}

export interface EndToEndSummary {
  /** Over the SLA's default window; null without traffic. */
  sli: number | null;
  target: number;
  status: SloStatus;
  /** Left of the 30-day error budget, as a fraction (negative: overspent); null without traffic. */
  errorBudgetRemaining: number | null;
  /** The burn-rate alerts firing on it, most urgent first. */
  firing: Array<"page" | "ticket">;
}

export interface AlarmSummary {
  firing: number;
  /** The names of the alarms in ALARM, sorted. */
  names: string[];
}

export interface ScopeSummary {
  health: ScopeHealth;
  /** The start page's incidents, counted by severity. */
  incidents: Record<IncidentSeverity, number>;
  deadLetters: Read<DeadLetterSummary>;
  endToEnd: Read<EndToEndSummary>;
  /** The end-to-end figure is withheld from the caller: it counts resources outside their bindings (`endToEnd` says so). */
  endToEndWithheld?: true;
  alarms: Read<AlarmSummary>;
  redriveJobs: Read<{ running: number }>;
  /** The alerts firing that the caller may view (the alerts page's list). */
  alerts: Read<{ firing: number }>;
  /** Sources read in part or not at all, as the start page names them. */
  failed: FailedSource[];
  /**
   * Incidents left out, about resources the caller's bindings do not reach (the figures above count
   * only what the caller may view); absent when they reach every resource.
   */
  hidden?: number;
  collectedAt: string;
}

/** Which scope a summary is of, and the caller's role there. */
export interface ScopeIdentity {
  environment: Pick<ActiveEnvironment, "id" | "name" | "kind" | "readOnly" | "accountId">;
  region: string;
  role: Role;
}

/** A scope's answer: its summary, or why nothing of it could be read; never another scope's failure. */
export type ScopeOverview = ScopeIdentity & ({ ok: true; summary: ScopeSummary } | { ok: false; reason: string });

/** `GET /api/overview`: every scope the caller may see, in configuration order. */
export interface Overview {
  scopes: ScopeOverview[];
  collectedAt: string;
}

/** What a caller's row says of the end-to-end figure when it counts resources outside their bindings. */
export const END_TO_END_WITHHELD = "Not shown: it counts resources outside your bindings.";

/**
 * A scope's summary from its start page's facts and its running redrive jobs (those the caller may
 * view), or `{ ok: false }` when not one of the AWS sources answered (an endpoint down, credentials
 * refused): a scope that answered nothing is not "nothing broken". With `visibility` (bindings on
 * some resources only) it sums up what the caller may view, as their start page lists it, and says
 * how many incidents it left out.
 */
export function summarizeScope(
  everything: IncidentFacts,
  stored: Pick<ScopeSummary, "redriveJobs" | "alerts">,
  visibility?: FactsVisibility,
): { ok: true; summary: ScopeSummary } | { ok: false; reason: string } {
  const reads = [everything.topology, everything.deadLetters, everything.serviceLevels];
  if (reads.every((r) => !r.ok)) {
    return { ok: false, reason: commonReason(reads.flatMap((r) => (r.ok ? [] : [r.reason]))) };
  }
  const facts = visibility ? visibleFacts(everything, visibility) : everything;
  const { incidents, hidden } = buildIncidents(everything, visibility);
  const failed = failedSources(facts);
  const counts: Record<IncidentSeverity, number> = { critical: 0, warning: 0, notice: 0 };
  for (const incident of incidents) counts[incident.severity]++;
  return {
    ok: true,
    summary: {
      health: counts.critical ? "critical" : counts.warning ? "warning" : failed.length ? "unknown" : "ok",
      incidents: counts,
      deadLetters: mapRead(facts.deadLetters, (d) => deadLetterSummary(d.deadLetterQueues)),
      ...endToEndSummary(facts.serviceLevels),
      alarms: alarmSummary(facts),
      ...stored,
      failed,
      ...(hidden === undefined ? {} : { hidden }),
      collectedAt: new Date(facts.now).toISOString(),
    },
  };
}

/** The end-to-end figure, or why it is not shown: not read, or withheld from the caller. */
function endToEndSummary(levels: IncidentFacts["serviceLevels"]): Pick<ScopeSummary, "endToEnd" | "endToEndWithheld"> {
  if (!levels.ok) return { endToEnd: levels };
  const { endToEnd } = levels.value;
  if (!endToEnd) return { endToEnd: { ok: false, reason: END_TO_END_WITHHELD }, endToEndWithheld: true };
  return {
    endToEnd: {
      ok: true,
      value: {
        sli: endToEnd.sli,
        target: endToEnd.target,
        status: endToEnd.status,
        errorBudgetRemaining: endToEnd.errorBudgetRemaining,
        firing: endToEnd.firing.map((f) => f.severity),
      },
    },
  };
}

function mapRead<T, U>(read: Read<T>, map: (value: T) => U): Read<U> {
  return read.ok ? { ok: true, value: map(read.value) } : read;
}

/** Totals over the queues, and the first few of those holding letters (the overview sorts them by trouble). */
export function deadLetterSummary(queues: DeadLetterQueue[]): DeadLetterSummary {
  const depth = (q: DeadLetterQueue) => q.visible + q.inFlight + q.delayed;
  const known = (values: Array<number | undefined>) => {
    const present = values.filter((v): v is number => v !== undefined);
    return present.length ? present.reduce((a, b) => a + b, 0) : null;
  };
  return {
    total: queues.reduce((sum, q) => sum + depth(q), 0),
    arrived: known(queues.map((q) => q.inflow)),
    growth: known(queues.map((q) => q.growth)),
    windowMinutes: queues.find((q) => q.inflowWindowMinutes !== undefined)?.inflowWindowMinutes ?? 15,
    worst: queues
      .filter((q) => depth(q) > 0)
      .slice(0, WORST_QUEUES)
      .map((q) => ({ name: q.name, depth: depth(q), ...(q.inflow !== undefined ? { arrived: q.inflow } : {}) })),
  };
}

/**
 * "+3 in 15 min, net +1": what arrived over the window (the console's "+N" everywhere), and how what
 * the queues hold changed when that differs (letters replayed or deleted meanwhile).
 */
export function deadLetterTrend(d: Pick<DeadLetterSummary, "arrived" | "growth" | "windowMinutes">): string {
  if (d.arrived === null) return "arrivals unknown (no CloudWatch data)";
  const net = d.growth === null || d.growth === d.arrived ? "" : `, net ${d.growth > 0 ? "+" : ""}${d.growth}`;
  return `+${d.arrived} in ${d.windowMinutes} min${net}`;
}

/** Alarms in ALARM, as the topology read them; unknown when CloudWatch's alarms were not read. */
function alarmSummary(facts: IncidentFacts): Read<AlarmSummary> {
  const alarmsFailed = failedSources(facts).find((f) => f.source === "alarms");
  if (!facts.topology.ok || alarmsFailed) {
    return { ok: false, reason: alarmsFailed?.reason ?? "the topology was not read" };
  }
  const names = facts.topology.value.nodes
    .filter((n) => n.alarm?.state === "ALARM")
    .map((n) => n.name)
    .sort();
  return { ok: true, value: { firing: names.length, names } };
}

/**
 * One reason for sources that failed alike: the shortest when every other one contains it (a
 * topology that could not be read names the call that failed, as the dead-letter read does), else
 * each distinct one.
 */
export function commonReason(reasons: string[]): string {
  const distinct = [...new Set(reasons)];
  const shortest = [...distinct].sort((a, b) => a.length - b.length)[0];
  if (shortest === undefined) return "no source answered";
  return distinct.every((r) => r.includes(shortest)) ? shortest : distinct.join("; ");
}
