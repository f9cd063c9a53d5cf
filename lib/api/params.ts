import "server-only";
import { z } from "zod";
import { AppError, validationError } from "../domain/app-error";
import { parseSubscriptionArn, parseTopicArn } from "../domain/subscription";
import type { OperationContext } from "../operations/context";
import { ownAccount } from "../operations/endpoint";
import { queueNameSchema } from "../schemas/dead-letters";
import { queueResource, subscriptionResource, topicResource } from "../operations/resource-access";
import { getRedriveJob, getStore } from "../store";

/**
 * What a route receives besides its body: path parameters and query strings, decoded and checked
 * by schemas declared beside the route and applied by the wrapper (withSession's `params` and
 * `query`), so that operations get names and ARNs they can act on. A refusal names the field.
 */

/**
 * A request's query parameters as an object for a schema, empty values dropped: an empty form field
 * means "any". A parameter given more than once becomes an array, for a schema that takes a list.
 */
export function queryOf(url: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of new URL(url).searchParams) {
    if (value === "") continue;
    const seen = query[name];
    query[name] = seen === undefined ? value : ([] as string[]).concat(seen, value);
  }
  return query;
}

/** A path parameter decoded; a malformed escape is kept as sent, and fails validation as such. */
export function decodeParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * Refuses an ARN of another account than the credentials' own: a request names resources of the
 * account the console runs against, nothing else. When the account cannot be read (an endpoint
 * without STS) only the region is checked.
 */
async function checkAccount(ctx: OperationContext, account: string, what: string, field = "arn"): Promise<void> {
  const own = await ownAccount(ctx);
  if (own !== undefined && account !== own) {
    throw new AppError("validation", `${field}: the ${what} is in account ${account}, the console works in ${own}`, {
      issues: [{ path: field, message: `account ${account} is not the console's (${own})` }],
    });
  }
}

/**
 * Refuses a subscription ARN that is malformed or outside the context's region and account; `field`
 * names it in the refusal (a body field such as `from.subscriptionArn`, else the path's `arn`).
 */
export async function checkSubscriptionArn(ctx: OperationContext, raw: string, field = "arn"): Promise<string> {
  const region = ctx.aws.region;
  const arn = decodeParam(raw);
  const parsed = parseSubscriptionArn(arn);
  if (!parsed)
    throw new AppError("validation", `${field}: not an SNS subscription ARN`, {
      issues: [{ path: field, message: "not an SNS subscription ARN (arn:aws:sns:<region>:<account>:<topic>:<id>)" }],
    });
  if (parsed.region !== region) {
    throw new AppError("validation", `${field}: the subscription is in ${parsed.region}, the console in ${region}`, {
      issues: [{ path: field, message: `region ${parsed.region} is not the console's (${region})` }],
    });
  }
  await checkAccount(ctx, parsed.account, "subscription", field);
  return arn;
}

/** Refuses a topic ARN that is malformed or outside the context's region and account. */
export async function checkTopicArn(ctx: OperationContext, raw: string): Promise<string> {
  const arn = decodeParam(raw);
  const parsed = parseTopicArn(arn);
  if (!parsed || parsed.region !== ctx.aws.region) {
    throw validationError("arn", "not an SNS topic ARN in the console's region");
  }
  await checkAccount(ctx, parsed.account, "topic");
  return arn;
}

export function checkQueueName(raw: string): string {
  const name = decodeParam(raw);
  const parsed = queueNameSchema.safeParse(name);
  if (!parsed.success)
    throw new AppError("validation", `name: ${parsed.error.issues[0]?.message ?? "not a queue name"}`, {
      issues: [{ path: "name", message: "not a queue name" }],
    });
  return name;
}

/** A path parameter, decoded. */
export const pathParam = z.string().transform(decodeParam);
/** A queue name in the path: decoded, refused (422, `name`) unless SQS could name a queue so. */
export const queueNameParam = z.string().transform(checkQueueName);
/** A subscription ARN in the path, in the context's region and account. */
export const subscriptionArnParam = (ctx: OperationContext) =>
  z.string().transform((raw) => checkSubscriptionArn(ctx, raw));
/** A topic ARN in the path, in the context's region and account. */
export const topicArnParam = (ctx: OperationContext) => z.string().transform((raw) => checkTopicArn(ctx, raw));

/** `/api/queues/{name}/…` */
export const queueParams = z.object({ name: queueNameParam });
/** `/api/subscriptions/{arn}/…` */
export const subscriptionParams = (ctx: OperationContext) => z.object({ arn: subscriptionArnParam(ctx) });
/** `/api/topics/{arn}/…` */
export const topicParams = (ctx: OperationContext) => z.object({ arn: topicArnParam(ctx) });

/**
 * A route's parameters with the resource they name, whose role the caller needs as well as the
 * route's least role in the environment (role bindings on resources, lib/operations/resource-access.ts).
 */
export const onQueue = {
  params: queueParams,
  resource: ({ name }: { name: string }, ctx: OperationContext) => queueResource(ctx, name),
};
export const onSubscription = {
  params: subscriptionParams,
  resource: ({ arn }: { arn: string }, ctx: OperationContext) => subscriptionResource(ctx, arn),
};
export const onTopic = {
  params: topicParams,
  resource: ({ arn }: { arn: string }, ctx: OperationContext) => topicResource(ctx, arn),
};
/** A redrive job is its dead-letter queue, found in the store; a job that is not there is the operation's 404. */
export const redriveJobResource =
  ({ jobId }: { jobId: string }, ctx: OperationContext) =>
  async (withTags: boolean) => {
    const job = await getRedriveJob(await getStore(), jobId);
    return job ? queueResource(ctx, job.dlq.name)(withTags) : { arns: [] };
  };
