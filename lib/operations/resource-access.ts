import "server-only";
import { AppError } from "../domain/app-error";
import {
  needsTags,
  roleOnEveryResource,
  roleOnResource,
  withKnownTags,
  type Access,
  type ResourceRef,
  type TagsByArn,
} from "../domain/bindings";
import { roleAtLeast, type Role } from "../domain/roles";
import type { MayView } from "../domain/topology";
import { mapWithConcurrency } from "../aws/concurrency";
import { getQueueUrl, listQueues, listQueueTags } from "../aws/sqs";
import { getSubscriptionOrThrow, listTopicTags, listTopics } from "../aws/sns";
import { callerAccount } from "../aws/sts";
import { sharedResult } from "../shared-result";
import type { OperationContext } from "./context";

/**
 * Role bindings applied to the resources an operation acts on or lists (lib/domain/bindings.ts). The
 * route wrapper has already checked the route's least role in the environment; this checks it on the
 * resource itself. A caller whose bindings reach every resource of the environment costs no lookup;
 * one bound to some resources costs the resource's ARN (and its tags when a binding names tags).
 */

/** What it takes to know a resource: its ARNs at once, its tags only when some binding needs them. */
export type ResourceLookup = (withTags: boolean) => Promise<ResourceRef>;

/** A read-only environment caps every role at viewer (lib/domain/environments.ts). */
function capped(ctx: OperationContext, role: Role | undefined): Role | undefined {
  return role && ctx.environment.readOnly ? "viewer" : role;
}

/** The caller's bindings; undefined for the console itself and for contexts built without any (tests, start-up). */
const accessOf = (ctx: OperationContext): Access | undefined => ctx.actor.access;

/** Whether the caller has at least `minimum` on every resource of the environment, so no lookup is needed. */
export function everywhere(ctx: OperationContext, minimum: Role): boolean {
  const access = accessOf(ctx);
  if (!access) return roleAtLeast(ctx.actor.role, minimum);
  const role = capped(ctx, roleOnEveryResource(access, ctx.environment.id));
  return role !== undefined && roleAtLeast(role, minimum);
}

/** The caller's role on one resource; undefined: none, they may not see it. */
export function roleOn(ctx: OperationContext, resource: ResourceRef): Role | undefined {
  const access = accessOf(ctx);
  if (!access) return ctx.actor.role;
  return capped(ctx, roleOnResource(access, ctx.environment.id, resource));
}

/** The caller's role on a resource looked up: its tags are read only when some binding of theirs names tags. */
export async function roleOnLookup(ctx: OperationContext, lookup: ResourceLookup): Promise<Role | undefined> {
  const access = accessOf(ctx);
  if (!access) return ctx.actor.role;
  return roleOn(ctx, await lookup(needsTags(access, ctx.environment.id)));
}

/**
 * Refuses (403) unless the caller has at least `minimum` on the resource, naming it and the role they
 * have there; `field` names the request field that chose the resource (a replay's `target`).
 */
export async function requireRoleOn(
  ctx: OperationContext,
  lookup: ResourceLookup,
  minimum: Role,
  field?: string,
): Promise<void> {
  if (everywhere(ctx, minimum)) return;
  const resource = await lookup(needsTags(accessOf(ctx)!, ctx.environment.id));
  const role = roleOn(ctx, resource);
  if (role && roleAtLeast(role, minimum)) return;
  const what = resource.arns[0] ?? "this resource";
  const reason = role
    ? `This needs the ${minimum} role on ${what}; your bindings give you ${role} there.`
    : `None of your bindings reaches ${what} in ${ctx.environment.name}.`;
  throw new AppError("forbidden", field ? `${field}: ${reason}` : reason, {
    ...(field ? { issues: [{ path: field, message: reason }] } : {}),
  });
}

/** Whether the caller may view a resource: any role on it. */
export const mayView =
  (ctx: OperationContext) =>
  (resource: ResourceRef): boolean =>
    roleOn(ctx, resource) !== undefined;

/** The items of a list the caller may view: all of them without a lookup when no binding of theirs is narrower. */
export function visibleTo<T>(ctx: OperationContext, items: readonly T[], refOf: (item: T) => ResourceRef): T[] {
  if (everywhere(ctx, "viewer")) return [...items];
  const viewable = mayView(ctx);
  return items.filter((item) => viewable(refOf(item)));
}

/** Whether the caller's decisions in this environment may need resources' tags (then lists fetch them). */
export const listsNeedTags = (ctx: OperationContext): boolean => {
  const access = accessOf(ctx);
  return access !== undefined && !everywhere(ctx, "viewer") && needsTags(access, ctx.environment.id);
};

/** Tag reads in flight at once, per environment. */
const TAG_CONCURRENCY = 10;
/**
 * How long an environment's tags are kept: a minute, so that any number of viewers bound by tags cost
 * a read a minute, and a tag changed in AWS shows (or hides) a resource in a list a minute later at most.
 */
const TAGS_TTL_MS = 60_000;

/** Read tags, and whether every resource's could be (a read missing some is not kept, so the next caller asks again). */
interface ReadTags {
  tags: TagsByArn;
  complete: boolean;
}

async function readTags<T>(
  items: T[],
  arnOf: (item: T) => string,
  read: (item: T) => Promise<Record<string, string>>,
): Promise<ReadTags> {
  let complete = true;
  const pairs = await mapWithConcurrency(items, TAG_CONCURRENCY, async (item) => {
    try {
      return [[arnOf(item), await read(item)] as const];
    } catch {
      // One resource's tags unknown: bindings that name tags do not reach it, its neighbours still are decided.
      complete = false;
      return [];
    }
  });
  return { tags: new Map(pairs.flat()), complete };
}

/** Each queue's tags by ARN, per environment: shared by every caller, whatever their bindings. */
const sharedQueueTags = sharedResult(
  "queueTags",
  TAGS_TTL_MS,
  async (_environment, ctx: OperationContext) => {
    const [queues, arnOf] = await Promise.all([listQueues(ctx.aws.clients), arnsByName(ctx)]);
    return readTags(
      queues,
      (q) => arnOf("queue", q.name),
      (q) => listQueueTags(q.url, ctx.aws.clients),
    );
  },
  (read) => read.complete,
);

/** Each topic's tags by ARN, per environment, likewise. */
const sharedTopicTags = sharedResult(
  "topicTags",
  TAGS_TTL_MS,
  async (_environment, ctx: OperationContext) =>
    readTags(
      await listTopics(ctx.aws.clients),
      (t) => t.arn,
      (t) => listTopicTags(t.arn, ctx.aws.clients),
    ),
  (read) => read.complete,
);

export type TaggedKind = "queue" | "topic";

/**
 * Who may view what in a list, for an answer computed for everyone and filtered per request:
 * undefined when the caller may view every resource of the environment (the list as it is, at no
 * cost), else mayView. Where a binding of theirs names tags, the tags of `tagsOf` are read (shared per
 * environment, see TAGS_TTL_MS) for the resources that come without.
 */
export async function listViewer(
  ctx: OperationContext,
  tagsOf: readonly TaggedKind[] = ["queue"],
): Promise<MayView | undefined> {
  if (everywhere(ctx, "viewer")) return undefined;
  const viewable = mayView(ctx);
  if (!listsNeedTags(ctx)) return viewable;
  const reads = await Promise.all(
    tagsOf.map((kind) => (kind === "queue" ? sharedQueueTags : sharedTopicTags).get(ctx.aws.key, ctx)),
  );
  const tags: TagsByArn = new Map(reads.flatMap((read) => [...read.tags]));
  return (resource) => viewable(withKnownTags(resource, tags));
}

function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The environment's account, configured or as STS names it; `unknown` matches only patterns with `*` there. */
async function accountOf(ctx: OperationContext): Promise<string> {
  return ctx.environment.accountId ?? (await callerAccount(ctx.aws.clients)) ?? "unknown";
}

/** A queue's ARN, built from its name (SQS ARNs are arn:partition:sqs:region:account:name). */
export async function queueArn(ctx: OperationContext, name: string): Promise<string> {
  return (await arnsByName(ctx))("queue", name);
}

/**
 * The ARNs of the environment's topics, queues and functions by name, for resources known by name
 * only (CloudWatch's): arn:partition:sns|sqs:region:account:name, arn:partition:lambda:region:account:function:name.
 */
export async function arnsByName(
  ctx: OperationContext,
): Promise<(kind: "topic" | "queue" | "function", name: string) => string> {
  const account = await accountOf(ctx);
  const prefix = (service: string) => `arn:${partitionOf(ctx.aws.region)}:${service}:${ctx.aws.region}:${account}`;
  return (kind, name) =>
    kind === "topic"
      ? `${prefix("sns")}:${name}`
      : kind === "queue"
        ? `${prefix("sqs")}:${name}`
        : `${prefix("lambda")}:function:${name}`;
}

export const queueResource =
  (ctx: OperationContext, name: string): ResourceLookup =>
  async (withTags) => ({
    arns: [await queueArn(ctx, name)],
    ...(withTags ? { tags: await listQueueTags(await getQueueUrl(name, ctx.aws.clients), ctx.aws.clients) } : {}),
  });

/** A queue already described (its ARN and URL known): its tags are one more call, when needed. */
export const describedQueueResource =
  (ctx: OperationContext, queue: { arn: string; url: string }): ResourceLookup =>
  async (withTags) => ({
    arns: [queue.arn],
    ...(withTags ? { tags: await listQueueTags(queue.url, ctx.aws.clients) } : {}),
  });

export const topicResource =
  (ctx: OperationContext, arn: string): ResourceLookup =>
  async (withTags) => ({ arns: [arn], ...(withTags ? { tags: await listTopicTags(arn, ctx.aws.clients) } : {}) });

/**
 * A subscription is its own ARN and its endpoint's: a team bound to its queues may change the filter
 * policies of the subscriptions that feed them. Its tags are its SQS endpoint's (SNS subscriptions have none).
 */
export const subscriptionResource =
  (ctx: OperationContext, arn: string): ResourceLookup =>
  async (withTags) => {
    const subscription = await getSubscriptionOrThrow(arn, ctx.aws.clients);
    const endpoint = subscription.endpoint;
    return {
      arns: endpoint ? [arn, endpoint] : [arn],
      ...(withTags ? { tags: await ownQueueTags(ctx, subscription.protocol === "sqs" ? endpoint : undefined) } : {}),
    };
  };

/**
 * The tags of a queue of the context's own account and region, by ARN; none for another account's
 * queue (a cross-account subscription), whose tags this environment cannot read, nor mistake for those
 * of a queue of the same name here.
 */
async function ownQueueTags(ctx: OperationContext, queue: string | undefined): Promise<Record<string, string>> {
  if (!queue) return {};
  const name = queue.slice(queue.lastIndexOf(":") + 1);
  if (queue !== (await queueArn(ctx, name))) return {};
  return listQueueTags(await getQueueUrl(name, ctx.aws.clients), ctx.aws.clients).catch(() => ({}));
}
