import "server-only";
import { ListTopicsCommand } from "@aws-sdk/client-sns";
import { getClients, type AwsClients } from "./clients";
import { callAws } from "./call";

export interface TopicSummary {
  arn: string;
  name: string;
  fifo: boolean;
}

/** Every topic in the account and region, following NextToken to the end. */
export async function listTopics(clients: AwsClients = getClients()): Promise<TopicSummary[]> {
  const topics: TopicSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callAws("sns", "ListTopics", () => clients.sns.send(new ListTopicsCommand({ NextToken: nextToken })));
    for (const { TopicArn } of page.Topics ?? []) {
      if (!TopicArn) continue;
      const name = TopicArn.slice(TopicArn.lastIndexOf(":") + 1);
      topics.push({ arn: TopicArn, name, fifo: name.endsWith(".fifo") });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return topics.sort((a, b) => a.name.localeCompare(b.name));
}

export async function pingSns(clients: AwsClients): Promise<void> {
  await callAws("sns", "ListTopics", () => clients.sns.send(new ListTopicsCommand({})));
}
