import "server-only";
import { BatchGetTracesCommand, GetSamplingRulesCommand, GetServiceGraphCommand, GetTraceSummariesCommand, type Service, type TraceSummary } from "@aws-sdk/client-xray";
import { getClients, type AwsClients } from "./clients";
import { callAws, type Probe } from "./call";

function lastMinute() {
  const end = new Date();
  return { StartTime: new Date(end.getTime() - 60_000), EndTime: end };
}

export async function pingXRay(clients: AwsClients): Promise<void> {
  await callAws("xray", "GetTraceSummaries", () => clients.xray.send(new GetTraceSummariesCommand(lastMinute())));
}

export const xrayProbes: Record<string, Probe> = {
  // Filtering is a separate capability: some endpoints list traces but cannot filter them.
  "GetTraceSummaries.FilterExpression": (clients) =>
    clients.xray.send(new GetTraceSummariesCommand({ ...lastMinute(), FilterExpression: "ok" })),
  GetSamplingRules: (clients) => clients.xray.send(new GetSamplingRulesCommand({})),
};

export interface TraceSummaryPage {
  summaries: TraceSummary[];
  /** More summaries matched than were read (the page cap stopped the reading). */
  more: boolean;
}

/**
 * Trace summaries in a time range, newest pages as the endpoint orders them, with the filter
 * expression when given ("Use filter expressions"). Reads at most `maxPages` pages.
 */
export async function getTraceSummaries(
  range: { start: Date; end: Date },
  options: { filterExpression?: string; maxPages?: number } = {},
  clients: AwsClients = getClients(),
): Promise<TraceSummaryPage> {
  const summaries: TraceSummary[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await callAws("xray", options.filterExpression ? "GetTraceSummaries.FilterExpression" : "GetTraceSummaries", () =>
      clients.xray.send(
        new GetTraceSummariesCommand({
          StartTime: range.start,
          EndTime: range.end,
          ...(options.filterExpression ? { FilterExpression: options.filterExpression } : {}),
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      ),
    );
    summaries.push(...(page.TraceSummaries ?? []));
    nextToken = page.NextToken;
  } while (nextToken && ++pages < (options.maxPages ?? 20));
  return { summaries, more: Boolean(nextToken) };
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
export async function batchGetTraces(ids: string[], clients: AwsClients = getClients(), concurrency = 4): Promise<{ traces: TraceDocuments[]; missing: string[] }> {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += TRACES_PER_BATCH) chunks.push(ids.slice(i, i + TRACES_PER_BATCH));
  const traces = new Map<string, string[]>();
  const missing = new Set<string>();
  const fetchChunk = async (chunk: string[]) => {
    let nextToken: string | undefined;
    do {
      const page = await callAws("xray", "BatchGetTraces", () => clients.xray.send(new BatchGetTracesCommand({ TraceIds: chunk, ...(nextToken ? { NextToken: nextToken } : {}) })));
      for (const t of page.Traces ?? []) {
        if (!t.Id) continue;
        traces.set(t.Id, [...(traces.get(t.Id) ?? []), ...(t.Segments ?? []).flatMap((s) => (s.Document ? [s.Document] : []))]);
      }
      for (const id of page.UnprocessedTraceIds ?? []) missing.add(id);
      nextToken = page.NextToken;
    } while (nextToken);
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, chunks.length) }, async () => {
      while (next < chunks.length) await fetchChunk(chunks[next++]!);
    }),
  );
  for (const id of ids) if (!traces.has(id)) missing.add(id);
  return { traces: [...traces].map(([id, documents]) => ({ id, documents })), missing: [...missing] };
}

/** The endpoint's own service graph for a time range; an endpoint that does not build one answers with no services. */
export async function getServiceGraph(range: { start: Date; end: Date }, clients: AwsClients = getClients(), maxPages = 10): Promise<Service[]> {
  const services: Service[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await callAws("xray", "GetServiceGraph", () => clients.xray.send(new GetServiceGraphCommand({ StartTime: range.start, EndTime: range.end, ...(nextToken ? { NextToken: nextToken } : {}) })));
    services.push(...(page.Services ?? []));
    nextToken = page.NextToken;
  } while (nextToken && ++pages < maxPages);
  return services;
}
