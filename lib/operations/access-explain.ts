import "server-only";
import { explainUserAccess, resourceKindOf, type UserAccessExplanation } from "../api/access-explanation";
import { validationError } from "../domain/app-error";
import type { Binding, ResourceRef } from "../domain/bindings";
import { roleInEnvironment } from "../domain/environments";
import type { OperationContext } from "./context";
import { queueResource, subscriptionResource, topicResource } from "./resource-access";

/**
 * "What can this user do here?" for an admin: a user's bindings judged against one resource of the
 * context's environment and region, with the resource's tags read from AWS (a binding may name tags).
 */

export interface AccessExplanationView extends UserAccessExplanation {
  user: string;
  /** Where the user's bindings come from: the users file, or their groups at their latest single sign-on. */
  source: string;
  environment: { id: string; name: string; region: string; readOnly: boolean };
  resource: { arn: string; kind: string; tags?: Record<string, string> };
}

export async function explainAccessOn(
  ctx: OperationContext,
  who: { user: string; bindings: Binding[]; source: string },
  arn: string,
): Promise<AccessExplanationView> {
  const kind = resourceKindOf(arn);
  if (!kind) throw validationError("arn", "not the ARN of a queue, topic, subscription or Lambda function");
  const region = arn.split(":")[3];
  if (region !== ctx.aws.region)
    throw validationError("arn", `is in ${region || "no region"}; this page is about ${ctx.aws.region}`);
  const resource = await resourceFor(ctx, kind, arn);
  const access = { bindings: who.bindings };
  const { id, name, readOnly } = ctx.environment;
  return {
    user: who.user,
    source: who.source,
    environment: { id, name, region: ctx.environment.region, readOnly },
    resource: { arn, kind, ...(resource.tags ? { tags: { ...resource.tags } } : {}) },
    ...explainUserAccess(access, ctx.environment, { ...resource, kind }, roleInEnvironment(access, ctx.environment)),
  };
}

/** The resource with its tags; a function's tags are not read (no binding decision here waits on Lambda). */
function resourceFor(ctx: OperationContext, kind: string, arn: string): Promise<ResourceRef> {
  if (kind === "queue") return queueResource(ctx, arn.slice(arn.lastIndexOf(":") + 1))(true);
  if (kind === "subscription") return subscriptionResource(ctx, arn)(true);
  if (kind === "topic") return topicResource(ctx, arn)(true);
  return Promise.resolve({ arns: [arn] });
}
