import "server-only";
import { probeAllCapabilities } from "../aws/capabilities";
import { checkEndpointHealth, describeEnvironment } from "../aws/health";
import { listQueues } from "../aws/sqs";
import { listSubscriptions, listTopics } from "../aws/sns";
import { callerAccount } from "../aws/sts";
import type { OperationContext } from "./context";

/**
 * The account and endpoint as they are, unshaped: the plain listings, the optional operations the
 * endpoint has, each service's health and the environment badge. Routes and pages reach AWS only
 * through operations; these are the ones with nothing to add.
 */

export const accountTopics = async (ctx: OperationContext) => ({ topics: await listTopics(ctx.aws.clients) });
export const accountQueues = async (ctx: OperationContext) => ({ queues: await listQueues(ctx.aws.clients) });
export const accountSubscriptions = async (ctx: OperationContext) => ({
  subscriptions: await listSubscriptions(ctx.aws.clients),
});
export const endpointCapabilities = async (ctx: OperationContext) => ({
  capabilities: await probeAllCapabilities(ctx.aws),
});
export const endpointHealth = (ctx: OperationContext) => checkEndpointHealth(ctx.aws);
export const environmentBadge = (ctx: OperationContext) => describeEnvironment(ctx.aws);
/** The credentials' account in the context's environment, undefined when the endpoint cannot say. */
export const ownAccount = (ctx: OperationContext) => callerAccount(ctx.aws.clients);
