import { traceIdTime } from "./header";
import type { Trace, TraceStatus } from "./model";
import { allSpans } from "./parse";
import { resourceOf, resourceOfArn, statusOf, worstStatus, type ResourceRef } from "./spans";
import { traceBounds } from "./waterfall";

/** One line of the trace list, and the criteria the list is filtered by ("Use filter expressions"). */

export interface TraceListItem {
  id: string;
  /** Epoch ms. */
  start: number;
  durationMs: number | null;
  /** Worst over all spans: moto's summaries read top-level flags only, AWS reads all. */
  status: TraceStatus;
  /** The earliest root segment. */
  entry?: { name: string; origin?: string };
  /** Distinct segment names, sorted. */
  services: string[];
  /** Distinct by kind and name, sorted by kind then name. */
  resources: ResourceRef[];
  /** Merged over all spans, first seen wins. */
  annotations: Record<string, string | number | boolean>;
  /** Spans whose own flag is set. */
  counts: { errors: number; faults: number; throttles: number };
  /** Distinct trace ids of all links ("Tracing event-driven applications"), first seen first. */
  linkedTraceIds: string[];
  /** Any span in progress. */
  inProgress: boolean;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const distinctSorted = (names: Iterable<string>): string[] => [...new Set(names)].sort(compareText);

/** Adds a resource unless one of the same kind and name is there; an ARN learnt later is kept. */
function addResource(into: Map<string, ResourceRef>, r: ResourceRef): void {
  const key = `${r.kind}\u0000${r.name}`;
  const known = into.get(key);
  if (!known) into.set(key, { ...r });
  else if (known.arn === undefined && r.arn !== undefined) known.arn = r.arn;
}

const sortedResources = (byKey: Map<string, ResourceRef>): ResourceRef[] =>
  [...byKey.values()].sort((a, b) => compareText(a.kind, b.kind) || compareText(a.name, b.name));

export function summarizeTrace(trace: Trace): TraceListItem {
  const { start, durationMs, roots } = traceBounds(trace);
  const services = new Set<string>();
  const resources = new Map<string, ResourceRef>();
  const annotations: TraceListItem["annotations"] = {};
  const counts = { errors: 0, faults: 0, throttles: 0 };
  const linked = new Set<string>();
  const statuses: TraceStatus[] = [];
  let inProgress = false;

  for (const span of allSpans(trace)) {
    if (span.kind === "segment") services.add(span.name);
    const resource = resourceOf(span);
    if (resource) addResource(resources, resource);
    for (const [key, value] of Object.entries(span.annotations))
      if (!Object.hasOwn(annotations, key)) annotations[key] = value;
    if (span.error) counts.errors++;
    if (span.fault) counts.faults++;
    if (span.throttle) counts.throttles++;
    // A link back to this very trace says nothing about another one.
    for (const link of span.links) if (link.traceId !== trace.id) linked.add(link.traceId);
    statuses.push(statusOf(span));
    inProgress ||= span.inProgress;
  }

  const first = roots[0];
  return {
    id: trace.id,
    // Nothing readable: the id still says when the trace began ("Trace ID format").
    start: first ? start : (traceIdTime(trace.id)?.getTime() ?? 0),
    durationMs,
    status: worstStatus(statuses),
    ...(first ? { entry: { name: first.name, ...(first.origin !== undefined ? { origin: first.origin } : {}) } } : {}),
    services: distinctSorted(services),
    resources: sortedResources(resources),
    annotations,
    counts,
    linkedTraceIds: [...linked],
    inProgress,
  };
}

/** A trace status, or "failed" for anything but ok. */
export type StatusFilter = TraceStatus | "failed";

export interface TraceCriteria {
  /** A service name, a resource name or a resource ARN; case-insensitive, exact. */
  service?: string;
  /**
   * Other names that stand for `service`: a queue's consumers, since consumer traces name the
   * function, not the queue it read from. A trace naming any of them matches too.
   */
  alsoServices?: string[];
  status?: StatusFilter;
  minDurationMs?: number;
  /** Epoch ms, inclusive, on start. */
  from?: number;
  /** Epoch ms, exclusive, on start. */
  to?: number;
  /** The value is compared as String(value). */
  annotation?: { key: string; value: string };
}

/** "Use filter expressions" → "Boolean keywords": ok, error, fault, throttle. */
function matchesStatus(item: TraceListItem, status: StatusFilter): boolean {
  switch (status) {
    case "ok":
      return item.status === "ok";
    case "failed":
      return item.status !== "ok";
    // "Errors and exceptions": a throttle (429) is also an error.
    case "error":
      return item.counts.errors > 0 || item.counts.throttles > 0;
    case "fault":
      return item.counts.faults > 0;
    case "throttle":
      return item.counts.throttles > 0;
  }
}

export function matchesCriteria(item: TraceListItem, c: TraceCriteria): boolean {
  const service = c.service?.trim().toLowerCase();
  if (service) {
    const wanted = new Set([service, ...(c.alsoServices ?? []).map((n) => n.trim().toLowerCase())]);
    const names = [
      ...item.services,
      ...item.resources.flatMap((r) => (r.arn === undefined ? [r.name] : [r.name, r.arn])),
    ];
    if (!names.some((n) => wanted.has(n.toLowerCase()))) return false;
  }
  if (c.status !== undefined && !matchesStatus(item, c.status)) return false;
  // A trace still running has no duration yet, so it cannot be shown to be long enough.
  if (
    c.minDurationMs !== undefined &&
    (item.inProgress || item.durationMs === null || item.durationMs < c.minDurationMs)
  )
    return false;
  if (c.from !== undefined && item.start < c.from) return false;
  if (c.to !== undefined && item.start >= c.to) return false;
  if (c.annotation !== undefined) {
    // Own keys only: an annotation named "constructor" must not find Object.prototype's.
    const { key, value } = c.annotation;
    if (!Object.hasOwn(item.annotations, key) || String(item.annotations[key]) !== value) return false;
  }
  return true;
}

/** A string literal of a filter expression: `"` and `\` escaped by a backslash. */
const quoted = (text: string): string => `"${text.replace(/[\\"]/g, "\\$&")}"`;

const STATUS_KEYWORD: Record<StatusFilter, string> = {
  ok: "ok",
  error: "error",
  fault: "fault",
  throttle: "throttle",
  failed: "!ok",
};

/** "Use filter expressions": annotation keys are letters, digits and underscores. */
const ANNOTATION_KEY = /^[A-Za-z0-9_]+$/;

/** Milliseconds as seconds without trailing zeros; toFixed avoids the exponent String() gives tiny numbers. */
function seconds(ms: number): string {
  return (ms / 1000).toFixed(6).replace(/0+$/, "").replace(/\.$/, "");
}

/** The same criteria as an X-Ray filter expression ("Use filter expressions"), for endpoints that evaluate one; undefined when there is nothing to filter. */
export function filterExpression(c: Omit<TraceCriteria, "from" | "to">): string | undefined {
  const parts: string[] = [];
  const service = c.service?.trim();
  if (service) {
    const names = [service, ...(c.alsoServices ?? [])].map((n) => `service(${quoted(n)})`);
    parts.push(names.length === 1 ? names[0]! : `(${names.join(" OR ")})`);
  }
  if (c.status !== undefined) parts.push(STATUS_KEYWORD[c.status]);
  if (c.minDurationMs !== undefined) {
    if (!Number.isFinite(c.minDurationMs) || c.minDurationMs < 0)
      throw new RangeError(`not a duration: ${c.minDurationMs}`);
    parts.push(`duration >= ${seconds(c.minDurationMs)}`);
  }
  if (c.annotation !== undefined) {
    if (!ANNOTATION_KEY.test(c.annotation.key))
      throw new RangeError(`not an X-Ray annotation key: ${JSON.stringify(c.annotation.key)}`);
    parts.push(`annotation.${c.annotation.key} = ${quoted(c.annotation.value)}`);
  }
  return parts.length > 0 ? parts.join(" AND ") : undefined;
}

/** Structural copy of the fields of X-Ray's TraceSummary (GetTraceSummaries) that the list shows; no SDK import in the domain. */
export interface AwsTraceSummary {
  Id?: string;
  StartTime?: Date;
  /** Seconds. */
  Duration?: number;
  HasError?: boolean;
  HasFault?: boolean;
  HasThrottle?: boolean;
  IsPartial?: boolean;
  EntryPoint?: { Name?: string; Type?: string };
  ServiceIds?: Array<{ Name?: string; Names?: string[]; Type?: string }>;
  ResourceARNs?: Array<{ ARN?: string }>;
  Annotations?: Record<
    string,
    Array<{ AnnotationValue?: { NumberValue?: number; BooleanValue?: boolean; StringValue?: string } }>
  >;
}

/** A list item from an endpoint's own summary (used when the endpoint evaluated the filter); undefined without an Id. */
export function fromAwsSummary(s: AwsTraceSummary): TraceListItem | undefined {
  if (!s.Id) return undefined;
  const startTime = s.StartTime?.getTime();
  const start = startTime !== undefined && Number.isFinite(startTime) ? startTime : (traceIdTime(s.Id)?.getTime() ?? 0);
  const flags = { error: s.HasError === true, fault: s.HasFault === true, throttle: s.HasThrottle === true };
  const resources = new Map<string, ResourceRef>();
  for (const { ARN } of s.ResourceARNs ?? []) {
    const r = ARN === undefined ? undefined : resourceOfArn(ARN);
    if (r) addResource(resources, r);
  }
  const annotations: TraceListItem["annotations"] = {};
  for (const [key, values] of Object.entries(s.Annotations ?? {})) {
    for (const { AnnotationValue: v } of values) {
      const value = v?.StringValue ?? v?.NumberValue ?? v?.BooleanValue;
      if (value !== undefined) {
        annotations[key] = value;
        break;
      }
    }
  }
  const entryName = s.EntryPoint?.Name;
  return {
    id: s.Id,
    start,
    durationMs: s.Duration !== undefined && Number.isFinite(s.Duration) ? Math.round(s.Duration * 1000) : null,
    status: statusOf(flags),
    ...(entryName
      ? { entry: { name: entryName, ...(s.EntryPoint?.Type !== undefined ? { origin: s.EntryPoint.Type } : {}) } }
      : {}),
    services: distinctSorted(
      (s.ServiceIds ?? []).flatMap((sid) => [...(sid.Name !== undefined ? [sid.Name] : []), ...(sid.Names ?? [])]),
    ),
    resources: sortedResources(resources),
    annotations,
    counts: { errors: flags.error ? 1 : 0, faults: flags.fault ? 1 : 0, throttles: flags.throttle ? 1 : 0 },
    linkedTraceIds: [],
    inProgress: s.IsPartial === true,
  };
}
