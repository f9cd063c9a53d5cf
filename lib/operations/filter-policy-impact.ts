import "server-only";
import { compileFilterPolicy, type FilterPolicyScope } from "../domain/filter-policy";
import {
  topicImpact,
  policyImpact,
  type ImpactEvent,
  type ImpactGroup,
  type ImpactPolicy,
  type PolicyImpact,
  type TopicImpact,
} from "../domain/filter-policy/impact";
import { maskPublished } from "../domain/dead-letter-message";
import { arnName, type Subscription } from "../domain/subscription";
import { getSubscriptionOrThrow, listTopicSubscriptions } from "../aws/sns";
import { describeQueue, receiveMessages } from "../aws/sqs";
import { getStore, listRecentEvents } from "../store";
import { scopeOfContext, type OperationContext } from "./context";
import { compileFilterPolicyOrThrow } from "./filter-policy";
import { ensureTapReader, publishedOf, subscriptionDeadLetterQueues } from "./pipeline-samples";

/**
 * What saving a draft filter policy would do to real traffic: the subscription's current and draft
 * policies over the topic's recent events (the tap) and over the subscription's dead letters, and
 * over every subscription of the topic, the recent events nobody would receive. Changes nothing.
 */

/** The most recent events read: the console keeps as many per environment and region (lib/store/recent-events.ts). */
export const IMPACT_RECENT_EVENTS = 10_000;
/** The most dead letters read per dead-letter queue. */
export const IMPACT_DEAD_LETTERS = 100;

export interface ImpactSource<I> {
  /** How many messages were read and evaluated. */
  read: number;
  /** Why there are none, or what to know about them. */
  notes: string[];
  /** Absent when there was nothing to read from (no tap queue, no dead-letter queue). */
  impact?: I;
}

export interface FilterPolicyImpact {
  subscriptionArn: string;
  topicArn: string;
  recentEvents: ImpactSource<PolicyImpact & { topic: TopicImpact }> & { tapConfigured: boolean };
  deadLetters: ImpactSource<PolicyImpact>;
  /** Time spent evaluating, reads excluded. */
  evaluationMs: number;
}

/** A live policy as the impact evaluates it; one AWS would not accept (it cannot be saved so) is said and left out. */
function livePolicy(subscription: Subscription): { policy: ImpactPolicy } | { invalid: string } {
  if (subscription.filterPolicy === null) return { policy: null };
  const compiled = compileFilterPolicy(subscription.filterPolicy, subscription.filterPolicyScope);
  return compiled.ok ? { policy: compiled.policy } : { invalid: compiled.error.reason };
}

/** Examples are served masked like every message the console shows, under the rules of now. */
function masked(ctx: OperationContext, group: ImpactGroup): ImpactGroup {
  return {
    count: group.count,
    examples: group.examples.map((e) => {
      const { body, attributes } = maskPublished({ body: e.body, attributes: e.attributes }, ctx.settings.mask);
      return { id: e.id, body, attributes };
    }),
  };
}

function maskedImpact<I extends PolicyImpact>(ctx: OperationContext, impact: I): I {
  return {
    ...impact,
    newlyDropped: masked(ctx, impact.newlyDropped),
    newlyDelivered: masked(ctx, impact.newlyDelivered),
  };
}

/**
 * Reads up to `max` dead letters without taking them: received with a visibility timeout of 0, so
 * they stay visible to every operator and to a redrive, and no lease is disturbed. Letters an
 * operator holds in a lease are invisible and so not read. A queue with a redrive policy of its own
 * is not read at all: each receive counts toward its maxReceiveCount.
 */
async function peekDeadLetters(ctx: OperationContext, subscription: Subscription) {
  const events: ImpactEvent[] = [];
  const notes: string[] = [];
  const dlqArns = await subscriptionDeadLetterQueues(ctx, subscription);
  if (dlqArns.length === 0)
    return { events, notes: ["This subscription and its queue have no dead-letter queue."], dlqs: 0 };
  for (const dlqArn of dlqArns) {
    const dlq = await describeQueue(arnName(dlqArn), ctx.aws.clients);
    if (dlq.redrivePolicy) {
      notes.push(`${dlq.name} has a redrive policy of its own; it is not read here.`);
      continue;
    }
    const seen = new Set<string>();
    // SQS answers a sample of the queue each time: stop once two receives in a row bring nothing new.
    for (let calls = 0, idle = 0; seen.size < IMPACT_DEAD_LETTERS && idle < 2 && calls < 30; calls++) {
      const batch = await receiveMessages(dlq.url, { max: 10, visibilitySeconds: 0, waitSeconds: 0 }, ctx.aws.clients);
      const fresh = batch.filter((m) => !seen.has(m.messageId));
      idle = fresh.length ? 0 : idle + 1;
      for (const m of fresh.slice(0, IMPACT_DEAD_LETTERS - seen.size)) {
        seen.add(m.messageId);
        events.push({ id: m.messageId, ...publishedOf(m) });
      }
    }
    const total = dlq.visible + dlq.inFlight;
    if (total > seen.size)
      notes.push(
        `${dlq.name}: ${seen.size} of about ${total} letters read` +
          (dlq.inFlight ? ` (${dlq.inFlight} held in leases are not read)` : "") +
          ".",
      );
  }
  if (events.length === 0 && notes.length === 0)
    notes.push(`No dead letters in ${dlqArns.map(arnName).join(" or ")} right now.`);
  return { events, notes, dlqs: dlqArns.length };
}

/** The topic's latest events as the tap reader kept them (masked when stored), newest first. */
async function readRecentEvents(ctx: OperationContext, topicArn: string) {
  ensureTapReader(ctx);
  return listRecentEvents(await getStore(), scopeOfContext(ctx), topicArn, IMPACT_RECENT_EVENTS);
}

/** `arn` is checked by the route (lib/api/params.ts); the draft is validated before any AWS call. */
export async function filterPolicyImpact(
  ctx: OperationContext,
  arn: string,
  input: { policy: unknown; scope: FilterPolicyScope },
): Promise<FilterPolicyImpact> {
  const draft = compileFilterPolicyOrThrow(input.policy, input.scope);
  const subscription = await getSubscriptionOrThrow(arn, ctx.aws.clients);
  const live = livePolicy(subscription);
  const current = "policy" in live ? live.policy : undefined;
  const liveNote =
    "invalid" in live ? [`The live policy is not valid for AWS (${live.invalid}): nothing is compared.`] : [];
  const tap = ctx.settings.tapQueue;

  const [recent, deadLetters, others] = await Promise.all([
    tap ? readRecentEvents(ctx, subscription.topicArn) : undefined,
    peekDeadLetters(ctx, subscription),
    listTopicSubscriptions(subscription.topicArn, ctx.aws.clients),
  ]);

  const otherPolicies: ImpactPolicy[] = [];
  const topicNotes: string[] = [];
  for (const other of others) {
    // A subscription waiting for confirmation receives nothing yet; the tap queue receives everything
    // for the console's sake, not for anyone to act on, so it would hide every unread event.
    if (other.arn === subscription.arn || other.pendingConfirmation) continue;
    if (tap && other.protocol === "sqs" && arnName(other.endpoint) === tap) continue;
    const policy = livePolicy(other);
    if ("policy" in policy) otherPolicies.push(policy.policy);
    else
      topicNotes.push(
        `${arnName(other.endpoint)}'s live policy is not valid for AWS: it is counted as receiving nothing.`,
      );
  }

  const started = performance.now();
  const recentEvents: FilterPolicyImpact["recentEvents"] = tap
    ? { tapConfigured: true, read: recent?.length ?? 0, notes: [...liveNote, ...topicNotes] }
    : {
        tapConfigured: false,
        read: 0,
        notes: [
          "No tap queue is configured (FANOUT_TAP_QUEUE): AWS keeps no list of what a topic published, so there are no recent events to judge the change on.",
        ],
      };
  if (recent && recent.length === 0)
    recentEvents.notes.push(`Nothing from ${arnName(subscription.topicArn)} has reached the tap queue ${tap} yet.`);
  if (recent && recent.length > 0 && current !== undefined) {
    const events = recent.map((e) => ({ id: e.messageId, body: e.body, attributes: e.attributes }));
    const impact = topicImpact(current, draft, otherPolicies, events);
    recentEvents.impact = {
      ...maskedImpact(ctx, impact),
      topic: {
        ...impact.topic,
        reachNoSubscriber: masked(ctx, impact.topic.reachNoSubscriber),
        newlyReachNoSubscriber: masked(ctx, impact.topic.newlyReachNoSubscriber),
      },
    };
  }
  const dead: FilterPolicyImpact["deadLetters"] = {
    read: deadLetters.events.length,
    notes: [...(deadLetters.dlqs > 0 ? liveNote : []), ...deadLetters.notes],
  };
  if (deadLetters.dlqs > 0 && current !== undefined)
    dead.impact = maskedImpact(ctx, policyImpact(current, draft, deadLetters.events));
  return {
    subscriptionArn: subscription.arn,
    topicArn: subscription.topicArn,
    recentEvents,
    deadLetters: dead,
    evaluationMs: Math.round((performance.now() - started) * 10) / 10,
  };
}
