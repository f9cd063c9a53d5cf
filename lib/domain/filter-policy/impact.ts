import { evaluateFilterPolicy } from "./evaluate";
import type { CompiledPolicy, MessageAttribute } from "./types";

/**
 * What a filter-policy change would do to real traffic, before it is saved: the current and the
 * draft policy evaluated over the same events (what the topic published), and, over every
 * subscription of the topic, the events that no subscriber would receive after the change.
 * Pure: the events and the policies are given, nothing is read or sent.
 */

/** An event as the topic published it: its id, body and message attributes. */
export interface ImpactEvent {
  id: string;
  body: string;
  attributes: Record<string, MessageAttribute>;
}

/** How many events fall in a group, with the first few of them. */
export interface ImpactGroup {
  count: number;
  examples: ImpactEvent[];
}

export interface PolicyImpact {
  events: number;
  deliveredBefore: number;
  deliveredAfter: number;
  /** Delivered under the current policy, not under the draft. */
  newlyDropped: ImpactGroup;
  /** Delivered under the draft, not under the current policy. */
  newlyDelivered: ImpactGroup;
}

export interface TopicImpact {
  /** The topic's other subscriptions, whose current policies were evaluated too. */
  otherSubscriptions: number;
  /** Events that no subscription of the topic receives after the change. */
  reachNoSubscriber: ImpactGroup;
  /** Of those, the ones some subscription received before it: the change alone leaves them unread. */
  newlyReachNoSubscriber: ImpactGroup;
}

/**
 * A subscription's policy as the impact sees it: compiled, or null for none (it receives every
 * message, as SNS delivers everything to a subscription without a filter policy).
 */
export type ImpactPolicy = CompiledPolicy | null;

export const IMPACT_EXAMPLES = 5;

type Verdict = (event: ImpactEvent) => boolean;

const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/**
 * Whether a policy delivers an event, through the engine. An attribute policy's verdict depends only
 * on the attributes its keys name, and on whether the event has any attributes at all ("exists":
 * false never holds without any), so it is remembered by those: recent events of a topic repeat the
 * same few event types and regions, and most of them are then never evaluated twice. A body policy
 * is evaluated on each body.
 */
export function verdictOf(policy: ImpactPolicy): Verdict {
  if (policy === null) return () => true;
  if (policy.scope === "MessageBody") return (event) => evaluateFilterPolicy(policy, { body: event.body }).match;
  const names = [...policy.leafPaths.keys()];
  const remembered = new Map<string, boolean>();
  return (event) => {
    const attributes = event.attributes;
    let key = Object.keys(attributes).length ? "some" : "none";
    for (const name of names) {
      const attribute = hasOwn(attributes, name) ? attributes[name] : undefined;
      // Length-prefixed: no value can pass for another key's.
      key += attribute ? `|${attribute.Type}:${attribute.Value.length}:${attribute.Value}` : "|";
    }
    let verdict = remembered.get(key);
    if (verdict === undefined) {
      verdict = evaluateFilterPolicy(policy, { attributes }).match;
      remembered.set(key, verdict);
    }
    return verdict;
  };
}

function group(): ImpactGroup {
  return { count: 0, examples: [] };
}

function add(into: ImpactGroup, event: ImpactEvent, examples: number): void {
  into.count++;
  if (into.examples.length < examples) into.examples.push(event);
}

/** The current and the draft policy of one subscription over the same events. */
export function policyImpact(
  current: ImpactPolicy,
  draft: ImpactPolicy,
  events: readonly ImpactEvent[],
  examples = IMPACT_EXAMPLES,
): PolicyImpact {
  return impactWithVerdicts(current, draft, events, examples).impact;
}

function impactWithVerdicts(
  current: ImpactPolicy,
  draft: ImpactPolicy,
  events: readonly ImpactEvent[],
  examples: number,
) {
  const impact: PolicyImpact = {
    events: events.length,
    deliveredBefore: 0,
    deliveredAfter: 0,
    newlyDropped: group(),
    newlyDelivered: group(),
  };
  // Each event's verdicts, kept for the topic-wide part: 1 before, 2 after.
  const verdicts = new Uint8Array(events.length);
  const deliversBefore = verdictOf(current);
  const deliversAfter = draft === current ? deliversBefore : verdictOf(draft);
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    const before = deliversBefore(event);
    const after = deliversAfter(event);
    if (before) impact.deliveredBefore++;
    if (after) impact.deliveredAfter++;
    if (before && !after) add(impact.newlyDropped, event, examples);
    if (after && !before) add(impact.newlyDelivered, event, examples);
    verdicts[i] = (before ? 1 : 0) | (after ? 2 : 0);
  }
  return { impact, verdicts };
}

/**
 * The change over the whole topic: this subscription's current and draft policies, and the current
 * policy of each other subscription. An event the other subscriptions receive is never unread;
 * they are asked only about events this subscription does not receive after the change.
 */
export function topicImpact(
  current: ImpactPolicy,
  draft: ImpactPolicy,
  others: readonly ImpactPolicy[],
  events: readonly ImpactEvent[],
  examples = IMPACT_EXAMPLES,
): PolicyImpact & { topic: TopicImpact } {
  const { impact, verdicts } = impactWithVerdicts(current, draft, events, examples);
  const topic: TopicImpact = {
    otherSubscriptions: others.length,
    reachNoSubscriber: group(),
    newlyReachNoSubscriber: group(),
  };
  // A subscription without a policy receives everything: no event is unread.
  const someoneTakesAll = others.includes(null);
  // Attribute policies first: they answer from what they remember, a body policy parses the body.
  const rank = (p: ImpactPolicy) => (p?.scope === "MessageBody" ? 1 : 0);
  const deliversOther = [...others].sort((a, b) => rank(a) - rank(b)).map(verdictOf);
  for (let i = 0; i < events.length; i++) {
    if (someoneTakesAll || verdicts[i]! & 2) continue;
    const event = events[i]!;
    if (deliversOther.some((delivers) => delivers(event))) continue;
    add(topic.reachNoSubscriber, event, examples);
    if (verdicts[i]! & 1) add(topic.newlyReachNoSubscriber, event, examples);
  }
  return { ...impact, topic };
}
