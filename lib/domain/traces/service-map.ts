import { percentile } from "../sla/latency";
import type { Span, Trace, TraceStatus } from "./model";
import { durationMs, resourceOf, statusOf, type ResourceRef } from "./spans";

/**
 * A service map: who calls whom, and how the calls went. X-Ray draws one itself ("Using the service
 * map", GetServiceGraph API reference), but some endpoints (e.g. moto) return an empty graph, so
 * {@link buildServiceMap} derives the same picture from the traces; {@link fromAwsServiceGraph}
 * turns the endpoint's own graph into the same shape, so the console draws either one alike.
 */

export interface LatencyStats {
  /** Samples with a known duration. */
  count: number;
  /** Nearest-rank percentiles (always an observed value), null without samples. */
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  /**
   * Counts per bucket; upToMs is the bucket's inclusive upper bound, Infinity for the last. Every
   * bucket of {@link LATENCY_BUCKETS_MS}, in order, empty ones included, so histograms line up.
   */
  histogram: Array<{ upToMs: number; count: number }>;
}

export const LATENCY_BUCKETS_MS: readonly number[] = Object.freeze([
  1,
  2,
  5,
  10,
  20,
  50,
  100,
  200,
  500,
  1000,
  2000,
  5000,
  10000,
  30000,
  60000,
  Infinity,
]);

export interface CallStats {
  requests: number;
  /** Disjoint, each sample counted once by its worst flag (statusOf); they sum to requests. */
  ok: number;
  errors: number;
  faults: number;
  throttles: number;
  /** Counts / requests; 0 when requests = 0. */
  errorRate: number;
  faultRate: number;
  throttleRate: number;
  /**
   * Samples that answered, but with a fault inside their own work: a subsegment that is not a call
   * out, such as a batch record the handler caught and reported. X-Ray counts them as OK; an
   * operator wants to see them. Always 0 from an endpoint's graph, which cannot tell.
   */
  innerFaults: number;
  latency: LatencyStats;
}

export interface ServiceMapNode {
  /** Stable key: `segment:<origin>:<name>`, `resource:<kind>:<arn or name>`, `remote:<name>` or `service:<ReferenceId>`. */
  id: string;
  name: string;
  /** Segment origin, "application", AWS::SNS::Topic / AWS::SQS::Queue / AWS::Lambda::Function for an inferred resource, "remote"; or GetServiceGraph's Type. */
  type: string;
  resource?: ResourceRef;
  /** Known only from a caller's subsegment, no segment of its own. */
  inferred: boolean;
  /** The node's own work: its segments, or for an inferred node the subsegments that called it. */
  stats: CallStats;
}

export interface ServiceMapEdge {
  /** `${from}->${to}:${kind}` */
  id: string;
  from: string;
  to: string;
  /** "call": synchronous request; "link": asynchronous delivery (a message from producer to consumer). */
  kind: "call" | "link";
  stats: CallStats;
}

export interface ServiceMap {
  /** Sorted by id. */
  nodes: ServiceMapNode[];
  /** Sorted by id. */
  edges: ServiceMapEdge[];
  source: "traces" | "endpoint";
  /** Traces it was derived from (0 for "endpoint"). */
  traces: number;
  /** Links whose producer trace (or span in it) was not among the traces given. */
  unresolvedLinks: number;
}

/** One request: its status and latency (null while in progress, still a request). */
interface Sample {
  status: TraceStatus;
  latencyMs: number | null;
  innerFault?: boolean;
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function histogramOf(weighted: Iterable<{ ms: number; count: number }>): LatencyStats["histogram"] {
  const histogram = LATENCY_BUCKETS_MS.map((upToMs) => ({ upToMs, count: 0 }));
  for (const { ms, count } of weighted) {
    // The last bound is Infinity, so every finite value finds a bucket.
    const bucket = histogram.find((b) => ms <= b.upToMs);
    if (bucket) bucket.count += count;
  }
  return histogram;
}

function rates(
  counts: Pick<CallStats, "ok" | "errors" | "throttles" | "faults">,
  latency: LatencyStats,
  innerFaults = 0,
): CallStats {
  const requests = counts.ok + counts.errors + counts.throttles + counts.faults;
  const rate = (n: number) => (requests === 0 ? 0 : n / requests);
  return {
    requests,
    ...counts,
    errorRate: rate(counts.errors),
    faultRate: rate(counts.faults),
    throttleRate: rate(counts.throttles),
    innerFaults,
    latency,
  };
}

function statsOf(samples: readonly Sample[]): CallStats {
  const counts = { ok: 0, errors: 0, throttles: 0, faults: 0 };
  const latencies: number[] = [];
  let innerFaults = 0;
  for (const s of samples) {
    if (s.innerFault) innerFaults++;
    if (s.status === "ok") counts.ok++;
    else if (s.status === "error") counts.errors++;
    else if (s.status === "throttle") counts.throttles++;
    else counts.faults++;
    if (s.latencyMs !== null && Number.isFinite(s.latencyMs)) latencies.push(s.latencyMs);
  }
  return rates(
    counts,
    {
      count: latencies.length,
      p50Ms: percentile(latencies, 50),
      p90Ms: percentile(latencies, 90),
      p99Ms: percentile(latencies, 99),
      histogram: histogramOf(latencies.map((ms) => ({ ms, count: 1 }))),
    },
    innerFaults,
  );
}

/** A fault in a span's own work below it: in a subsegment that is not a call out (a callee's fault is the callee's). */
function hasInnerFault(span: Span): boolean {
  const stack = [...span.children];
  while (stack.length > 0) {
    const sub = stack.pop()!;
    if (isCall(sub)) continue;
    if (sub.fault) return true;
    stack.push(...sub.children);
  }
  return false;
}

const sampleOf = (span: Span): Sample => ({
  status: statusOf(span),
  latencyMs: durationMs(span),
  ...(statusOf(span) !== "fault" && hasInnerFault(span) ? { innerFault: true } : {}),
});

const RESOURCE_TYPE: Record<ResourceRef["kind"], string> = {
  topic: "AWS::SNS::Topic",
  queue: "AWS::SQS::Queue",
  function: "AWS::Lambda::Function",
};

const segmentKey = (segment: Span) => `segment:${segment.origin ?? "application"}:${segment.name}`;

/** "AWS X-Ray segment documents": namespace "aws" marks an AWS SDK call, "remote" another downstream call. */
const isCall = (span: Span) => span.kind === "subsegment" && (span.namespace === "aws" || span.namespace === "remote");

interface Located {
  span: Span;
  /** The top-level segment the span belongs to (itself for a segment). */
  segment: Span;
}

/** Every span of a trace by id, with its segment; parent ids of the trace's segments. */
function indexTrace(trace: Trace): { spans: Map<string, Located>; answered: Set<string> } {
  const spans = new Map<string, Located>();
  const answered = new Set<string>();
  for (const segment of trace.segments) {
    if (segment.parentId !== undefined) answered.add(segment.parentId);
    // Iterative: parse.ts bounds the depth, but a stack costs nothing here.
    const stack: Span[] = [segment];
    while (stack.length > 0) {
      const span = stack.pop()!;
      if (!spans.has(span.id)) spans.set(span.id, { span, segment });
      stack.push(...span.children);
    }
  }
  return { spans, answered };
}

/**
 * The service map the traces describe ("Using the service map"): a node per service (segments by
 * origin and name) and per downstream resource only a caller's subsegment knows of; "call" edges
 * for synchronous calls, "link" edges from a producer's publish to the consumer it reached
 * ("Tracing event-driven applications"), their latency the delivery delay.
 */
export function buildServiceMap(traces: Trace[]): ServiceMap {
  const nodes = new Map<string, { node: Omit<ServiceMapNode, "stats">; samples: Sample[] }>();
  const edges = new Map<string, { edge: Omit<ServiceMapEdge, "stats">; samples: Sample[] }>();
  const addNode = (node: Omit<ServiceMapNode, "stats">, sample?: Sample): string => {
    let entry = nodes.get(node.id);
    if (!entry) nodes.set(node.id, (entry = { node, samples: [] }));
    if (sample) entry.samples.push(sample);
    return node.id;
  };
  const addEdge = (from: string, to: string, kind: ServiceMapEdge["kind"], sample: Sample) => {
    const id = `${from}->${to}:${kind}`;
    let entry = edges.get(id);
    if (!entry) edges.set(id, (entry = { edge: { id, from, to, kind }, samples: [] }));
    entry.samples.push(sample);
  };
  const segmentNode = (segment: Span): Omit<ServiceMapNode, "stats"> => {
    const resource = resourceOf(segment);
    return {
      id: segmentKey(segment),
      name: segment.name,
      type: segment.origin ?? "application",
      ...(resource ? { resource } : {}),
      inferred: false,
    };
  };
  /** The downstream node of a call subsegment: its resource when it names one, else a remote by name. */
  const calleeNode = (sub: Span): Omit<ServiceMapNode, "stats"> => {
    const resource = resourceOf(sub);
    if (resource)
      return {
        id: `resource:${resource.kind}:${resource.arn ?? resource.name}`,
        name: resource.name,
        type: RESOURCE_TYPE[resource.kind],
        resource,
        inferred: true,
      };
    return { id: `remote:${sub.name}`, name: sub.name, type: "remote", inferred: true };
  };

  const indexes = new Map<string, ReturnType<typeof indexTrace>>();
  for (const trace of traces) indexes.set(trace.id, indexTrace(trace));

  let unresolvedLinks = 0;
  for (const trace of traces) {
    const { spans, answered } = indexes.get(trace.id) ?? indexTrace(trace);
    for (const segment of trace.segments) {
      const self = addNode(segmentNode(segment), sampleOf(segment));

      // A segment called from another segment of this trace, e.g. Lambda's function segment whose
      // parent is the AWS::Lambda service segment ("Using AWS Lambda with AWS X-Ray").
      const parent = segment.parentId !== undefined ? spans.get(segment.parentId) : undefined;
      if (parent && parent.segment !== segment) addEdge(segmentKey(parent.segment), self, "call", sampleOf(segment));

      // Calls out whose callee sent no segment of its own: the callee is known only from here.
      const stack: Span[] = [...segment.children];
      while (stack.length > 0) {
        const sub = stack.pop()!;
        stack.push(...sub.children);
        if (!isCall(sub) || answered.has(sub.id)) continue;
        const callee = addNode(calleeNode(sub), sampleOf(sub));
        addEdge(self, callee, "call", sampleOf(sub));
      }

      // "Tracing event-driven applications": the consumer's segment links to the span of the
      // producer trace that sent the message (from the message's trace header).
      for (const link of segment.links) {
        const producer = indexes.get(link.traceId)?.spans.get(link.id);
        if (!producer) {
          unresolvedLinks++;
          continue;
        }
        const producerAnswered = indexes.get(link.traceId)?.answered.has(producer.span.id) ?? false;
        const from =
          isCall(producer.span) && !producerAnswered && resourceOf(producer.span)
            ? addNode(calleeNode(producer.span))
            : segmentKey(producer.segment);
        // Delivery delay: from the end of the publish to the consumer's start; clock skew between
        // hosts can make it negative, which means "about none".
        const sent = producer.span.end ?? producer.span.start;
        addEdge(from, self, "link", {
          status: statusOf(segment),
          latencyMs: Math.max(0, Math.round((segment.start - sent) * 1000)),
        });
      }
    }
  }

  return {
    nodes: [...nodes.values()]
      .map(({ node, samples }) => ({ ...node, stats: statsOf(samples) }))
      .sort((a, b) => byCodeUnits(a.id, b.id)),
    edges: [...edges.values()]
      .map(({ edge, samples }) => ({ ...edge, stats: statsOf(samples) }))
      .sort((a, b) => byCodeUnits(a.id, b.id)),
    source: "traces",
    traces: traces.length,
    unresolvedLinks,
  };
}

// ---------------------------------------------------------------------------------------------
// The endpoint's own service graph

/** GetServiceGraph's ServiceStatistics / EdgeStatistics (the same fields). */
export interface AwsSummaryStatistics {
  TotalCount?: number;
  OkCount?: number;
  /** Seconds, summed over completed requests. */
  TotalResponseTime?: number;
  /** 4XX; throttles (429) are counted in TotalCount too. */
  ErrorStatistics?: { TotalCount?: number; ThrottleCount?: number; OtherCount?: number };
  /** 5XX. */
  FaultStatistics?: { TotalCount?: number; OtherCount?: number };
}

/** HistogramEntry: Value in seconds, Count requests. */
export type AwsHistogram = Array<{ Value?: number; Count?: number }>;

export interface AwsEdge {
  ReferenceId?: number;
  SummaryStatistics?: AwsSummaryStatistics;
  /** Only populated for synchronous edges. */
  ResponseTimeHistogram?: AwsHistogram;
  /** "link" for an asynchronous connection. */
  EdgeType?: string;
  /** Age of the event when the consumer received it; only when EdgeType is "link". */
  ReceivedEventAgeHistogram?: AwsHistogram;
}

/**
 * Structural copy of X-Ray's GetServiceGraph Service shape (no SDK import in the domain), the
 * fields the map uses; an SDK `Service` is assignable to it.
 */
export interface AwsService {
  ReferenceId?: number;
  Name?: string;
  Names?: string[];
  Root?: boolean;
  AccountId?: string;
  /** e.g. AWS::Lambda::Function, AWS::SNS, "client", "remote". */
  Type?: string;
  SummaryStatistics?: AwsSummaryStatistics;
  ResponseTimeHistogram?: AwsHistogram;
  DurationHistogram?: AwsHistogram;
  Edges?: AwsEdge[];
}

const count = (v: number | undefined): number => (v !== undefined && Number.isFinite(v) && v > 0 ? v : 0);

/** Nearest rank over weighted values: the smallest value with at least p % of the weight at or below it (same rule as percentile()). */
function weightedPercentile(
  sorted: ReadonlyArray<{ ms: number; count: number }>,
  total: number,
  p: number,
): number | null {
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const entry of sorted) {
    seen += entry.count;
    if (seen >= rank) return entry.ms;
  }
  return sorted[sorted.length - 1]?.ms ?? null;
}

function latencyFromHistogram(histogram: AwsHistogram | undefined): LatencyStats {
  // Walked by weight rather than expanded into values: counts are requests and may be millions.
  const entries = (histogram ?? [])
    .flatMap((e) =>
      e.Value !== undefined && Number.isFinite(e.Value) && e.Value >= 0 && count(e.Count) > 0
        ? [{ ms: Math.round(e.Value * 1e6) / 1e3, count: count(e.Count) }]
        : [],
    )
    .sort((a, b) => a.ms - b.ms);
  const total = entries.reduce((sum, e) => sum + e.count, 0);
  return {
    count: total,
    p50Ms: weightedPercentile(entries, total, 50),
    p90Ms: weightedPercentile(entries, total, 90),
    p99Ms: weightedPercentile(entries, total, 99),
    histogram: histogramOf(entries),
  };
}

/**
 * Counters made disjoint like the trace-derived ones: errors without throttles. Missing OkCount is
 * what TotalCount leaves; requests is the sum of the four, so the invariant holds even for an
 * inconsistent response.
 */
function statsFromSummary(summary: AwsSummaryStatistics | undefined, histogram: AwsHistogram | undefined): CallStats {
  const errorTotal = count(summary?.ErrorStatistics?.TotalCount);
  const throttles = count(summary?.ErrorStatistics?.ThrottleCount);
  const faults = count(summary?.FaultStatistics?.TotalCount);
  const ok =
    summary?.OkCount !== undefined
      ? count(summary.OkCount)
      : Math.max(0, count(summary?.TotalCount) - errorTotal - faults);
  return rates({ ok, errors: Math.max(0, errorTotal - throttles), throttles, faults }, latencyFromHistogram(histogram));
}

const TYPE_RESOURCE: Record<string, ResourceRef["kind"]> = {
  "AWS::SNS": "topic",
  "AWS::SNS::Topic": "topic",
  "AWS::SQS": "queue",
  "AWS::SQS::Queue": "queue",
  "AWS::Lambda": "function",
  "AWS::Lambda::Function": "function",
};

/**
 * A map from the endpoint's own service graph (GetServiceGraph API reference: Service, Edge,
 * EdgeStatistics, HistogramEntry). Node ids are `service:<ReferenceId>`; a service without one
 * cannot be referenced and is left out, as is an edge to a service not in the list. Link edges
 * take their latency from ReceivedEventAgeHistogram (the delivery delay, as in buildServiceMap),
 * since ResponseTimeHistogram is only populated for synchronous edges. Whether a service sent
 * segments of its own is not in the graph, so no node is marked inferred.
 */
export function fromAwsServiceGraph(services: AwsService[]): ServiceMap {
  const nodes = new Map<string, ServiceMapNode>();
  for (const s of services) {
    if (s.ReferenceId === undefined) continue;
    const id = `service:${s.ReferenceId}`;
    if (nodes.has(id)) continue;
    const name = s.Name ?? s.Names?.[0] ?? id;
    const kind = s.Type !== undefined ? TYPE_RESOURCE[s.Type] : undefined;
    nodes.set(id, {
      id,
      name,
      type: s.Type ?? "remote",
      ...(kind ? { resource: { kind, name } } : {}),
      inferred: false,
      stats: statsFromSummary(s.SummaryStatistics, s.ResponseTimeHistogram ?? s.DurationHistogram),
    });
  }
  const edges = new Map<string, ServiceMapEdge>();
  for (const s of services) {
    if (s.ReferenceId === undefined) continue;
    const from = `service:${s.ReferenceId}`;
    for (const e of s.Edges ?? []) {
      const to = `service:${e.ReferenceId}`;
      if (e.ReferenceId === undefined || !nodes.has(to)) continue;
      const kind = e.EdgeType === "link" ? "link" : "call";
      const id = `${from}->${to}:${kind}`;
      if (edges.has(id)) continue;
      const histogram =
        kind === "link" ? (e.ReceivedEventAgeHistogram ?? e.ResponseTimeHistogram) : e.ResponseTimeHistogram;
      edges.set(id, { id, from, to, kind, stats: statsFromSummary(e.SummaryStatistics, histogram) });
    }
  }
  return {
    nodes: [...nodes.values()].sort((a, b) => byCodeUnits(a.id, b.id)),
    edges: [...edges.values()].sort((a, b) => byCodeUnits(a.id, b.id)),
    source: "endpoint",
    traces: 0,
    unresolvedLinks: 0,
  };
}

// ---------------------------------------------------------------------------------------------
// Layout

/**
 * Layered left to right by longest path from nodes without incoming edges (cycles broken by
 * visiting order); rows in a column sorted by name then id. Positions are top-left corners on a
 * grid. Linear in nodes + edges (plus the sorts).
 */
export function layoutServiceMap(
  map: ServiceMap,
  options: { columnWidth?: number; rowHeight?: number } = {},
): Record<string, { x: number; y: number }> {
  const columnWidth = options.columnWidth ?? 340;
  const rowHeight = options.rowHeight ?? 112;
  const byId = new Map(map.nodes.map((n) => [n.id, n]));
  const order = (a: ServiceMapNode, b: ServiceMapNode) => a.name.localeCompare(b.name) || byCodeUnits(a.id, b.id);

  const out = new Map<string, string[]>();
  const hasIncoming = new Set<string>();
  for (const e of map.edges) {
    if (!byId.has(e.from) || !byId.has(e.to) || e.from === e.to) continue;
    const list = out.get(e.from);
    if (list) list.push(e.to);
    else out.set(e.from, [e.to]);
    hasIncoming.add(e.to);
  }
  for (const list of out.values()) list.sort((a, b) => order(byId.get(a)!, byId.get(b)!));

  // Depth-first from the sources, then from whatever a cycle left unvisited: an edge back to a
  // node still on the stack closes a cycle and is dropped; the rest is a DAG in post-order.
  const sorted = [...map.nodes].sort(order);
  const starts = [...sorted.filter((n) => !hasIncoming.has(n.id)), ...sorted.filter((n) => hasIncoming.has(n.id))];
  const state = new Map<string, "open" | "done">();
  const postOrder: string[] = [];
  const dag = new Map<string, string[]>();
  for (const start of starts) {
    if (state.has(start.id)) continue;
    const stack: Array<{ id: string; next: number }> = [{ id: start.id, next: 0 }];
    state.set(start.id, "open");
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const targets = out.get(top.id) ?? [];
      if (top.next < targets.length) {
        const to = targets[top.next++]!;
        if (state.get(to) === "open") continue;
        const kept = dag.get(top.id);
        if (kept) kept.push(to);
        else dag.set(top.id, [to]);
        if (!state.has(to)) {
          state.set(to, "open");
          stack.push({ id: to, next: 0 });
        }
      } else {
        state.set(top.id, "done");
        postOrder.push(top.id);
        stack.pop();
      }
    }
  }

  // Reverse post-order is a topological order of the DAG: relax longest paths along it.
  const column = new Map<string, number>();
  for (let i = postOrder.length - 1; i >= 0; i--) {
    const id = postOrder[i]!;
    const col = column.get(id) ?? 0;
    column.set(id, col);
    for (const to of dag.get(id) ?? []) column.set(to, Math.max(column.get(to) ?? 0, col + 1));
  }

  const positions: Record<string, { x: number; y: number }> = {};
  const rows: number[] = [];
  for (const n of sorted) {
    const col = column.get(n.id) ?? 0;
    const row = rows[col] ?? 0;
    rows[col] = row + 1;
    positions[n.id] = { x: col * columnWidth, y: row * rowHeight };
  }
  return positions;
}
