import { traceIdTime } from "./header";

/**
 * The limits of X-Ray's query APIs, and how a longer question is cut to fit them. Pure.
 *
 * - GetTraceSummaries: the API reference gives StartTime and EndTime ("The start/end of the time
 *   frame for which to retrieve traces") without stating the longest frame it accepts, and lists
 *   InvalidRequestException ("The request is missing required parameters or has invalid
 *   parameters", API reference → GetTraceSummaries → Errors). Fanout asks for 6 hours or less per
 *   request, as its own trace windows do, so a long range costs more requests instead of a
 *   refused one.
 * - StartTraceRetrieval: at most 100 trace ids per request (API reference → StartTraceRetrieval →
 *   TraceIds, `TraceIdListForRetrieval` max 100), and "Retrievals will time out after 60 minutes.
 *   To execute long time ranges, consider segmenting into multiple retrievals."
 */

/** The longest range one GetTraceSummaries request asks for. */
export const MAX_SUMMARY_WINDOW_MS = 6 * 3_600_000;

export interface TimeWindow {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms. */
  to: number;
}

/**
 * Consecutive windows of at most `maxMs` covering [from, to] exactly, newest first by default
 * (the first window ends at `to`), or oldest first. An empty or inverted range is one window.
 */
export function summaryWindows(
  range: TimeWindow,
  order: "newest" | "oldest" = "newest",
  maxMs = MAX_SUMMARY_WINDOW_MS,
): TimeWindow[] {
  if (!(maxMs > 0)) throw new RangeError("maxMs must be positive");
  if (range.to - range.from <= maxMs) return [{ ...range }];
  const windows: TimeWindow[] = [];
  if (order === "newest") {
    for (let to = range.to; to > range.from; to -= maxMs) windows.push({ from: Math.max(range.from, to - maxMs), to });
  } else {
    for (let from = range.from; from < range.to; from += maxMs)
      windows.push({ from, to: Math.min(range.to, from + maxMs) });
  }
  return windows;
}

/** StartTraceRetrieval takes at most 100 trace ids per request. */
export const MAX_RETRIEVAL_IDS = 100;
/** One retrieval covers at most this span of trace start times: "Retrievals will time out after 60 minutes." */
export const MAX_RETRIEVAL_SPAN_MS = 3_600_000;
/** Spans of a trace are recorded after its start (the trace id's time): a consumer runs up to 15 minutes, plus slack. */
export const RETRIEVAL_TAIL_MS = 20 * 60_000;
/** Hosts' clocks differ a little: a span may carry a time slightly before its trace id's. */
const RETRIEVAL_SKEW_MS = 5_000;

export interface RetrievalBatch {
  ids: string[];
  window: TimeWindow;
}

/**
 * Trace ids grouped for StartTraceRetrieval: ordered by start time (the first field of the id),
 * at most 100 per group and at most an hour of start times per group, each with the time range
 * its spans can lie in (from a little before the first start to 20 minutes after the last, never
 * past `now`). Ids that are not trace ids are left out.
 */
export function retrievalBatches(ids: string[], now: number): RetrievalBatch[] {
  const timed = [...new Set(ids)]
    .flatMap((id) => {
      const at = traceIdTime(id)?.getTime();
      return at === undefined ? [] : [{ id, at }];
    })
    .sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
  const batches: RetrievalBatch[] = [];
  let current: Array<{ id: string; at: number }> = [];
  const close = () => {
    if (current.length === 0) return;
    const first = current[0]!.at;
    const last = current[current.length - 1]!.at;
    const from = first - RETRIEVAL_SKEW_MS;
    batches.push({
      ids: current.map((t) => t.id),
      window: { from, to: Math.max(from + 1000, Math.min(now, last + RETRIEVAL_TAIL_MS)) },
    });
    current = [];
  };
  for (const t of timed) {
    if (current.length === MAX_RETRIEVAL_IDS || (current.length > 0 && t.at - current[0]!.at > MAX_RETRIEVAL_SPAN_MS))
      close();
    current.push(t);
  }
  close();
  return batches;
}

/**
 * CloudWatch Transaction Search ("Enable Transaction Search" in the CloudWatch User Guide): when
 * GetTraceSegmentDestination answers `CloudWatchLogs` and `ACTIVE`, spans go to the `aws/spans` log
 * group and "by default you will also index 1% of ingested spans … as trace summary"; BatchGetTraces
 * notes "You cannot find traces through this API if Transaction Search is enabled since trace is
 * not indexed in X-Ray". Full traces come from StartTraceRetrieval and ListRetrievedTraces.
 */
export function usesTransactionSearch(destination: { destination?: string; status?: string }): boolean {
  return destination.destination === "CloudWatchLogs" && destination.status === "ACTIVE";
}

export type TransactionSearchView = "list" | "map" | "trace" | "story" | "durations";

const SAMPLE =
  "This account sends its traces to CloudWatch Logs (Transaction Search): X-Ray indexes only a sample of " +
  "spans as trace summaries, 1 % by default, and every span is searchable in CloudWatch's Transaction Search.";

/** What Transaction Search means for one view, in a sentence or two for the operator. */
export function transactionSearchNote(view: TransactionSearchView): string {
  switch (view) {
    case "list":
      return `${SAMPLE} This list shows the indexed sample, not every trace of the window.`;
    case "map":
      return (
        `${SAMPLE} This map is built from the indexed sample: its request counts are a ` +
        `fraction of the traffic, its rates and durations an estimate from that sample.`
      );
    case "durations":
      return `${SAMPLE} These durations come from the indexed sample.`;
    case "trace":
      return `${SAMPLE} Traces are read by id from the Transaction Search log group (StartTraceRetrieval), so a trace is found whether it was indexed or not.`;
    case "story":
      return (
        `${SAMPLE} The producer trace is read by id from the Transaction Search log group, but the invocations ` +
        `that consumed the message can only be found among the indexed sample: an invocation missing here may ` +
        `still have run. Search the aws/spans log group for spans linked to the producer trace to see them all.`
      );
  }
}
