import "server-only";
import {
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  SetSubscriptionAttributesCommand,
  type Subscription as SdkSubscription,
} from "@aws-sdk/client-sns";
import { arnName, type Subscription } from "../domain/subscription";
import type { AwsClients } from "./clients";
import { callAws, callAwsPages } from "./call";
import { mapWithConcurrency } from "./concurrency";

export interface TopicSummary {
  arn: string;
  name: string;
  fifo: boolean;
}

/** Every topic in the account and region, following NextToken to the end. */
export async function listTopics(clients: AwsClients): Promise<TopicSummary[]> {
  const topics = await callAwsPages(clients, "sns", "ListTopics", {
    request: (nextToken) => clients.sns.send(new ListTopicsCommand({ NextToken: nextToken })),
    read: (page) => ({ items: page.Topics, next: page.NextToken }),
  });
  return topics
    .flatMap(({ TopicArn }) => {
      if (!TopicArn) return [];
      const name = arnName(TopicArn);
      return [{ arn: TopicArn, name, fifo: name.endsWith(".fifo") }];
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function pingSns(clients: AwsClients): Promise<void> {
  await callAws(clients, "sns", "ListTopics", () => clients.sns.send(new ListTopicsCommand({})));
}

/** Reads one subscription with its filter policy. Throws not_found for an unknown ARN. */
export async function getSubscriptionOrThrow(arn: string, clients: AwsClients): Promise<Subscription> {
  const { Attributes: a = {} } = await callAws(clients, "sns", "GetSubscriptionAttributes", () =>
    clients.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn })),
  );
  return {
    arn,
    topicArn: a.TopicArn ?? arn.slice(0, arn.lastIndexOf(":")),
    protocol: a.Protocol ?? "",
    endpoint: a.Endpoint ?? "",
    pendingConfirmation: a.PendingConfirmation === "true",
    rawMessageDelivery: a.RawMessageDelivery === "true",
    filterPolicy: a.FilterPolicy ? a.FilterPolicy : null,
    filterPolicyScope: a.FilterPolicyScope === "MessageBody" ? "MessageBody" : "MessageAttributes",
    ...(a.RedrivePolicy
      ? { deadLetterTargetArn: (JSON.parse(a.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn }
      : {}),
  };
}

/** Details for each listed subscription, five at a time; pending ones have no ARN to read yet. */
async function withAttributes(
  listed: SdkSubscription[],
  clients: AwsClients,
  concurrency = 5,
): Promise<Subscription[]> {
  const out = await mapWithConcurrency(listed, concurrency, async (next): Promise<Subscription> => {
    const arn = next.SubscriptionArn ?? "";
    if (arn.startsWith("arn:")) return getSubscriptionOrThrow(arn, clients);
    return {
      arn,
      topicArn: next.TopicArn ?? "",
      protocol: next.Protocol ?? "",
      endpoint: next.Endpoint ?? "",
      pendingConfirmation: true,
      rawMessageDelivery: false,
      filterPolicy: null,
      filterPolicyScope: "MessageAttributes",
    };
  });
  return out.sort((x, y) => x.topicArn.localeCompare(y.topicArn) || x.endpoint.localeCompare(y.endpoint));
}

/** Every subscription in the account and region, with filter policies. */
export async function listSubscriptions(clients: AwsClients, concurrency = 5): Promise<Subscription[]> {
  const listed = await callAwsPages(clients, "sns", "ListSubscriptions", {
    request: (nextToken) => clients.sns.send(new ListSubscriptionsCommand({ NextToken: nextToken })),
    read: (page) => ({ items: page.Subscriptions, next: page.NextToken }),
  });
  return withAttributes(listed, clients, concurrency);
}

/** A topic's tags (ListTagsForResource). */
export async function listTopicTags(topicArn: string, clients: AwsClients): Promise<Record<string, string>> {
  const out = await callAws(clients, "sns", "ListTagsForResource", () =>
    clients.sns.send(new ListTagsForResourceCommand({ ResourceArn: topicArn })),
  );
  return Object.fromEntries((out.Tags ?? []).map((t) => [t.Key, t.Value]));
}

/** The subscriptions of one topic, with filter policies. */
export async function listTopicSubscriptions(topicArn: string, clients: AwsClients): Promise<Subscription[]> {
  const listed = await callAwsPages(clients, "sns", "ListSubscriptionsByTopic", {
    request: (nextToken) =>
      clients.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: nextToken })),
    read: (page) => ({ items: page.Subscriptions, next: page.NextToken }),
  });
  return withAttributes(listed, clients);
}

/**
 * Sets a subscription's filter policy and scope (null removes the policy: everything is delivered).
 * SNS takes one attribute per call, so the order matters: a nested policy is valid only in
 * MessageBody scope, and a flat one in both, so the scope changes first when going to MessageBody
 * and last when leaving it; neither intermediate state is ever invalid.
 */
export async function setSubscriptionFilterPolicy(
  arn: string,
  change: { policy: string | null; scope: Subscription["filterPolicyScope"] },
  clients: AwsClients,
): Promise<void> {
  const set = (name: "FilterPolicy" | "FilterPolicyScope", value: string) =>
    callAws(clients, "sns", "SetSubscriptionAttributes", () =>
      clients.sns.send(
        new SetSubscriptionAttributesCommand({ SubscriptionArn: arn, AttributeName: name, AttributeValue: value }),
      ),
    );
  // An empty FilterPolicy removes it (SNS API reference, SetSubscriptionAttributes).
  const policy = change.policy ?? "";
  if (change.scope === "MessageBody") {
    await set("FilterPolicyScope", change.scope);
    await set("FilterPolicy", policy);
  } else {
    await set("FilterPolicy", policy);
    if (policy !== "") await set("FilterPolicyScope", change.scope);
  }
}
