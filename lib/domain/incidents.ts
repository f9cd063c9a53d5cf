import { withKnownTags } from "./bindings";
import { formatDuration, sourceName, type DeadLetterQueue, type DeadLetterSource } from "./dead-letters";
import { percent, plural } from "./format";
import { BURN_ALERT_TIERS, resourceChartsHref, type BurnWindow, type ChartsTarget, type SlaFigures } from "./sla";
import { visibleSla, type SlaVisibility } from "./sla/visible";
import {
  nodeId,
  visibleTopology,
  type FindingCode,
  type MayView,
  type NodeKind,
  type Topology,
  type TopologyNode,
} from "./topology";
import { tagsOfNodes } from "./visibility";

/**
 * What is broken now: the incidents of an account, built from what the other views already know
 * (the topology's alarms, consumers and findings, the dead-letter queues, the SLA's burn alerts),
 * most severe first, each with the page that explains it. Pure: the operation reads the facts.
 */

/**
 * Most severe first. `critical`: users are hurt now and it gets worse until someone acts: an error
 * budget burning at a paging rate, an alarm in ALARM, dead letters still arriving or about to be
 * deleted by SQS, a configuration that loses messages. `warning`: harm done or building slowly that
 * waits for a person: dead letters sitting, a paused consumer's queue filling, a budget burning at a
 * ticket rate. `notice`: configuration AWS advises against, nothing failing because of it yet.
 */
export const SEVERITY_ORDER = ["critical", "warning", "notice"] as const;
export type IncidentSeverity = (typeof SEVERITY_ORDER)[number];

/**
 * Within a severity: measured harm to users (burn) before a threshold someone chose (alarm), before
 * failed messages (dead letters), before a consumer someone stopped, before configuration.
 */
export const KIND_ORDER = ["burn", "alarm", "dead-letters", "paused-consumer", "finding"] as const;
export type IncidentKind = (typeof KIND_ORDER)[number];

export interface IncidentLink {
  href: string;
  label: string;
}

export interface Incident {
  /** Stable across refreshes: the kind and what it is about. */
  id: string;
  severity: IncidentSeverity;
  kind: IncidentKind;
  /** Plain words, naming the resource. */
  title: string;
  /** The figures behind it, with their units and windows. */
  detail: string;
  /**
   * When it started, as near as AWS says (ISO): an alarm's last state change, a mapping's last
   * change, a dead-letter queue's oldest letter's enqueue time. Absent when AWS does not say.
   */
  since?: string;
  /** The page that explains it. */
  link: IncidentLink;
  /** Other places that help: its node on the topology, its traces. */
  related: IncidentLink[];
}

/** The sources the list is built from; one that could not be read is named, never read as "nothing broken". */
export type IncidentSource = "dead-letters" | "service-levels" | "alarms" | "consumers" | "configuration";

export const SOURCE_LABELS: Record<IncidentSource, string> = {
  "dead-letters": "Dead-letter queues",
  "service-levels": "Service levels (burn rates)",
  alarms: "CloudWatch alarms",
  consumers: "Lambda consumers",
  configuration: "Configuration findings",
};

export interface FailedSource {
  source: IncidentSource;
  reason: string;
}

export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A figure of the SLA as the incidents need it (lib/operations/sla.ts's ServiceSla fits). */
type BurnFigures = Pick<SlaFigures, "burnRates" | "firing" | "errorBudgetRemaining">;

export interface ServiceLevelFacts {
  services: Array<
    BurnFigures & {
      kind: "topic" | "queue" | "function" | "path";
      resource: string;
      nodeId: string;
      /** A path's subscription edge in the topology. */
      edgeId?: string;
      charts: ChartsTarget;
      /** A path left out of the end-to-end figure (the console's own tap queue). */
      outsideEndToEnd?: boolean;
    }
  >;
  /**
   * The pipeline end to end: its burn, and its SLI against the objective (the overview across
   * environments shows it). Absent where it is withheld from a caller: it counts resources outside their bindings.
   */
  endToEnd?: BurnFigures & Pick<SlaFigures, "sli" | "target" | "status">;
}

export interface IncidentFacts {
  now: number;
  topology: Read<Pick<Topology, "nodes" | "edges" | "warnings" | "partial">>;
  deadLetters: Read<{ deadLetterQueues: DeadLetterQueue[]; metricsUnavailable?: string }>;
  serviceLevels: Read<ServiceLevelFacts>;
}

export interface IncidentList {
  incidents: Incident[];
  /** Sources that did not answer (or only in part): the list may be missing what they would show. */
  failed: FailedSource[];
  /** Incidents left out: about resources the caller's bindings do not reach. Absent when they reach every one. */
  hidden?: number;
}

/** A dead letter SQS deletes within a day is about to be lost for good: as urgent as new ones arriving. */
export const EXPIRY_SOON_SECONDS = 86_400;

/** An incident and how big it is within its kind (burn rate, dead letters, messages waiting), for ordering. */
type Draft = Incident & { weight: number };

/**
 * What a caller may view, for the facts: a resource by its ARNs and tags (lib/operations/resource-access.ts
 * mayView), and one only CloudWatch names, by its kind and name.
 */
export type FactsVisibility = { mayView: MayView } & Pick<SlaVisibility, "unlisted">;

/** Whether the caller may view a queue known by its ARN, its tags as the topology read them. */
export function queueViewer(facts: IncidentFacts, mayView: MayView): (arn: string) => boolean {
  const tags = tagsOfNodes(facts.topology.ok ? facts.topology.value.nodes : []);
  return (arn) => mayView(withKnownTags({ arns: [arn] }, tags));
}

/**
 * The facts as a caller may view them, the way their topology and service levels show them: the
 * graph without what their bindings do not reach (lib/domain/topology/visible.ts), the dead-letter
 * queues they may view, the SLA's rows of what they may view and the end-to-end figure only when every
 * path it counts is among those (lib/domain/sla/visible.ts). A topology not read decides nothing: its
 * nodes' rows are left out too.
 */
export function visibleFacts(facts: IncidentFacts, visibility: FactsVisibility): IncidentFacts {
  const topology = facts.topology.ok ? visibleTopology(facts.topology.value, visibility.mayView) : undefined;
  const viewsQueue = queueViewer(facts, visibility.mayView);
  return {
    now: facts.now,
    topology: topology ? { ok: true, value: topology } : facts.topology,
    deadLetters: facts.deadLetters.ok
      ? {
          ok: true,
          value: {
            ...facts.deadLetters.value,
            deadLetterQueues: facts.deadLetters.value.deadLetterQueues.filter((q) => viewsQueue(q.arn)),
          },
        }
      : facts.deadLetters,
    serviceLevels: facts.serviceLevels.ok
      ? { ok: true, value: visibleLevels(facts.serviceLevels.value, topology ?? { nodes: [], edges: [] }, visibility) }
      : facts.serviceLevels,
  };
}

function visibleLevels(
  levels: ServiceLevelFacts,
  graph: SlaVisibility["graph"],
  { unlisted }: FactsVisibility,
): ServiceLevelFacts {
  const seen = visibleSla(
    { services: levels.services, endToEnd: levels.endToEnd, kinds: {}, latency: [], notes: [] },
    { graph, unlisted },
  );
  return { services: seen.services, ...(seen.endToEnd ? { endToEnd: seen.endToEnd } : {}) };
}

/**
 * The incidents, most severe first. With `visibility` (the caller's bindings reach some resources
 * only) they are built from the facts the caller may view, and `hidden` counts those left out.
 */
export function buildIncidents(facts: IncidentFacts, visibility?: FactsVisibility): IncidentList {
  if (!visibility) return incidentsOf(facts);
  const shown = incidentsOf(visibleFacts(facts, visibility));
  return { ...shown, hidden: incidentsOf(facts).incidents.length - shown.incidents.length };
}

function incidentsOf(facts: IncidentFacts): IncidentList {
  const drafts: Draft[] = [];
  if (facts.serviceLevels.ok) drafts.push(...burnIncidents(facts.serviceLevels.value));
  if (facts.topology.ok) drafts.push(...topologyIncidents(facts.topology.value));
  if (facts.deadLetters.ok) drafts.push(...deadLetterIncidents(facts.deadLetters.value.deadLetterQueues, facts.now));
  return {
    incidents: drafts.sort(bySeverity).map(({ weight: _weight, ...incident }) => incident),
    failed: failedSources(facts),
  };
}

/** Severity, then kind (KIND_ORDER), then the biggest, then the longest-standing, then by title. */
function bySeverity(a: Draft, b: Draft): number {
  const since = (d: Draft) => (d.since ? Date.parse(d.since) : Infinity);
  return (
    SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
    b.weight - a.weight ||
    since(a) - since(b) ||
    a.title.localeCompare(b.title)
  );
}

const topologyLink = (id: string): IncidentLink => ({
  href: `/topology?node=${encodeURIComponent(id)}`,
  label: "Show on the topology",
});

const deadLetterLink = (name: string): IncidentLink => ({
  href: `/dead-letters/${encodeURIComponent(name)}`,
  label: "Open the dead-letter queue",
});

const chartsLink = (target: ChartsTarget): IncidentLink => ({
  href: resourceChartsHref(target),
  label: "Open its charts",
});

const tracesLink = (service: string): IncidentLink => ({
  href: `/traces?service=${encodeURIComponent(service)}`,
  label: "Its traces",
});

const WINDOW_WORDS: Record<BurnWindow, string> = {
  "5m": "5 min",
  "30m": "30 min",
  "1h": "1 h",
  "6h": "6 h",
  "3d": "3 days",
};

const SERVICE_LABELS: Record<ServiceLevelFacts["services"][number]["kind"], (resource: string) => string> = {
  topic: (r) => `SNS delivery from topic ${r}`,
  queue: (r) => `processing of queue ${r}`,
  function: (r) => `function ${r}`,
  path: (r) => `path ${r}`,
};

/**
 * One incident per figure with a firing burn-rate alert, named by its most urgent tier (SRE
 * workbook, "Alerting on SLOs": the page tiers are critical, the ticket tier a warning).
 */
function burnIncidents(levels: ServiceLevelFacts): Draft[] {
  const subjects = [
    ...(levels.endToEnd
      ? [
          {
            key: "end-to-end",
            label: "the pipeline end to end",
            figures: levels.endToEnd,
            link: { href: "/dashboards", label: "Open the service levels" },
            related: [] as IncidentLink[],
          },
        ]
      : []),
    ...levels.services.map((s) => ({
      key: `${s.kind}:${s.resource}`,
      label: SERVICE_LABELS[s.kind](s.resource),
      figures: s,
      link: chartsLink(s.charts),
      related: [
        ...(s.nodeId ? [topologyLink(s.nodeId)] : []),
        ...(s.kind === "function" ? [tracesLink(s.resource)] : []),
      ],
    })),
  ];
  return subjects.flatMap(({ key, label, figures, link, related }): Draft[] => {
    const alert = figures.firing[0];
    const tier = alert && BURN_ALERT_TIERS.find((t) => t.tier === alert.tier);
    if (!alert || !tier) return [];
    const rate = (w: BurnWindow) => {
      const r = figures.burnRates[w];
      return `${r === null ? "no data" : `${r.toFixed(1)}×`} over the last ${WINDOW_WORDS[w]}`;
    };
    const action = alert.severity === "page" ? "pages" : "files a ticket";
    return [
      {
        id: `burn:${key}`,
        severity: alert.severity === "page" ? "critical" : "warning",
        kind: "burn",
        title: `Error budget burning: ${label}`,
        detail:
          `Burn rate ${rate(tier.long)} and ${rate(tier.short)}; the console ${action} above ${tier.threshold}× ` +
          `(${Math.round(tier.budgetSpent * 100)} % of the 30-day budget in ${WINDOW_WORDS[tier.long]}). ` +
          `${budgetLeft(figures.errorBudgetRemaining)}.`,
        link,
        related,
        weight: figures.burnRates[tier.long] ?? 0,
      },
    ];
  });
}

/** The 30-day error budget left, overspent or unknown, in words. */
export function budgetLeft(remaining: number | null): string {
  if (remaining === null) return "Error budget over 30 days: no data";
  if (remaining < 0) return `Error budget over 30 days overspent by ${percent(-remaining, 1)}`;
  return `${percent(remaining, 1)} of the 30-day error budget left`;
}

const KIND_WORDS: Record<NodeKind, string> = {
  topic: "topic",
  "subscription-endpoint": "endpoint",
  queue: "queue",
  dlq: "dead-letter queue",
  function: "function",
  alarm: "alarm",
};

/** Alarms in ALARM, paused consumers and findings, as the topology knows them. */
function topologyIncidents(topology: Pick<Topology, "nodes" | "edges" | "warnings">): Draft[] {
  const nodes = new Map(topology.nodes.map((n) => [n.id, n]));
  return [
    ...topology.nodes.flatMap((n) => (n.alarm?.state === "ALARM" ? [alarmIncident(n, topology, nodes)] : [])),
    ...pausedConsumerIncidents(topology, nodes),
    ...findingIncidents(topology, nodes),
  ];
}

/**
 * An alarm in ALARM, linked to what explains its metric: the dead-letter queue it watches, else the
 * charts of the resource it watches, else its own node.
 */
function alarmIncident(
  alarm: TopologyNode,
  topology: Pick<Topology, "edges">,
  nodes: Map<string, TopologyNode>,
): Draft {
  const watched = topology.edges
    .filter((e) => e.kind === "alarm" && e.from === alarm.id)
    .flatMap((e) => nodes.get(e.to) ?? []);
  const first = watched[0];
  let link = topologyLink(alarm.id);
  if (first?.kind === "dlq") link = deadLetterLink(first.name);
  else if (first?.kind === "queue" || first?.kind === "function" || first?.kind === "topic")
    link = chartsLink({ kind: first.kind, name: first.name });
  const { metricName, reason, updatedAt } = alarm.alarm!;
  return {
    id: `alarm:${alarm.arn}`,
    severity: "critical",
    kind: "alarm",
    title: `Alarm ${alarm.name} is firing${first ? ` on ${KIND_WORDS[first.kind]} ${first.name}` : ""}`,
    detail: `${metricName ? `${metricName}: ` : ""}${reason ?? "CloudWatch gives no reason."}`,
    ...(updatedAt ? { since: updatedAt } : {}),
    link,
    related: [
      ...(link.href.startsWith("/topology") ? [] : [topologyLink(alarm.id)]),
      ...(first?.kind === "function" ? [tracesLink(first.name)] : []),
    ],
    weight: 0,
  };
}

/**
 * A mapping Disabled or being disabled: Lambda does not poll the queue, so its messages wait
 * (Lambda Developer Guide, "Using Lambda with Amazon SQS": a disabled mapping stops polling).
 */
function pausedConsumerIncidents(topology: Pick<Topology, "edges">, nodes: Map<string, TopologyNode>): Draft[] {
  return topology.edges.flatMap((e): Draft[] => {
    const state = e.eventSource?.state;
    if (e.kind !== "event-source" || (state !== "Disabled" && state !== "Disabling")) return [];
    const queue = nodes.get(e.from);
    const fn = nodes.get(e.to);
    const queueName = queue?.name ?? e.from;
    const waiting = queue?.queue?.visible;
    return [
      {
        id: `paused-consumer:${e.eventSource!.uuid}`,
        severity: "warning",
        kind: "paused-consumer",
        title: `Consumer ${fn?.name ?? e.to} is paused on queue ${queueName}`,
        detail:
          `Lambda is not polling ${queueName} (mapping ${state}); ` +
          (waiting === undefined ? "its depth is unknown." : `${plural(waiting, "message")} waiting there now.`),
        ...(e.eventSource!.lastModified ? { since: e.eventSource!.lastModified } : {}),
        link: { ...topologyLink(e.from), label: "Show the queue and its consumer" },
        related: [],
        weight: waiting ?? 0,
      },
    ];
  });
}

const FINDING_TITLES: Record<FindingCode, string> = {
  "subscription-pending": "Subscription waiting for confirmation",
  "queue-unconsumed": "Queue nothing consumes",
  "subscription-missing-queue": "Subscription to a queue that does not exist",
  "queue-policy-denies-topic": "Queue policy keeps the topic out",
  "fifo-queue-on-standard-topic": "FIFO queue on a standard topic",
  "non-sqs-on-fifo-topic": "Endpoint a FIFO topic cannot deliver to",
  "fifo-queue-standard-dlq": "FIFO queue with a standard dead-letter queue",
  "standard-queue-fifo-dlq": "Standard queue with a FIFO dead-letter queue",
  "redrive-missing-dlq": "Dead-letter queue that does not exist",
  "dlq-without-alarm": "Dead-letter queue no alarm watches",
  "dlq-retention-shorter": "Dead-letter queue keeps letters for less time than its source",
  "visibility-timeout-below-function-timeout": "Visibility timeout shorter than the consumer's timeout",
  "visibility-timeout-below-advice": "Visibility timeout under AWS's advice",
  "max-receive-count-low": "maxReceiveCount too low for a Lambda consumer",
  "queue-aws-managed-key": "Encrypted with a key SNS cannot use",
  "subscription-dlq-not-fifo": "Subscription dead-letter queue that is not FIFO",
  "subscription-dlq-policy-denies-topic": "Subscription dead-letter queue that keeps the topic out",
};

/** The topology's findings: a critical one loses or duplicates messages, a warning is advice. */
function findingIncidents(topology: Pick<Topology, "warnings">, nodes: Map<string, TopologyNode>): Draft[] {
  return topology.warnings.map((f) => {
    const name = f.nodeId ? nodes.get(f.nodeId)?.name : undefined;
    return {
      id: `finding:${f.code}:${f.nodeId ?? ""}:${f.edgeId ?? ""}`,
      severity: f.severity === "critical" ? "critical" : "notice",
      kind: "finding",
      title: `${FINDING_TITLES[f.code]}${name ? `: ${name}` : ""}`,
      detail: f.message,
      link: f.nodeId ? topologyLink(f.nodeId) : { href: "/topology", label: "Open the topology" },
      related: [],
      weight: 0,
    };
  });
}

/**
 * Every DLQ holding messages. Arriving (something entered it over CloudWatch's last 15 minutes,
 * derived as the SLA derives it, leased letters included) or with its oldest letter expiring
 * within a day, it is critical; otherwise the letters wait.
 */
function deadLetterIncidents(queues: DeadLetterQueue[], now: number): Draft[] {
  return queues.flatMap((q): Draft[] => {
    const depth = q.visible + q.inFlight + q.delayed;
    if (depth === 0) return [];
    const arriving = (q.inflow ?? 0) > 0;
    const expiring = q.oldestExpiresInSeconds !== undefined && q.oldestExpiresInSeconds < EXPIRY_SOON_SECONDS;
    const window = `the last ${q.inflowWindowMinutes ?? 15} min`;
    const parts = [
      `${plural(depth, "dead letter")}${q.inFlight ? ` (${q.inFlight} being read)` : ""}`,
      q.inflow === undefined
        ? "arrivals unknown (no CloudWatch data)"
        : arriving
          ? `${q.inflow} arrived in ${window}`
          : `none new in ${window}`,
      ...(q.oldestAgeSeconds !== undefined
        ? [
            `oldest ${formatDuration(q.oldestAgeSeconds)} old, deleted by SQS in ${formatDuration(q.oldestExpiresInSeconds ?? 0)}`,
          ]
        : []),
      ...(q.sources.length ? [`from ${q.sources.map(feeder).join(" and ")}`] : []),
    ];
    return [
      {
        id: `dead-letters:${q.arn}`,
        severity: arriving || expiring ? "critical" : "warning",
        kind: "dead-letters",
        title: `${arriving ? "Dead letters arriving in" : "Dead letters waiting in"} ${q.name}`,
        detail: `${parts.join("; ")}.`,
        // On a standard queue the age counts from the first send to the source queue (SQS Developer
        // Guide, "Using dead-letter queues"): the letters have been failing at least that long.
        ...(q.oldestAgeSeconds !== undefined ? { since: new Date(now - q.oldestAgeSeconds * 1000).toISOString() } : {}),
        link: deadLetterLink(q.name),
        related: [topologyLink(nodeId("queue", q.arn))],
        weight: depth,
      },
    ];
  });
}

function feeder(source: DeadLetterSource): string {
  return source.kind === "queue"
    ? `queue ${source.name} after ${plural(source.maxReceiveCount, "receive")}`
    : `the subscription of ${sourceName(source)}`;
}

/** What a collected part of the topology feeds (lib/operations/topology.ts reads them separately). */
const SOURCES_OF_PART: Record<string, { label: string; sources: IncidentSource[] }> = {
  sns: { label: "SNS", sources: ["configuration"] },
  sqs: { label: "SQS", sources: ["configuration"] },
  lambda: { label: "Lambda", sources: ["consumers", "configuration"] },
  cloudwatch: { label: "CloudWatch", sources: ["alarms", "configuration"] },
};

/** Each source that did not answer, or answered in part, with the reasons joined. */
export function failedSources(facts: IncidentFacts): FailedSource[] {
  const reasons = new Map<IncidentSource, string[]>();
  const add = (source: IncidentSource, reason: string) => reasons.set(source, [...(reasons.get(source) ?? []), reason]);
  if (!facts.topology.ok) {
    for (const source of ["alarms", "consumers", "configuration"] as const) add(source, facts.topology.reason);
  } else {
    for (const p of facts.topology.value.partial) {
      const part = SOURCES_OF_PART[p.part] ?? { label: p.part, sources: ["configuration"] };
      for (const source of part.sources) add(source, `${part.label}: ${p.message}`);
    }
  }
  if (!facts.deadLetters.ok) add("dead-letters", facts.deadLetters.reason);
  else if (facts.deadLetters.value.metricsUnavailable)
    add("dead-letters", `arrivals and age from CloudWatch: ${facts.deadLetters.value.metricsUnavailable}`);
  if (!facts.serviceLevels.ok) add("service-levels", facts.serviceLevels.reason);
  return [...reasons].map(([source, list]) => ({ source, reason: list.join("; ") }));
}
