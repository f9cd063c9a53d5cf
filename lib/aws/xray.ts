import "server-only";
import { GetSamplingRulesCommand, GetTraceSummariesCommand } from "@aws-sdk/client-xray";
import type { AwsClients } from "./clients";
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
