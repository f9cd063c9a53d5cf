import "server-only";
import { ListMessageMoveTasksCommand, ListQueuesCommand } from "@aws-sdk/client-sqs";
import { getConfig } from "../env";
import { getClients, type AwsClients } from "./clients";
import { callAws, type Probe } from "./call";

export interface QueueSummary {
  name: string;
  url: string;
  fifo: boolean;
}

function queueNameFromUrl(url: string): string {
  return url.slice(url.lastIndexOf("/") + 1);
}

/** Every queue in the account and region, following NextToken to the end. */
export async function listQueues(clients: AwsClients = getClients()): Promise<QueueSummary[]> {
  const queues: QueueSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callAws("sqs", "ListQueues", () => clients.sqs.send(new ListQueuesCommand({ MaxResults: 1000, NextToken: nextToken })));
    for (const url of page.QueueUrls ?? []) {
      const name = queueNameFromUrl(url);
      queues.push({ name, url, fifo: name.endsWith(".fifo") });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return queues.sort((a, b) => a.name.localeCompare(b.name));
}

/** The cheapest call that proves SQS answers with these credentials. */
export async function pingSqs(clients: AwsClients): Promise<void> {
  await callAws("sqs", "ListQueues", () => clients.sqs.send(new ListQueuesCommand({ MaxResults: 1 })));
}

export const sqsProbes: Record<string, Probe> = {
  // Redrive with StartMessageMoveTask and its siblings share one implementation on every endpoint seen.
  StartMessageMoveTask: (clients) =>
    clients.sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: `arn:aws:sqs:${getConfig().region}:000000000000:fanout-capability-probe`, MaxResults: 1 }),
    ),
};
