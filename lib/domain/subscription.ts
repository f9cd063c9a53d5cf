import type { FilterPolicyScope } from "./filter-policy/types";

/** An SNS subscription as the console shows it. */
export interface Subscription {
  arn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  pendingConfirmation: boolean;
  rawMessageDelivery: boolean;
  /** The policy text as SNS holds it; null when the subscription has none (it receives everything). */
  filterPolicy: string | null;
  filterPolicyScope: FilterPolicyScope;
  /** The subscription's own DLQ, for deliveries SNS could not make (its RedrivePolicy). */
  deadLetterTargetArn?: string;
}

/**
 * A subscription ARN (`arn:aws:sns:<region>:<account>:<topic>:<id>`), or undefined. Requests name
 * subscriptions by ARN, so a malformed one is refused before any AWS call.
 */
export function parseSubscriptionArn(
  text: string,
): { region: string; account: string; topic: string; id: string; topicArn: string } | undefined {
  const match =
    /^arn:aws(?:-[a-z]+)*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256}(?:\.fifo)?):([0-9a-f-]{36})$/.exec(text);
  if (!match) return undefined;
  const [, region, account, topic, id] = match as unknown as [string, string, string, string, string];
  return { region, account, topic, id, topicArn: text.slice(0, text.lastIndexOf(":")) };
}

/** A topic ARN (`arn:aws:sns:<region>:<account>:<topic>`), or undefined. */
export function parseTopicArn(text: string): { region: string; account: string; name: string } | undefined {
  const match = /^arn:aws(?:-[a-z]+)*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256}(?:\.fifo)?)$/.exec(text);
  if (!match) return undefined;
  const [, region, account, name] = match as unknown as [string, string, string, string];
  return { region, account, name };
}

/** The last part of an ARN: a topic's or queue's name, a subscription's id. */
export function arnName(arn: string): string {
  return arn.slice(arn.lastIndexOf(":") + 1);
}
