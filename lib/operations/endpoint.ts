import "server-only";
import { probeAllCapabilities } from "../aws/capabilities";
import { checkEndpointHealth, describeEnvironment } from "../aws/health";
import { listQueues } from "../aws/sqs";
import { listSubscriptions, listTopics } from "../aws/sns";

/**
 * The account and endpoint as they are, unshaped: the plain listings, the optional operations the
 * endpoint has, each service's health and the environment badge. Routes and pages reach AWS only
 * through operations; these are the ones with nothing to add.
 */

export const accountTopics = async () => ({ topics: await listTopics() });
export const accountQueues = async () => ({ queues: await listQueues() });
export const accountSubscriptions = async () => ({ subscriptions: await listSubscriptions() });
export const endpointCapabilities = async () => ({ capabilities: await probeAllCapabilities() });
export const endpointHealth = () => checkEndpointHealth();
export const environmentBadge = () => describeEnvironment();
