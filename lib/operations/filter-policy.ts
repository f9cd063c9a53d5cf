import "server-only";
import { requireRoleOn, subscriptionResource } from "./resource-access";
import { AppError, validationError } from "../domain/app-error";
import {
  compileFilterPolicy,
  explainFilterPolicy,
  prepareMessage,
  type Evaluation,
  type FilterMessage,
  type FilterPolicyScope,
  type MessageAttribute,
} from "../domain/filter-policy";
import type { AuditAction } from "../domain/audit";
import { roleRefusal, type ActiveEnvironment } from "../domain/environments";
import { diffPolicies, type PolicyDiff } from "../domain/filter-policy/policy-diff";
import { roleAtLeast, type Role } from "../domain/roles";
import { arnName, type Subscription } from "../domain/subscription";
import { counterpartMessage, matchCounterpart } from "../domain/subscription-counterpart";
import { getSubscriptionOrThrow, listTopicSubscriptions, listTopics, setSubscriptionFilterPolicy } from "../aws/sns";
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
async function versionsOf(ctx: OperationContext, arn: string) {
  return listPolicyVersions(await getStore(), scopeOfContext(ctx), arn);
}

interface ChangeOptions {
  action: AuditAction;
  /** Kept with the new version in the history. */
  note?: string;
  /** Said in the audit entry's `after` beside the policy (where a copied policy came from). */
  auditAfter?: Record<string, unknown>;
}

async function applyChange(
  ctx: OperationContext,
  arn: string,
  desired: PolicyState,
  expected: PolicyState,
  { action, note, auditAfter }: ChangeOptions,
) {
  const liveSubscription = await getSubscriptionOrThrow(arn, ctx.aws.clients);
  const live: PolicyState = { policy: liveSubscription.filterPolicy, scope: liveSubscription.filterPolicyScope };
  // A retry of a change that already went through finds it applied: success, nothing done twice.
  if (sameState(live, desired))
    return { subscription: liveSubscription, version: (await versionsOf(ctx, arn))[0], changed: false };
  if (!sameState(live, expected)) {
    throw new AppError(
      "conflict",
      "The filter policy was changed by someone else since you opened it. Review the live policy and apply your change again.",
      {
        details: { live },
      },
    );
  }
  const store = await getStore();
  // Audited as an intent before SNS is asked, the outcome after (auditedChange): a failed audit
  // write never leaves a change unaudited, nor answers 500 for a change that was made.
  const { auditWarning } = await auditedChange(
    ctx,
    { action, target: arn, before: readable(live), after: { ...readable(desired), ...auditAfter } },
    () => setSubscriptionFilterPolicy(arn, desired, ctx.aws.clients),
  );
  // The first change through the console keeps what it replaced, so it can be rolled back to.
  if ((await versionsOf(ctx, arn)).length === 0) {
    await addPolicyVersion(store, scopeOfContext(ctx), {
      subscriptionArn: arn,
      actor: "(found on AWS)",
      scope: live.scope,
      policy: live.policy,
      note: "as found before the first change through Fanout",
    });
  }
  const version = await addPolicyVersion(store, scopeOfContext(ctx), {
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
  return applyChange(ctx, arn, { policy: text, scope: input.scope }, input.expected, {
    action: text === null ? "filter-policy.remove" : "filter-policy.update",
  });
}

export async function rollbackFilterPolicy(
  ctx: OperationContext,
  arn: string,
  input: { versionId: number; expected: PolicyState },
) {
  const version = await getPolicyVersion(await getStore(), scopeOfContext(ctx), input.versionId);
  if (!version || version.subscriptionArn !== arn)
    throw new AppError("not_found", `versionId: no version ${input.versionId} of this subscription`);
  return applyChange(ctx, arn, { policy: version.policy, scope: version.scope }, input.expected, {
    action: "filter-policy.rollback",
    note: `rollback to version ${version.id}`,
  });
}

export async function getSubscriptionWithHistory(
  ctx: OperationContext,
  arn: string,
): Promise<{ subscription: Subscription; history: PolicyVersion[] }> {
  return { subscription: await getSubscriptionOrThrow(arn, ctx.aws.clients), history: await versionsOf(ctx, arn) };
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
  return { results: input.messages.map((m) => explainFilterPolicy(compiled, m)) };
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
  // One body parse for every MessageBody subscription of the topic.
  const prepared = prepareMessage({ body: message.body, attributes: message.attributes ?? {} });
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
    const evaluation = explainFilterPolicy(compiled.policy, prepared);
    return {
      subscription,
      receives: evaluation.match,
      reason: evaluation.match ? "its filter policy matches" : "its filter policy does not match",
      evaluation,
    };
  });
  return { topicArn, results };
}

/**
 * Comparing and copying a policy across environments: each side acts with its own context, the
 * caller's role there included (lib/request-context.ts contextForUser), since the route wrapper
 * checked the request's own scope only.
 */

/** Refuses (403) unless the context's actor has `role` in its environment; a read-only one says so. */
function refuseBelow(ctx: OperationContext, role: Role): void {
  if (!roleAtLeast(ctx.actor.role, role)) {
    throw new AppError("forbidden", roleRefusal(role, ctx.actor.role, ctx.environment));
  }
}

const scopeOf = (ctx: OperationContext) => `${ctx.environment.id}/${ctx.environment.region}`;

function refuseSameScope(here: OperationContext, there: OperationContext, field: string): void {
  if (scopeOf(here) === scopeOf(there)) {
    throw validationError(field, `${scopeOf(there)} is this subscription's own environment and region`);
  }
}

/** The subscription in `there` of the topic with `source`'s topic name to the endpoint with its endpoint name. */
async function findCounterpart(there: OperationContext, source: Subscription) {
  const topics = (await listTopics(there.aws.clients)).filter((t) => t.name === arnName(source.topicArn));
  const candidates = (await Promise.all(topics.map((t) => listTopicSubscriptions(t.arn, there.aws.clients)))).flat();
  return matchCounterpart(source, candidates);
}

export interface PolicyComparisonSide extends PolicyState {
  environment: ActiveEnvironment;
  /** The caller's role in this environment (at most viewer where it is read-only). */
  role: Role;
}

export interface PolicyComparison {
  here: PolicyComparisonSide & { arn: string };
  there: {
    environment: ActiveEnvironment;
    role: Role;
    /** "one": `counterpart` is it; "none" or "several": `message` says so and `candidates` lists several. */
    match: "one" | "none" | "several";
    message: string;
    counterpart?: PolicyState & { arn: string };
    candidates?: string[];
  };
  /** From here to there: what copying there's policy here would change. Absent without one counterpart. */
  diff?: PolicyDiff;
}

/** A subscription's policy beside its counterpart's in another environment or region (viewer in both). */
export async function compareFilterPolicy(
  here: OperationContext,
  arn: string,
  there: OperationContext,
): Promise<PolicyComparison> {
  refuseBelow(here, "viewer");
  refuseBelow(there, "viewer");
  refuseSameScope(here, there, "environment");
  const subscription = await getSubscriptionOrThrow(arn, here.aws.clients);
  const match = await findCounterpart(there, subscription);
  // The counterpart is shown only to who may view it there.
  if (match.status === "one") await requireRoleOn(there, subscriptionResource(there, match.subscription.arn), "viewer");
  const ours: PolicyState = { policy: subscription.filterPolicy, scope: subscription.filterPolicyScope };
  const comparison: PolicyComparison = {
    here: { ...ours, arn, environment: here.environment, role: here.actor.role },
    there: {
      environment: there.environment,
      role: there.actor.role,
      match: match.status,
      message: counterpartMessage(subscription, match, `${there.environment.name} (${there.environment.region})`),
    },
  };
  if (match.status === "several") comparison.there.candidates = match.subscriptions.map((s) => s.arn);
  if (match.status === "one") {
    const theirs: PolicyState = {
      policy: match.subscription.filterPolicy,
      scope: match.subscription.filterPolicyScope,
    };
    comparison.there.counterpart = { ...theirs, arn: match.subscription.arn };
    comparison.diff = diffPolicies(ours, theirs);
  }
  return comparison;
}

export interface CopyFilterPolicyInput {
  /** The source subscription, checked by the route to be in `source`'s region and account. */
  sourceArn: string;
  /** The target's policy as the caller saw it: a change made since is a 409, as for a save. */
  expected: PolicyState;
}

/**
 * Puts the source subscription's policy and scope on `arn` in the target context: operator in the
 * target (a read-only target refuses), viewer in the source. Validated, guarded, audited and kept in
 * the target's history as a save is, naming the source.
 */
export async function copyFilterPolicy(
  target: OperationContext,
  arn: string,
  source: OperationContext,
  input: CopyFilterPolicyInput,
) {
  refuseBelow(target, "operator");
  refuseBelow(source, "viewer");
  refuseSameScope(target, source, "from");
  await requireRoleOn(source, subscriptionResource(source, input.sourceArn), "viewer", "from.subscriptionArn");
  const from = await getSubscriptionOrThrow(input.sourceArn, source.aws.clients);
  if (from.filterPolicy === null) {
    throw validationError(
      "from.subscriptionArn",
      "has no filter policy, so there is nothing to copy (to deliver every message here, remove this policy in the editor)",
    );
  }
  compileFilterPolicyOrThrow(from.filterPolicy, from.filterPolicyScope, "from.policy");
  const copiedFrom = {
    environment: source.environment.id,
    region: source.environment.region,
    subscriptionArn: from.arn,
  };
  return applyChange(target, arn, { policy: from.filterPolicy, scope: from.filterPolicyScope }, input.expected, {
    action: "filter-policy.copy",
    note: `copied from ${source.environment.name} (${source.environment.region}), ${from.arn}`,
    auditAfter: { copiedFrom },
  });
}
