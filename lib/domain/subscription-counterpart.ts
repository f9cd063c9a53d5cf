import { arnName, type Subscription } from "./subscription";

/**
 * The same subscription in another environment or region: the subscription of the topic with the
 * same name to the endpoint with the same name (the queue's, the function's), found by name because
 * ARNs carry the account and region and so never match across environments.
 */

/**
 * What names an endpoint across accounts and regions: an SQS queue's name (`arn:aws:sqs:<region>:<account>:<name>`),
 * a Lambda function's name with its qualifier if any (`arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`),
 * else the endpoint as SNS holds it (an HTTPS URL, an email address), which names no account.
 */
export function endpointName(protocol: string, endpoint: string): string {
  if (protocol === "sqs" && endpoint.startsWith("arn:")) return arnName(endpoint);
  if (protocol === "lambda") {
    const match = /^arn:[^:]+:lambda:[^:]*:\d*:function:(.+)$/.exec(endpoint);
    if (match) return match[1]!;
  }
  return endpoint;
}

export type CounterpartMatch =
  | { status: "one"; subscription: Subscription }
  | { status: "none" }
  | { status: "several"; subscriptions: Subscription[] };

/** Whether `candidate` is the same topic name, protocol and endpoint name as `source`. */
export function isCounterpart(source: Subscription, candidate: Subscription): boolean {
  return (
    candidate.arn.startsWith("arn:") &&
    arnName(candidate.topicArn) === arnName(source.topicArn) &&
    candidate.protocol === source.protocol &&
    endpointName(candidate.protocol, candidate.endpoint) === endpointName(source.protocol, source.endpoint)
  );
}

/**
 * The counterpart of `source` among another environment's subscriptions. Pending subscriptions (no ARN
 * yet) cannot hold a policy and are left out; two subscriptions of one topic to one endpoint (SNS allows
 * it with different attributes) make "several", which the caller must not guess between.
 */
export function matchCounterpart(source: Subscription, candidates: readonly Subscription[]): CounterpartMatch {
  const matches = candidates.filter((candidate) => isCounterpart(source, candidate));
  if (matches.length === 0) return { status: "none" };
  if (matches.length === 1) return { status: "one", subscription: matches[0]! };
  return { status: "several", subscriptions: matches };
}

/** What a match says, for a person: none or several are explained, naming what was looked for. */
export function counterpartMessage(source: Subscription, match: CounterpartMatch, where: string): string {
  const what = `topic ${arnName(source.topicArn)} to ${source.protocol} ${endpointName(source.protocol, source.endpoint)}`;
  if (match.status === "none") return `No subscription of ${what} in ${where}.`;
  if (match.status === "several") {
    return `${match.subscriptions.length} subscriptions of ${what} in ${where}: open the one you mean there.`;
  }
  return `The subscription of ${what} in ${where}.`;
}
