import "server-only";
import { AppError, validationError } from "../domain/app-error";
import {
  compileFilterPolicy,
  evaluateFilterPolicy,
  type Evaluation,
  type FilterMessage,
  type FilterPolicyScope,
  type MessageAttribute,
} from "../domain/filter-policy";
import type { AuditAction } from "../domain/audit";
import type { Subscription } from "../domain/subscription";
import { getSubscriptionOrThrow, listTopicSubscriptions, setSubscriptionFilterPolicy } from "../aws/sns";
import { addPolicyVersion, getPolicyVersion, getStore, listPolicyVersions, type PolicyVersion } from "../store";
import { auditedChange } from "./audited";
import { scopeOfContext, type OperationContext } from "./context";

/**
 * Filter-policy changes, end to end (the subscription and topic ARNs are checked by the routes,
 * lib/api/params.ts): validated by the engine before anything reaches AWS, guarded
 * against overwriting someone else's change (the editor sends the policy it started from), applied,
 * audited with before and after, and kept as a version for rollback.
 */

export interface PolicyState {
  policy: string | null;
  scope: FilterPolicyScope;
}

/** Canonical text of a policy for comparison: key order and whitespace do not make a change. */
function canonical(text: string | null): string | null {
  if (text === null || text.trim() === "") return null;
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  try {
    return JSON.stringify(sort(JSON.parse(text)));
  } catch {
    return text;
  }
}

/** A policy state for the audit log, with the policy as JSON rather than escaped text. */
function readable(state: PolicyState) {
  if (state.policy === null) return { policy: null, scope: state.scope };
  try {
    return { policy: JSON.parse(state.policy) as unknown, scope: state.scope };
  } catch {
    return state;
  }
}

const sameState = (a: PolicyState, b: PolicyState) =>
  canonical(a.policy) === canonical(b.policy) && (a.policy === null || a.scope === b.scope);

/** Compiles a policy or throws a 422 naming AWS's reason and the JSON path under `field`. */
export function compileFilterPolicyOrThrow(policy: unknown, scope: FilterPolicyScope, field = "policy") {
  const compiled = compileFilterPolicy(policy, scope);
  if (!compiled.ok) throw validationError(`${field}${compiled.error.path.replace(/^\$/, "")}`, compiled.error.reason);
  return compiled.policy;
}

/** The subscription's policy history in the context's environment and region. */
function versionsOf(ctx: OperationContext, arn: string) {
  return listPolicyVersions(getStore(), scopeOfContext(ctx), arn);
}

async function applyChange(
  ctx: OperationContext,
  arn: string,
  desired: PolicyState,
  expected: PolicyState,
  action: AuditAction,
  note?: string,
) {
  const liveSubscription = await getSubscriptionOrThrow(arn, ctx.aws.clients);
  const live: PolicyState = { policy: liveSubscription.filterPolicy, scope: liveSubscription.filterPolicyScope };
  // A retry of a change that already went through finds it applied: success, nothing done twice.
  if (sameState(live, desired))
    return { subscription: liveSubscription, version: versionsOf(ctx, arn)[0], changed: false };
  if (!sameState(live, expected)) {
    throw new AppError(
      "conflict",
      "The filter policy was changed by someone else since you opened it. Review the live policy and apply your change again.",
      {
        details: { live },
      },
    );
  }
  const store = getStore();
  // Audited as an intent before SNS is asked, the outcome after (auditedChange): a failed audit
  // write never leaves a change unaudited, nor answers 500 for a change that was made.
  const { auditWarning } = await auditedChange(
    ctx,
    { action, target: arn, before: readable(live), after: readable(desired) },
    () => setSubscriptionFilterPolicy(arn, desired, ctx.aws.clients),
  );
  // The first change through the console keeps what it replaced, so it can be rolled back to.
  if (versionsOf(ctx, arn).length === 0) {
    addPolicyVersion(store, scopeOfContext(ctx), {
      subscriptionArn: arn,
      actor: "(found on AWS)",
      scope: live.scope,
      policy: live.policy,
      note: "as found before the first change through Fanout",
    });
  }
  const version = addPolicyVersion(store, scopeOfContext(ctx), {
    subscriptionArn: arn,
    actor: ctx.actor.name,
    scope: desired.scope,
    policy: desired.policy,
    ...(note ? { note } : {}),
  });
  return {
    subscription: await getSubscriptionOrThrow(arn, ctx.aws.clients),
    version,
    changed: true,
    ...(auditWarning ? { auditWarning } : {}),
  };
}

export interface SaveFilterPolicyInput {
  /** The policy JSON, or null with removePolicy to deliver every message. */
  policy: unknown;
  scope: FilterPolicyScope;
  expected: PolicyState;
  removePolicy?: boolean;
}

/** `arn` is checked by the route (lib/api/params.ts): well formed, in the context's region and account. */
export async function saveFilterPolicy(ctx: OperationContext, arn: string, input: SaveFilterPolicyInput) {
  let text: string | null = null;
  if (input.policy === null || input.policy === undefined) {
    if (!input.removePolicy) {
      throw new AppError(
        "validation",
        "policy: missing. Removing the policy delivers every message; send removePolicy: true to do that.",
        {
          issues: [{ path: "policy", message: "required, unless removePolicy is true" }],
        },
      );
    }
  } else {
    compileFilterPolicyOrThrow(input.policy, input.scope);
    text = typeof input.policy === "string" ? input.policy : JSON.stringify(input.policy);
  }
  return applyChange(
    ctx,
    arn,
    { policy: text, scope: input.scope },
    input.expected,
    text === null ? "filter-policy.remove" : "filter-policy.update",
  );
}

export async function rollbackFilterPolicy(
  ctx: OperationContext,
  arn: string,
  input: { versionId: number; expected: PolicyState },
) {
  const version = getPolicyVersion(getStore(), scopeOfContext(ctx), input.versionId);
  if (!version || version.subscriptionArn !== arn)
    throw new AppError("not_found", `versionId: no version ${input.versionId} of this subscription`);
  return applyChange(
    ctx,
    arn,
    { policy: version.policy, scope: version.scope },
    input.expected,
    "filter-policy.rollback",
    `rollback to version ${version.id}`,
  );
}

export async function getSubscriptionWithHistory(
  ctx: OperationContext,
  arn: string,
): Promise<{ subscription: Subscription; history: PolicyVersion[] }> {
  return { subscription: await getSubscriptionOrThrow(arn, ctx.aws.clients), history: versionsOf(ctx, arn) };
}

export async function filterPolicyHistory(ctx: OperationContext, arn: string): Promise<PolicyVersion[]> {
  return versionsOf(ctx, arn);
}

/** Tests a policy against sample messages; no AWS call. */
export function testFilterPolicy(
  _ctx: OperationContext,
  input: { policy: unknown; scope: FilterPolicyScope; messages: FilterMessage[] },
): { results: Evaluation[] } {
  const compiled = compileFilterPolicyOrThrow(input.policy, input.scope);
  return { results: input.messages.map((m) => evaluateFilterPolicy(compiled, m)) };
}

export interface PublishedMessage {
  body: string;
  attributes?: Record<string, MessageAttribute>;
}

export interface RouteResult {
  subscription: Subscription;
  receives: boolean;
  reason: string;
  evaluation?: Evaluation;
}

/** Who gets this event: every subscription of the topic, and whether its policy lets the message through. */
export async function routeMessage(
  ctx: OperationContext,
  topicArn: string,
  message: PublishedMessage,
): Promise<{ topicArn: string; results: RouteResult[] }> {
  const subscriptions = await listTopicSubscriptions(topicArn, ctx.aws.clients);
  const results = subscriptions.map((subscription): RouteResult => {
    if (subscription.filterPolicy === null)
      return { subscription, receives: true, reason: "no filter policy: receives every message" };
    const compiled = compileFilterPolicy(subscription.filterPolicy, subscription.filterPolicyScope);
    if (!compiled.ok)
      return {
        subscription,
        receives: false,
        reason: `its live policy is not valid for AWS: ${compiled.error.reason}`,
      };
    const filterMessage: FilterMessage =
      subscription.filterPolicyScope === "MessageBody"
        ? { body: message.body }
        : { attributes: message.attributes ?? {} };
    const evaluation = evaluateFilterPolicy(compiled.policy, filterMessage);
    return {
      subscription,
      receives: evaluation.match,
      reason: evaluation.match ? "its filter policy matches" : "its filter policy does not match",
      evaluation,
    };
  });
  return { topicArn, results };
}
