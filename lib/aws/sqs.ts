import "server-only";
import { GetQueueAttributesCommand, ListMessageMoveTasksCommand, ListQueuesCommand } from "@aws-sdk/client-sqs";
import type { QueueDescription } from "../domain/dead-letters";
import { getConfig } from "../env";
import { getClients, type AwsClients } from "./clients";
import { callAws, type Probe } from "./call";
import { mapWithConcurrency } from "./concurrency";

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

/** Every queue with its depth, retention and redrive policy (GetQueueAttributes All, five at a time). */
export async function describeQueues(clients: AwsClients = getClients()): Promise<QueueDescription[]> {
  const queues = await listQueues(clients);
  return mapWithConcurrency(queues, 5, async (q) => {
    const { Attributes: a = {} } = await callAws("sqs", "GetQueueAttributes", () => clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: q.url, AttributeNames: ["All"] })));
    let redrivePolicy: QueueDescription["redrivePolicy"];
    if (a.RedrivePolicy) {
      const parsed = JSON.parse(a.RedrivePolicy) as { deadLetterTargetArn?: string; maxReceiveCount?: number | string };
      if (parsed.deadLetterTargetArn) redrivePolicy = { deadLetterTargetArn: parsed.deadLetterTargetArn, maxReceiveCount: Number(parsed.maxReceiveCount) };
    }
    return {
      name: q.name,
      url: q.url,
      arn: a.QueueArn ?? "",
      fifo: q.fifo,
      visible: Number(a.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
      delayed: Number(a.ApproximateNumberOfMessagesDelayed ?? 0),
      retentionSeconds: Number(a.MessageRetentionPeriod ?? 345_600),
      ...(redrivePolicy ? { redrivePolicy } : {}),
    };
  });
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
