import type { Span, Trace, TraceException, TraceStatus } from "./model";
import { allSpans } from "./parse";
import { durationMs, exceptionsById, exceptionsOf, resourceOf, statusOf, worstStatus, type ResourceRef } from "./spans";

/**
 * The waterfall of one trace: every segment and subsegment as a row, nested the way X-Ray nests
 * them ("AWS X-Ray segment documents": subsegments inside their segment; a segment's `parent_id`
 * naming the segment or subsegment that called it, which may be in the same trace).
 */

export interface WaterfallRow {
  id: string;
  /** 0 for root segments. */
  depth: number;
  name: string;
  kind: "segment" | "subsegment";
  /** Name of the segment this row belongs to (itself for a segment). */
  service: string;
  /** Segments only. */
  origin?: string;
  /** Subsegments only. */
  namespace?: string;
  /** Whole milliseconds from the trace's start (the earliest span start). */
  offsetMs: number;
  /** Null while in progress. */
  durationMs: number | null;
  status: TraceStatus;
  inProgress: boolean;
  /** Causes given by reference are resolved. */
  exceptions: TraceException[];
  http?: Span["http"];
  aws?: Span["aws"];
  resource?: ResourceRef;
  annotations: Span["annotations"];
  metadata?: Record<string, unknown>;
  /** The row this one is nested under. */
  parentRowId?: string;
  /** Direct children rows. */
  childCount: number;
}

export interface Waterfall {
  traceId: string;
  /** Epoch ms of the earliest span start; 0 for a trace without segments. */
  start: number;
  /** Latest end − start; null while a root segment has no end time, or when nothing has ended. */
  durationMs: number | null;
  /** Worst over all spans. */
  status: TraceStatus;
  /** Depth-first: each row followed by its descendants; siblings by start then id. */
  rows: WaterfallRow[];
  /** Rows whose own flags are set and that carry exceptions — the place to look first. Faults first. */
  failures: Array<{ rowId: string; status: TraceStatus; exceptions: TraceException[] }>;
  unreadable: number;
}

// Code-point order, not localeCompare: ids are hex and the order must not depend on the locale.
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byStartThenId = (a: Span, b: Span): number => a.start - b.start || compareText(a.id, b.id);

interface Nesting {
  /** Root segments, earliest first. */
  roots: Span[];
  /** Segments nested under a span of the same trace, keyed by that span (not by id: ids may repeat in hostile documents). */
  attached: Map<Span, Span[]>;
  /** The segment each span belongs to. */
  segmentOf: Map<Span, Span>;
}

/**
 * Which segment nests under which span. `parent_id` comes from untrusted documents, so a chain of
 * them may loop; every segment on such a loop becomes a root, which leaves a forest.
 */
function nest(trace: Trace): Nesting {
  const byId = new Map<string, Span>();
  const segmentOf = new Map<Span, Span>();
  for (const segment of trace.segments) {
    const stack = [segment];
    while (stack.length > 0) {
      const s = stack.pop()!;
      segmentOf.set(s, segment);
      if (!byId.has(s.id)) byId.set(s.id, s);
      stack.push(...s.children);
    }
  }

  const caller = new Map<Span, Span>();
  for (const segment of trace.segments) {
    const parent = segment.parentId === undefined ? undefined : byId.get(segment.parentId);
    if (parent) caller.set(segment, parent);
  }
  const up = (segment: Span): Span | undefined => {
    const parent = caller.get(segment);
    return parent && segmentOf.get(parent);
  };

  // Walk each chain of callers once; a segment met again on the same walk closes a loop.
  const done = new Set<Span>();
  const inCycle = new Set<Span>();
  for (const segment of trace.segments) {
    const path = new Map<Span, number>();
    const order: Span[] = [];
    let current: Span | undefined = segment;
    while (current && !done.has(current) && !path.has(current)) {
      path.set(current, order.length);
      order.push(current);
      current = up(current);
    }
    const loopStart = current === undefined ? undefined : path.get(current);
    if (loopStart !== undefined) for (const s of order.slice(loopStart)) inCycle.add(s);
    for (const s of order) done.add(s);
  }

  const roots: Span[] = [];
  const attached = new Map<Span, Span[]>();
  for (const segment of trace.segments) {
    const parent = caller.get(segment);
    if (!parent || inCycle.has(segment)) {
      roots.push(segment);
      continue;
    }
    const list = attached.get(parent);
    if (list) list.push(segment);
    else attached.set(parent, [segment]);
  }
  roots.sort(byStartThenId);
  return { roots, attached, segmentOf };
}

function bounds(trace: Trace, roots: Span[]): { startS: number | undefined; start: number; durationMs: number | null } {
  let startS: number | undefined;
  let endS: number | undefined;
  for (const s of allSpans(trace)) {
    if (startS === undefined || s.start < startS) startS = s.start;
    if (s.end !== undefined && (endS === undefined || s.end > endS)) endS = s.end;
  }
  if (startS === undefined) return { startS, start: 0, durationMs: null };
  // A root still running means the trace's end is not known yet, whatever else has ended.
  const open = endS === undefined || roots.some((r) => r.end === undefined);
  return {
    startS,
    start: Math.round(startS * 1000),
    durationMs: open ? null : durationMs({ start: startS, end: endS }),
  };
}

/**
 * Start (epoch ms), duration and root segments of a trace, by the rules of {@link buildWaterfall};
 * shared with the trace list so both agree.
 */
export function traceBounds(trace: Trace): { start: number; durationMs: number | null; roots: Span[] } {
  const { roots } = nest(trace);
  const { start, durationMs: duration } = bounds(trace, roots);
  return { start, durationMs: duration, roots };
}

const FAILURE_RANK: Record<TraceStatus, number> = { fault: 0, throttle: 1, error: 2, ok: 3 };

export function buildWaterfall(trace: Trace): Waterfall {
  const { roots, attached, segmentOf } = nest(trace);
  const { startS, start, durationMs: total } = bounds(trace, roots);
  const byId = exceptionsById(trace);
  const rows: WaterfallRow[] = [];
  const seen = new Set<Span>();

  // Iterative, so a long chain of segments calling segments cannot overflow the stack.
  const stack: Array<{ span: Span; depth: number; parent?: WaterfallRow }> = [...roots]
    .reverse()
    .map((span) => ({ span, depth: 0 }));
  while (stack.length > 0) {
    const { span, depth, parent } = stack.pop()!;
    // A Trace built by hand could share a span object between two places; show it once.
    if (seen.has(span)) continue;
    seen.add(span);
    const resource = resourceOf(span);
    const row: WaterfallRow = {
      id: span.id,
      depth,
      name: span.name,
      kind: span.kind,
      service: (segmentOf.get(span) ?? span).name,
      ...(span.origin !== undefined ? { origin: span.origin } : {}),
      ...(span.namespace !== undefined ? { namespace: span.namespace } : {}),
      offsetMs: Math.round((span.start - (startS ?? span.start)) * 1000),
      durationMs: durationMs(span),
      status: statusOf(span),
      inProgress: span.inProgress,
      exceptions: exceptionsOf(span, byId),
      ...(span.http !== undefined ? { http: span.http } : {}),
      ...(span.aws !== undefined ? { aws: span.aws } : {}),
      ...(resource !== undefined ? { resource } : {}),
      annotations: span.annotations,
      ...(span.metadata !== undefined ? { metadata: span.metadata } : {}),
      ...(parent !== undefined ? { parentRowId: parent.id } : {}),
      childCount: 0,
    };
    if (parent) parent.childCount++;
    rows.push(row);
    const children = [...span.children, ...(attached.get(span) ?? [])].sort(byStartThenId);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ span: children[i]!, depth: depth + 1, parent: row });
  }

  const failures = rows
    .filter((r) => r.status !== "ok" && r.exceptions.length > 0)
    .sort((a, b) => FAILURE_RANK[a.status] - FAILURE_RANK[b.status] || a.offsetMs - b.offsetMs)
    .map((r) => ({ rowId: r.id, status: r.status, exceptions: r.exceptions }));

  return {
    traceId: trace.id,
    start,
    durationMs: total,
    status: worstStatus(rows.map((r) => r.status)),
    rows,
    failures,
    unreadable: trace.unreadable,
  };
}

/** Narrowest bar drawn, in percent, so a zero-length span stays visible. */
const MIN_WIDTH_PCT = 0.5;

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/**
 * Where a row's bar sits, in percent of the trace's duration. While the trace is in progress the
 * scale is the furthest point known so far; an in-progress row extends to the end.
 */
export function spanTimeline(w: Waterfall, row: WaterfallRow): { leftPct: number; widthPct: number } {
  const total = w.durationMs ?? w.rows.reduce((max, r) => Math.max(max, r.offsetMs + (r.durationMs ?? 0)), 0);
  if (total <= 0) return { leftPct: 0, widthPct: 100 };
  const left = clamp((row.offsetMs / total) * 100, 0, 100);
  const right = row.durationMs === null ? 100 : clamp(((row.offsetMs + row.durationMs) / total) * 100, left, 100);
  const widthPct = Math.max(MIN_WIDTH_PCT, right - left);
  // A minimum-width bar at the very end is moved left rather than drawn past the edge.
  return { leftPct: Math.min(left, 100 - widthPct), widthPct };
}
