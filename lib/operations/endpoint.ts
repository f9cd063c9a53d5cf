import "server-only";
import { probeAllCapabilities } from "../aws/capabilities";
import { checkEndpointHealth, describeEnvironment } from "../aws/health";
import { listQueues } from "../aws/sqs";
import { listSubscriptions, listTopics } from "../aws/sns";
import { callerAccount } from "../aws/sts";
import { hiddenCount, resourceAt, shownTo, subscriptionAbout } from "../domain/visibility";
import type { OperationContext } from "./context";
import { arnsByName, listViewer } from "./resource-access";

/**
 * The account and endpoint as they are, unshaped: the plain listings (of what the caller may view,
 * with how many were left out where their bindings reach some resources only), the optional operations
 * the endpoint has, each service's health and the environment badge. Routes and pages reach AWS only
 * through operations; these are the ones with little to add.
 */

export async function accountTopics(ctx: OperationContext) {
  const [topics, mayView] = await Promise.all([listTopics(ctx.aws.clients), listViewer(ctx, ["topic"])]);
  const { shown, hidden } = shownTo(topics, (t) => resourceAt(t.arn), mayView);
  return { topics: shown, ...hiddenCount(mayView, hidden) };
}

export async function accountQueues(ctx: OperationContext) {
  const [queues, mayView] = await Promise.all([listQueues(ctx.aws.clients), listViewer(ctx)]);
  if (!mayView) return { queues };
  const arnOf = await arnsByName(ctx);
  const { shown, hidden } = shownTo(queues, (q) => resourceAt(arnOf("queue", q.name)), mayView);
  return { queues: shown, hidden };
}

export async function accountSubscriptions(ctx: OperationContext) {
  const [subscriptions, mayView] = await Promise.all([listSubscriptions(ctx.aws.clients), listViewer(ctx)]);
  const { shown, hidden } = shownTo(subscriptions, subscriptionAbout, mayView);
  return { subscriptions: shown, ...hiddenCount(mayView, hidden) };
}
export const endpointCapabilities = async (ctx: OperationContext) => ({
  capabilities: await probeAllCapabilities(ctx.aws),
});
export const endpointHealth = (ctx: OperationContext) => checkEndpointHealth(ctx.aws);
export const environmentBadge = (ctx: OperationContext) => describeEnvironment(ctx.aws);
/** The credentials' account in the context's environment, undefined when the endpoint cannot say. */
export const ownAccount = (ctx: OperationContext) => callerAccount(ctx.aws.clients);
