import "server-only";
import { sharedResult } from "../shared-result";
import { processSingleton } from "../process-singleton";
import { AppError, validationError } from "../domain/app-error";
import {
  buildMessageStory,
  buildServiceMap,
  buildWaterfall,
  durationMs,
  filterExpression,
  fromAwsServiceGraph,
  fromAwsSummary,
  isTraceId,
  layoutServiceMap,
  maskAnnotations,
  maskTrace,
  matchesCriteria,
  parseTrace,
  parseTraceHeader,
  retrievalBatches,
  summarizeTrace,
  traceIdTime,
  tracedRecords,
  TRACE_WINDOWS,
  transactionSearchNote,
  usesTransactionSearch,
  type MessageStory,
  type ServiceMap,
  type Trace,
  type TraceCriteria,
  type TraceListItem,
  type TracedRecords,
  type TraceWindow,
  type TransactionSearchView,
  type Waterfall,
} from "../domain/traces";
import { knownCapability } from "../aws/call";
import type { OperationContext } from "./context";
import { probeCapability } from "../aws/capabilities";
import {
  batchGetTraces,
  getServiceGraph,
  getTraceSegmentDestination,
  getTraceSummaries,
  retrieveTraces,
  type RetrievalOptions,
} from "../aws/xray";
import { queueNameSchema } from "../schemas/dead-letters";
import { consumersOf, queueRedrivesInto } from "../domain/topology";
import { hiddenCount, shownTo, traceAbout } from "../domain/visibility";
import { getTopology } from "./topology";
import { arnsByName, listViewer } from "./resource-access";

/**
 * Traces: the list, the service map, one trace, and the story of a message. Where the endpoint
 * filters and maps itself (AWS) its answers are used; where it cannot (moto: FilterExpression is
 * "Not implemented yet", GetServiceGraph has no services) the traces are fetched and the filter
 * and map computed here, and every answer says how many traces it was derived from.
 */

/** Traces read to derive a list or a map: the newest ones of the window. */
export const MAX_DERIVED_TRACES = 300;
/** Summaries listed to pick the newest traces from; the UI shows "1000+" at this count. */
const MAX_LISTED_TRACES = 1000;
/** Traces read when looking for the consumers of one message, oldest first from its publish. */
export const MAX_STORY_TRACES = 1500;
/** A message's lifetime when the queue it came from is not known. */
const DEFAULT_STORY_WINDOW_MS = 15 * 60_000;
/** Consumers start after the publish; the scan starts a little before it for clock skew between hosts. */
const SKEW_MS = 5_000;

// --- Trace cache --------------------------------------------------------------------------------
// A finished trace rarely changes, and the list, the map and the stories read the same traces over
// and over. Young traces may still gain segments, so they are kept only briefly.

interface Cached {
  trace: Trace;
  until: number;
}
const CACHE_SIZE = 20_000;
const cache = processSingleton("traceCache", () => new Map<string, Cached>());

function cacheFor(trace: Trace, now: number): number {
  const started = traceIdTime(trace.id)?.getTime() ?? now;
  const settled = now - started > 5 * 60_000 && trace.segments.every((s) => !s.inProgress);
  return now + (settled ? 30 * 60_000 : 15_000);
}

// --- Transaction Search -------------------------------------------------------------------------
// GetTraceSegmentDestination says where spans go. With CloudWatch Transaction Search on, X-Ray
// indexes a sample of them and BatchGetTraces finds none ("You cannot find traces through this API
// if Transaction Search is enabled", API reference, BatchGetTraces): traces are then retrieved by id
// from the log group. An endpoint without the operation (moto) keeps X-Ray's own index.

/** The destination can be switched at any time; it is asked again after this long. */
const DESTINATION_TTL_MS = 5 * 60_000;
const destinations = processSingleton(
  "traceDestinations",
  () => new Map<string, { transactionSearch: boolean; until: number }>(),
);

/** Whether the account sends its spans to CloudWatch Logs (Transaction Search), asked at most every 5 minutes. */
export async function usesTransactionSearchNow(ctx: OperationContext, now = Date.now()): Promise<boolean> {
  if (knownCapability(ctx.aws.key, "xray", "GetTraceSegmentDestination") === "not_supported") return false;
  const key = ctx.aws.key;
  const known = destinations.get(key);
  if (known && known.until > now) return known.transactionSearch;
  try {
    const transactionSearch = usesTransactionSearch(await getTraceSegmentDestination(ctx.aws.clients));
    destinations.set(key, { transactionSearch, until: now + DESTINATION_TTL_MS });
    return transactionSearch;
  } catch (err) {
    // Missing or denied: X-Ray's own index, as before. A passing failure is asked again next time.
    const code = err instanceof AppError ? err.code : undefined;
    if (code === "not_supported_by_endpoint" || code === "access_denied")
      destinations.set(key, { transactionSearch: false, until: now + DESTINATION_TTL_MS });
    return false;
  }
}

/** The note a view carries when the account uses Transaction Search. */
export interface TransactionSearchInfo {
  destination: "CloudWatchLogs";
  note: string;
}

const transactionSearchInfo = (
  on: boolean,
  view: TransactionSearchView,
): { transactionSearch?: TransactionSearchInfo } =>
  on ? { transactionSearch: { destination: "CloudWatchLogs", note: transactionSearchNote(view) } } : {};

/** Test hook: how long to wait between ListRetrievedTraces polls. */
let retrievalOptions: RetrievalOptions = {};
export function setRetrievalOptions(options: RetrievalOptions): void {
  retrievalOptions = options;
}

/** Whole traces from the Transaction Search log group; what it does not have, from X-Ray's index (traces older than the switch). */
async function fetchTraceDocuments(ctx: OperationContext, ids: string[], transactionSearch: boolean, now: number) {
  const { key, clients } = ctx.aws;
  const retrievable =
    transactionSearch &&
    knownCapability(key, "xray", "StartTraceRetrieval") !== "not_supported" &&
    knownCapability(key, "xray", "ListRetrievedTraces") !== "not_supported";
  if (!retrievable) return { ...(await batchGetTraces(ids, clients)), pending: [] as string[] };
  let retrieved: Awaited<ReturnType<typeof retrieveTraces>>;
  try {
    retrieved = await retrieveTraces(retrievalBatches(ids, now), clients, retrievalOptions);
  } catch (err) {
    if (err instanceof AppError && err.code === "not_supported_by_endpoint")
      return { ...(await batchGetTraces(ids, clients)), pending: [] as string[] };
    throw err;
  }
  const fromIndex =
    retrieved.missing.length > 0 ? await batchGetTraces(retrieved.missing, clients) : { traces: [], missing: [] };
  return { traces: [...retrieved.traces, ...fromIndex.traces], missing: fromIndex.missing, pending: retrieved.pending };
}

/**
 * Traces by id, from the cache, or from BatchGetTraces (under Transaction Search, from the log
 * group first); ids the endpoint does not have come back as missing, ids whose retrieval did not
 * finish in time as pending.
 */
export async function loadTraces(
  ctx: OperationContext,
  ids: string[],
  now = Date.now(),
  transactionSearch = false,
): Promise<{ traces: Trace[]; missing: string[]; pending: string[] }> {
  const found: Trace[] = [];
  const wanted: string[] = [];
  // Filed under the environment: the same id in another account is another trace.
  const keyOf = (id: string) => `${ctx.aws.key}|${id}`;
  for (const id of new Set(ids)) {
    const hit = cache.get(keyOf(id));
    if (hit && hit.until > now) {
      cache.delete(keyOf(id));
      cache.set(keyOf(id), hit);
      found.push(hit.trace);
    } else wanted.push(id);
  }
  const { traces, missing, pending } =
    wanted.length > 0
      ? await fetchTraceDocuments(ctx, wanted, transactionSearch, now)
      : { traces: [], missing: [], pending: [] };
  for (const { id, documents } of traces) {
    const trace = parseTrace(id, documents);
    cache.set(keyOf(id), { trace, until: cacheFor(trace, now) });
    found.push(trace);
  }
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  // Masked as they leave, with the rules in force now (the cache keeps them as X-Ray gave them):
  // metadata, annotations and exception messages often carry the event a handler received.
  const rules = ctx.settings.mask;
  return { traces: found.map((t) => maskTrace(t, rules)), missing, pending };
}

// --- Queries ------------------------------------------------------------------------------------

export interface TraceQuery {
  window: TraceWindow;
  /** End of the window, epoch ms; now by default. */
  end?: number;
  criteria: Omit<TraceCriteria, "from" | "to">;
}

export interface Derivation {
  /** "endpoint": the endpoint filtered or mapped; "traces": computed here from the traces read. */
  source: "endpoint" | "traces";
  window: { from: number; to: number };
  /** Traces the endpoint listed in the window. */
  inWindow: number;
  /** Traces read and computed from (source "traces"). */
  derivedFrom: number;
  /** Not every trace of the window was read: the newest ones were. */
  capped: boolean;
  /** Present when the account uses CloudWatch Transaction Search: what that means for this view. */
  transactionSearch?: TransactionSearchInfo;
}

export interface TraceList extends Derivation {
  items: TraceListItem[];
  /** The service asked for is a queue: traces of its consumers were matched too. */
  queue?: { name: string; consumers: string[] };
  /**
   * Traces left out: every topic, queue and function they name is outside the caller's bindings.
   * Absent when the bindings reach every resource.
   */
  hidden?: number;
}

/**
 * The functions consuming the queue of this name, from the shared topology; undefined when the
 * account has no such queue. A consumer's trace names its function, not the queue it read, so a
 * queue's traces are theirs.
 */
async function queueConsumersOf(ctx: OperationContext, name: string): Promise<string[] | undefined> {
  const topology = await getTopology(ctx);
  const queue = topology.nodes.find((n) => n.queue !== undefined && !n.missing && n.name === name);
  return queue ? consumersOf(topology, [queue.id]) : undefined;
}

function windowOf(q: Pick<TraceQuery, "window" | "end">, now: number) {
  const to = q.end ?? now;
  return { from: to - TRACE_WINDOWS[q.window], to };
}

const summaryStart = (s: { StartTime?: Date; Id?: string }) =>
  s.StartTime?.getTime() ?? (s.Id ? (traceIdTime(s.Id)?.getTime() ?? 0) : 0);

/** The ids of trace summaries, newest or oldest first. */
function idsByStart(summaries: Array<{ StartTime?: Date; Id?: string }>, order: "newest" | "oldest"): string[] {
  const sign = order === "newest" ? -1 : 1;
  return summaries
    .filter((s): s is typeof s & { Id: string } => Boolean(s.Id))
    .sort((a, b) => sign * (summaryStart(a) - summaryStart(b)))
    .map((s) => s.Id);
}

/**
 * The newest traces of a window, read whole (a window over 6 hours is listed 6 hours at a time,
 * newest first), and the derivation of a view computed here from them.
 */
async function recentTraces(
  ctx: OperationContext,
  window: { from: number; to: number },
  now: number,
  transactionSearch: boolean,
) {
  const { summaries, more } = await getTraceSummaries(
    { start: new Date(window.from), end: new Date(window.to) },
    { maxPages: 50, maxTraces: MAX_LISTED_TRACES },
    ctx.aws.clients,
  );
  const ids = idsByStart(summaries, "newest");
  const { traces } = await loadTraces(ctx, ids.slice(0, MAX_DERIVED_TRACES), now, transactionSearch);
  const capped = more || ids.length > MAX_DERIVED_TRACES;
  return {
    traces,
    derivation: { source: "traces" as const, window, inWindow: ids.length, derivedFrom: traces.length, capped },
  };
}

/** How a view the endpoint filtered or mapped itself came about: nothing read or computed here. */
const fromEndpoint = (window: { from: number; to: number }, inWindow: number, capped: boolean) => ({
  source: "endpoint" as const,
  window,
  inWindow,
  derivedFrom: 0,
  capped,
});

/**
 * The trace list before the caller's bindings apply, shared a little under the page's 30-second refresh
 * like the SLA page: however many people watch the same list, X-Ray is asked as if one did. The key
 * names the environment and the whole query (a relative window moves with time, within the age).
 */
const sharedTraceLists = sharedResult(
  "trace-list",
  28_000,
  (_key, { ctx, q }: { ctx: OperationContext; q: TraceQuery }) => collectTraceList(ctx, q, Date.now()),
);

/** The traces of a query the caller may view; `now` given reads afresh at that moment (tests). */
export async function listTraces(ctx: OperationContext, q: TraceQuery, now?: number): Promise<TraceList> {
  const key = `${ctx.aws.key} ${JSON.stringify([q.window, q.end ?? null, q.criteria])}`;
  const { items, ...list } =
    now === undefined ? await sharedTraceLists.get(key, { ctx, q }) : await collectTraceList(ctx, q, now);
  return { ...list, ...(await viewableTraces(ctx, items)) };
}

/** Every trace of the query, read now, masked: what the shared list is made of. */
async function collectTraceList(ctx: OperationContext, q: TraceQuery, now: number): Promise<TraceList> {
  const window = windowOf(q, now);
  const consumers =
    q.criteria.service && queueNameSchema.safeParse(q.criteria.service).success
      ? await queueConsumersOf(ctx, q.criteria.service)
      : undefined;
  const queue = q.criteria.service && consumers ? { name: q.criteria.service, consumers } : undefined;
  const expanded = { ...q.criteria, ...(consumers?.length ? { alsoServices: consumers } : {}) };
  const expression = filterExpression(expanded);
  const transactionSearch = await usesTransactionSearchNow(ctx, now);
  const ts = transactionSearchInfo(transactionSearch, "list");
  if ((await probeCapability(ctx.aws, "xray", "GetTraceSummaries.FilterExpression")) === "supported") {
    const { summaries, more } = await getTraceSummaries(
      { start: new Date(window.from), end: new Date(window.to) },
      { ...(expression ? { filterExpression: expression } : {}), maxPages: 10 },
      ctx.aws.clients,
    );
    const rules = ctx.settings.mask;
    const items = summaries
      .flatMap((s) => fromAwsSummary(s) ?? [])
      .map((item) => ({ ...item, annotations: maskAnnotations(item.annotations, rules) }))
      .sort((a, b) => b.start - a.start);
    return { ...fromEndpoint(window, items.length, more), items, ...(queue ? { queue } : {}), ...ts };
  }
  const { traces, derivation } = await recentTraces(ctx, window, now, transactionSearch);
  const criteria: TraceCriteria = { ...expanded, from: window.from, to: window.to };
  const items = traces
    .map(summarizeTrace)
    .filter((item) => matchesCriteria(item, criteria))
    .sort((a, b) => b.start - a.start);
  return { ...derivation, items, ...(queue ? { queue } : {}), ...ts };
}

/**
 * The traces the caller may view: those naming a topic, queue or function their bindings reach, with
 * how many were left out; all of them, as they are, when the bindings reach every resource.
 */
async function viewableTraces(
  ctx: OperationContext,
  items: TraceListItem[],
): Promise<Pick<TraceList, "items" | "hidden">> {
  const mayView = await listViewer(ctx, ["queue", "topic"]);
  if (!mayView) return { items };
  const arnOf = await arnsByName(ctx);
  const { shown, hidden } = shownTo(items, (item) => traceAbout(item, arnOf), mayView);
  return { items: shown, ...hiddenCount(mayView, hidden) };
}

/** Wider columns than the topology's: service-map edges carry a line of figures. */
const MAP_GRID = { columnWidth: 440, rowHeight: 112 };

/**
 * Invocation durations (ms) per function, and per application, from the newest traces of a range:
 * each AWS::Lambda segment (the whole invocation as Lambda saw it) and each application segment.
 * Where CloudWatch computes no percentiles, these stand in; `traces` says how many were read. A
 * range over 6 hours (the SLA window, up to 30 days) is listed 6 hours at a time, newest first,
 * until enough traces were listed. `transactionSearch` says the traces are X-Ray's indexed sample.
 */
export async function durationsByService(
  ctx: OperationContext,
  range: { start: Date; end: Date },
  now = Date.now(),
): Promise<{ byService: Map<string, number[]>; traces: number; transactionSearch?: TransactionSearchInfo }> {
  const transactionSearch = await usesTransactionSearchNow(ctx, now);
  const { traces } = await recentTraces(
    ctx,
    { from: range.start.getTime(), to: range.end.getTime() },
    now,
    transactionSearch,
  );
  const byService = new Map<string, number[]>();
  for (const trace of traces) {
    for (const segment of trace.segments) {
      if (segment.origin !== undefined && segment.origin !== "AWS::Lambda") continue;
      const ms = durationMs(segment);
      if (ms !== null) byService.set(segment.name, [...(byService.get(segment.name) ?? []), ms]);
    }
  }
  return { byService, traces: traces.length, ...transactionSearchInfo(transactionSearch, "durations") };
}

/**
 * Per function, the batch records of its traced invocations in the newest traces of a range and
 * how many the handler reported failed (tracedRecords); `traces` says how many were read.
 */
export async function tracedRecordsByFunction(
  ctx: OperationContext,
  range: { start: Date; end: Date },
  now = Date.now(),
): Promise<{ byFunction: TracedRecords; traces: number }> {
  const transactionSearch = await usesTransactionSearchNow(ctx, now);
  const window = { from: range.start.getTime(), to: range.end.getTime() };
  const { traces } = await recentTraces(ctx, window, now, transactionSearch);
  return { byFunction: tracedRecords(traces), traces: traces.length };
}

export interface ServiceMapView extends Derivation {
  map: ServiceMap;
  positions: Record<string, { x: number; y: number }>;
}

export async function getServiceMap(
  ctx: OperationContext,
  q: Pick<TraceQuery, "window" | "end">,
  now = Date.now(),
): Promise<ServiceMapView> {
  const window = windowOf(q, now);
  const transactionSearch = await usesTransactionSearchNow(ctx, now);
  const ts = transactionSearchInfo(transactionSearch, "map");
  const services = await getServiceGraph({ start: new Date(window.from), end: new Date(window.to) }, ctx.aws.clients);
  if (services.length > 0) {
    const map = fromAwsServiceGraph(services);
    return {
      ...fromEndpoint(window, 0, false),
      map,
      positions: layoutServiceMap(map, MAP_GRID),
      ...ts,
    };
  }
  const { traces, derivation } = await recentTraces(ctx, window, now, transactionSearch);
  const map = buildServiceMap(traces);
  return {
    ...derivation,
    map,
    positions: layoutServiceMap(map, MAP_GRID),
    ...ts,
  };
}

export interface TraceView {
  summary: TraceListItem;
  waterfall: Waterfall;
  /** The traces this one links to (the producers of the messages it consumed), those still retained. */
  linked: TraceListItem[];
  /** Linked trace ids the endpoint no longer has, or never had. */
  linkedMissing: string[];
  /** Present when the account uses CloudWatch Transaction Search: the traces were retrieved from its log group. */
  transactionSearch?: TransactionSearchInfo;
}

export function checkTraceId(id: string): string {
  if (!isTraceId(id)) {
    const message = "an X-Ray trace id, 1-<8 hex digits>-<24 hex digits>";
    throw validationError("traceId", message);
  }
  return id.toLowerCase();
}

export async function getTraceView(ctx: OperationContext, id: string, now = Date.now()): Promise<TraceView> {
  const traceId = checkTraceId(id);
  const transactionSearch = await usesTransactionSearchNow(ctx, now);
  const { traces, pending } = await loadTraces(ctx, [traceId], now, transactionSearch);
  const trace = traces[0];
  if (!trace && pending.length > 0) {
    throw new AppError(
      "upstream_unavailable",
      `X-Ray is still retrieving trace ${id} from the Transaction Search log group; try again in a moment.`,
    );
  }
  if (!trace && transactionSearch) {
    throw new AppError(
      "not_found",
      `Trace ${id} is neither in this account's Transaction Search log group (aws/spans) nor in X-Ray's ` +
        `index: its spans were not sent, have not arrived yet, or are past the log group's retention.`,
    );
  }
  if (!trace) {
    throw new AppError(
      "not_found",
      `X-Ray has no trace ${id}: it was not recorded, is not indexed yet, or is past X-Ray's 30-day retention.`,
    );
  }
  const summary = summarizeTrace(trace);
  const {
    traces: linked,
    missing,
    pending: linkedPending,
  } = summary.linkedTraceIds.length > 0
    ? await loadTraces(ctx, summary.linkedTraceIds, now, transactionSearch)
    : { traces: [], missing: [], pending: [] };
  return {
    summary,
    waterfall: buildWaterfall(trace),
    linked: linked.map(summarizeTrace).sort((a, b) => a.start - b.start),
    linkedMissing: [...missing, ...linkedPending],
    ...transactionSearchInfo(transactionSearch, "trace"),
  };
}

export interface MessageStoryView {
  story: MessageStory;
  /** The producer's waterfall, when its trace was found. */
  producer?: Waterfall;
  /** Present when the account uses CloudWatch Transaction Search: what that means for the story. */
  transactionSearch?: TransactionSearchInfo;
}

/**
 * What the DLQ says about its messages' past: how long one can have been consumed before it got
 * there (the longest maxReceiveCount × visibility timeout of the queues that redrive to it, plus a
 * minute for polling: SQS moves a message after maxReceiveCount receives, "Using dead-letter
 * queues", each receive hiding it for the visibility timeout), and which functions consumed it.
 */
async function dlqContext(
  ctx: OperationContext,
  dlqName: string | undefined,
): Promise<{ lifetimeMs: number; consumers?: string[] }> {
  if (!dlqName) return { lifetimeMs: DEFAULT_STORY_WINDOW_MS };
  const topology = await getTopology(ctx);
  const dlq = topology.nodes.find((n) => n.queue?.isDlq && n.name === dlqName);
  const redrives = dlq ? queueRedrivesInto(topology, dlq.id) : [];
  if (redrives.length === 0) return { lifetimeMs: DEFAULT_STORY_WINDOW_MS };
  const nodes = new Map(topology.nodes.map((n) => [n.id, n]));
  const longest = Math.max(
    ...redrives.map(
      (e) => (e.redrive?.maxReceiveCount ?? 1) * (nodes.get(e.from)?.queue?.visibilityTimeoutSeconds ?? 30) * 1000,
    ),
  );
  const consumers = consumersOf(
    topology,
    redrives.map((e) => e.from),
  );
  return { lifetimeMs: longest + 60_000, ...(consumers.length > 0 ? { consumers } : {}) };
}

/**
 * The story of the message that carried `header`: its producer trace and every invocation linked
 * to it within the message's lifetime. A header that says nothing can be found (none, unreadable,
 * not sampled) is answered without calling X-Ray; one past retention asks only where spans go.
 */
export async function getMessageStory(
  ctx: OperationContext,
  input: { header?: string; dlq?: string; messageId?: string },
  now = Date.now(),
): Promise<MessageStoryView> {
  const unscanned = { from: now, to: now, traces: 0, complete: true };
  const root = input.header ? parseTraceHeader(input.header)?.root : undefined;
  // A header that says nothing can be found is answered without calling X-Ray at all.
  const precheck = buildMessageStory({
    ...(input.header ? { header: input.header } : {}),
    traces: [],
    scanned: unscanned,
    now,
  });
  if (precheck.state !== "not-found" && precheck.state !== "not-retained") return { story: precheck };
  const transactionSearch = await usesTransactionSearchNow(ctx, now);
  const ts = transactionSearchInfo(transactionSearch, "story");
  if (precheck.state !== "not-found" || !root) {
    return {
      story: transactionSearch
        ? buildMessageStory({ header: input.header!, traces: [], scanned: unscanned, now, transactionSearch })
        : precheck,
      ...ts,
    };
  }

  const start = traceIdTime(root)!.getTime();
  const from = start - SKEW_MS;
  const context = await dlqContext(ctx, input.dlq);
  const to = Math.min(now, start + context.lifetimeMs);
  // Consumers run after the publish: a long lifetime is listed 6 hours at a time from the publish on.
  const { summaries, more } = await getTraceSummaries(
    { start: new Date(from), end: new Date(Math.max(to, from + 1000)) },
    { maxPages: 100, maxTraces: MAX_STORY_TRACES + 1, order: "oldest" },
    ctx.aws.clients,
  );
  const ids = idsByStart(summaries, "oldest").filter((id) => id !== root);
  const scannedIds = ids.slice(0, MAX_STORY_TRACES);
  const { traces, pending } = await loadTraces(ctx, [root, ...scannedIds], now, transactionSearch);
  const story = buildMessageStory({
    header: input.header!,
    ...(input.messageId ? { messageId: input.messageId } : {}),
    ...(context.consumers ? { consumers: context.consumers } : {}),
    traces,
    scanned: {
      from,
      to,
      traces: scannedIds.length,
      complete: !more && ids.length <= MAX_STORY_TRACES && pending.length === 0,
    },
    now,
    ...(transactionSearch ? { transactionSearch } : {}),
  });
  const producer = traces.find((t) => t.id === root);
  return { story, ...(producer ? { producer: buildWaterfall(producer) } : {}), ...ts };
}
