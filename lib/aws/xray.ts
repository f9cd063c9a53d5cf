import "server-only";
import {
  BatchGetTracesCommand,
  GetSamplingRulesCommand,
  GetServiceGraphCommand,
  GetTraceSegmentDestinationCommand,
  GetTraceSummariesCommand,
  ListRetrievedTracesCommand,
  StartTraceRetrievalCommand,
  type Service,
  type TraceSummary,
} from "@aws-sdk/client-xray";
import { AppError } from "../domain/app-error";
import { summaryWindows, type RetrievalBatch } from "../domain/traces/query-limits";
import type { AwsClients } from "./clients";
import { callAws, callAwsPages, type Probe } from "./call";
import { mapWithConcurrency } from "./concurrency";

function lastMinute() {
  const end = new Date();
  return { StartTime: new Date(end.getTime() - 60_000), EndTime: end };
}

export async function pingXRay(clients: AwsClients): Promise<void> {
  await callAws(clients, "xray", "GetTraceSummaries", () =>
    clients.xray.send(new GetTraceSummariesCommand(lastMinute())),
  );
}

export const xrayProbes: Record<string, Probe> = {
  // Filtering is a separate capability: some endpoints list traces but cannot filter them.
  "GetTraceSummaries.FilterExpression": (clients) =>
    clients.xray.send(new GetTraceSummariesCommand({ ...lastMinute(), FilterExpression: "ok" })),
  GetSamplingRules: (clients) => clients.xray.send(new GetSamplingRulesCommand({})),
  // Where spans go: CloudWatchLogs means Transaction Search (API reference, GetTraceSegmentDestination).
  GetTraceSegmentDestination: (clients) => clients.xray.send(new GetTraceSegmentDestinationCommand({})),
};

export interface TraceSummaryPage {
  summaries: TraceSummary[];
  /** More summaries matched than were read (the page or trace cap stopped the reading). */
  more: boolean;
}

export interface TraceSummaryOptions {
  filterExpression?: string;
  /** Pages read at most in each window (a window over 6 hours is several). */
  maxPages?: number;
  /** Summaries read at most, over all windows: reading stops once this many were read. */
  maxTraces?: number;
  /** Which end of a long range is read first: the newest windows (default) or the oldest. */
  order?: "newest" | "oldest";
}

/**
 * Trace summaries in a time range, with the filter expression when given ("Use filter
 * expressions"). A range over 6 hours is asked for in consecutive windows of 6 hours at most
 * (`summaryWindows`), newest first unless told otherwise; within a window, pages come as the
 * endpoint orders them. Reads at most `maxPages` pages of a window, and stops once `maxTraces`
 * summaries were read.
 */
export async function getTraceSummaries(
  range: { start: Date; end: Date },
  options: TraceSummaryOptions,
  clients: AwsClients,
): Promise<TraceSummaryPage> {
  const operation = options.filterExpression ? "GetTraceSummaries.FilterExpression" : "GetTraceSummaries";
  const maxPages = options.maxPages ?? 20;
  const maxTraces = options.maxTraces ?? Infinity;
  const windows = summaryWindows({ from: range.start.getTime(), to: range.end.getTime() }, options.order);
  const summaries: TraceSummary[] = [];
  for (const [w, window] of windows.entries()) {
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await callAws(clients, "xray", operation, () =>
        clients.xray.send(
          new GetTraceSummariesCommand({
            StartTime: new Date(window.from),
            EndTime: new Date(window.to),
            ...(options.filterExpression ? { FilterExpression: options.filterExpression } : {}),
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
        ),
      ).catch((err: unknown) => {
        throw rejectedQuery(err, window);
      });
      summaries.push(...(page.TraceSummaries ?? []));
      nextToken = page.NextToken;
      pages++;
      if (summaries.length >= maxTraces) return { summaries, more: Boolean(nextToken) || w < windows.length - 1 };
      if (nextToken && pages >= maxPages) return { summaries, more: true };
    } while (nextToken);
  }
  return { summaries, more: false };
}

/** X-Ray refused a query (InvalidRequestException, mapped to validation): name the window asked for. */
function rejectedQuery(err: unknown, window: { from: number; to: number }): unknown {
  if (!(err instanceof AppError) || err.code !== "validation") return err;
  const span = `${new Date(window.from).toISOString()} to ${new Date(window.to).toISOString()}`;
  return new AppError("validation", `${err.message} (asked for traces from ${span})`, { cause: err });
}

/** BatchGetTraces takes at most five trace ids per request (API reference, BatchGetTraces → TraceIds). */
export const TRACES_PER_BATCH = 5;

export interface TraceDocuments {
  id: string;
  documents: string[];
}

/**
 * The segment documents of the given traces, five ids per request and a few requests at a time.
 * Ids the endpoint does not know (not recorded, not yet indexed, or past retention) are returned
 * as `missing`.
 */
export async function batchGetTraces(
  ids: string[],
  clients: AwsClients,
  concurrency = 4,
): Promise<{ traces: TraceDocuments[]; missing: string[] }> {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += TRACES_PER_BATCH) chunks.push(ids.slice(i, i + TRACES_PER_BATCH));
  const traces = new Map<string, string[]>();
  const missing = new Set<string>();
  const fetchChunk = async (chunk: string[]) => {
    let nextToken: string | undefined;
    do {
      const page = await callAws(clients, "xray", "BatchGetTraces", () =>
        clients.xray.send(
          new BatchGetTracesCommand({ TraceIds: chunk, ...(nextToken ? { NextToken: nextToken } : {}) }),
        ),
      );
      for (const t of page.Traces ?? []) {
        if (!t.Id) continue;
        traces.set(t.Id, [
          ...(traces.get(t.Id) ?? []),
          ...(t.Segments ?? []).flatMap((s) => (s.Document ? [s.Document] : [])),
        ]);
      }
      for (const id of page.UnprocessedTraceIds ?? []) missing.add(id);
      nextToken = page.NextToken;
    } while (nextToken);
  };
  await mapWithConcurrency(chunks, concurrency, fetchChunk);
  for (const id of ids) if (!traces.has(id)) missing.add(id);
  return { traces: [...traces].map(([id, documents]) => ({ id, documents })), missing: [...missing] };
}

/** Where the endpoint sends trace segments, as GetTraceSegmentDestination answers. */
export async function getTraceSegmentDestination(
  clients: AwsClients,
): Promise<{ destination?: string; status?: string }> {
  const out = await callAws(clients, "xray", "GetTraceSegmentDestination", () =>
    clients.xray.send(new GetTraceSegmentDestinationCommand({})),
  );
  return {
    ...(out.Destination ? { destination: out.Destination } : {}),
    ...(out.Status ? { status: out.Status } : {}),
  };
}

export interface RetrievalOptions {
  /** Waits between ListRetrievedTraces polls; injectable so tests need not wait. */
  sleep?: (ms: number) => Promise<void>;
  /** Polls per retrieval before giving up on it (its ids are then reported `pending`). */
  maxPolls?: number;
}

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Whole traces from the Transaction Search log group: one StartTraceRetrieval per batch (at most
 * 100 ids and an hour of start times, `retrievalBatches`), then ListRetrievedTraces in the XRAY
 * format, whose span documents are segment documents as BatchGetTraces returns them ("For
 * information on what each trace returns, see BatchGetTraces"). "When the RetrievalStatus is not
 * COMPLETE, the API will return an empty response. Retry the request once the retrieval has
 * completed" (API reference, ListRetrievedTraces): polled with a growing wait. Ids of a retrieval
 * that did not complete in time are `pending`; ids it completed without are `missing`.
 */
export async function retrieveTraces(
  batches: RetrievalBatch[],
  clients: AwsClients,
  options: RetrievalOptions = {},
): Promise<{ traces: TraceDocuments[]; missing: string[]; pending: string[] }> {
  const sleep = options.sleep ?? sleepMs;
  const maxPolls = options.maxPolls ?? 12;
  const found = new Map<string, string[]>();
  const missing: string[] = [];
  const pending: string[] = [];

  /** The documents of one retrieval by trace id, or undefined when it did not complete. */
  const retrieve = async (batch: RetrievalBatch): Promise<Map<string, string[]> | undefined> => {
    const started = await callAws(clients, "xray", "StartTraceRetrieval", () =>
      clients.xray.send(
        new StartTraceRetrievalCommand({
          TraceIds: batch.ids,
          StartTime: new Date(batch.window.from),
          EndTime: new Date(batch.window.to),
        }),
      ),
    );
    const token = started.RetrievalToken;
    if (!token) return undefined;
    for (let poll = 0; poll < maxPolls; poll++) {
      if (poll > 0) await sleep(Math.min(2_000, 250 * 2 ** (poll - 1)));
      const documents = new Map<string, string[]>();
      let nextToken: string | undefined;
      let status: string | undefined;
      do {
        const page = await callAws(clients, "xray", "ListRetrievedTraces", () =>
          clients.xray.send(
            new ListRetrievedTracesCommand({
              RetrievalToken: token,
              TraceFormat: "XRAY",
              ...(nextToken ? { NextToken: nextToken } : {}),
            }),
          ),
        );
        status = page.RetrievalStatus;
        if (status !== "COMPLETE") break;
        for (const t of page.Traces ?? []) {
          if (!t.Id) continue;
          documents.set(t.Id, [
            ...(documents.get(t.Id) ?? []),
            ...(t.Spans ?? []).flatMap((s) => (s.Document ? [s.Document] : [])),
          ]);
        }
        nextToken = page.NextToken;
      } while (nextToken);
      if (status === "COMPLETE") return documents;
      // Ended without its traces: they are pending, and a later request starts another retrieval.
      if (status === "FAILED" || status === "CANCELLED" || status === "TIMEOUT") return undefined;
    }
    return undefined;
  };

  // A few retrievals at a time: each is a job on the service side, polled until it completes.
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(4, batches.length) }, async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        const documents = await retrieve(batch);
        if (!documents) {
          pending.push(...batch.ids);
          continue;
        }
        for (const [id, docs] of documents) found.set(id, [...(found.get(id) ?? []), ...docs]);
        missing.push(...batch.ids.filter((id) => !documents.has(id)));
      }
    }),
  );
  return { traces: [...found].map(([id, documents]) => ({ id, documents })), missing, pending };
}

/** The endpoint's own service graph for a time range; an endpoint that does not build one answers with no services. */
export async function getServiceGraph(
  range: { start: Date; end: Date },
  clients: AwsClients,
  maxPages = 10,
): Promise<Service[]> {
  return callAwsPages(clients, "xray", "GetServiceGraph", {
    request: (nextToken) =>
      clients.xray.send(
        new GetServiceGraphCommand({
          StartTime: range.start,
          EndTime: range.end,
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      ),
    read: (page) => ({ items: page.Services, next: page.NextToken }),
    maxPages: maxPages,
  });
}
