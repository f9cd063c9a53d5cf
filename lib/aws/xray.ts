import "server-only";
import { GetSamplingRulesCommand, GetTraceSummariesCommand } from "@aws-sdk/client-xray";
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

/**
 * Durations (ms) of the sampled traces in a time range, per service they passed through, read
 * from trace summaries without a filter expression (not every endpoint evaluates one). At most
 * `maxPages` pages are read; the caller says how many traces a figure comes from.
 */
export async function traceDurationsByService(range: { start: Date; end: Date }, clients: AwsClients = getClients(), maxPages = 20): Promise<Map<string, number[]>> {
  const byService = new Map<string, number[]>();
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await callAws("xray", "GetTraceSummaries", () => clients.xray.send(new GetTraceSummariesCommand({ StartTime: range.start, EndTime: range.end, NextToken: nextToken })));
    for (const t of page.TraceSummaries ?? []) {
      if (t.Duration === undefined) continue;
      for (const service of t.ServiceIds ?? []) {
        if (service.Name) byService.set(service.Name, [...(byService.get(service.Name) ?? []), t.Duration * 1000]);
      }
    }
    nextToken = page.NextToken;
  } while (nextToken && ++pages < maxPages);
  return byService;
}
