import { evaluateFilterPolicy } from "./evaluate";
import type { CompiledPolicy, FilterMessage, MessageAttribute } from "./types";

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

/** An event's body as a JSON object, or null when it is not one (no body policy matches it then). */
export type BodyOf = (event: ImpactEvent) => Record<string, unknown> | null;

const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** Each event's body parsed once, however many body policies look at it. */
export function parsedBodies(): BodyOf {
  const parsed = new Map<ImpactEvent, Record<string, unknown> | null>();
  return (event) => {
    let body = parsed.get(event);
    if (body === undefined) {
      body = null;
      try {
        const value: unknown = JSON.parse(event.body);
        if (value !== null && typeof value === "object" && !Array.isArray(value))
          body = value as Record<string, unknown>;
      } catch {
        // Not JSON: no body policy matches it.
      }
      parsed.set(event, body);
    }
    return body;
  };
}

/** Remembering stops paying when keys rarely repeat (a policy on an amount): then the engine is asked directly. */
const TRIAL_LOOKUPS = 500;
const WORTHWHILE_HITS = 0.2;

/** The engine's verdict, remembered under a key that holds everything the verdict depends on. */
function remembering(policy: CompiledPolicy, keyOf: (event: ImpactEvent) => string): Verdict {
  const remembered = new Map<string, boolean>();
  const evaluate = (event: ImpactEvent) => evaluateFilterPolicy(policy, messageFor(policy, event)).match;
  let lookups = 0;
  let hits = 0;
  let worthwhile = true;
  return (event) => {
    if (!worthwhile) return evaluate(event);
    const key = keyOf(event);
    let verdict = remembered.get(key);
    lookups++;
    if (verdict === undefined) {
      verdict = evaluate(event);
      remembered.set(key, verdict);
    } else hits++;
    if (lookups === TRIAL_LOOKUPS && hits < TRIAL_LOOKUPS * WORTHWHILE_HITS) {
      worthwhile = false;
      remembered.clear();
    }
    return verdict;
  };
}

function messageFor(policy: CompiledPolicy, event: ImpactEvent): FilterMessage {
  return policy.scope === "MessageBody" ? { body: event.body } : { attributes: event.attributes };
}

/**
 * Whether a policy delivers an event. The engine decides; its verdicts are remembered by what they
 * depend on, since recent events of a topic repeat the same few event types, regions and tiers:
 *
 * - an attribute policy reads only the attributes its keys name, and whether the event has any
 *   attributes at all ("exists": false never holds without any);
 * - a body policy reads only the top-level members of the body its paths start at (a member "a.b"
 *   stands for "a" then "b", so it counts under "a"), and nothing of a body that is not a JSON object.
 *
 * Keys are length-prefixed, so no value can pass for another's.
 */
export function verdictOf(policy: ImpactPolicy, bodyOf: BodyOf = parsedBodies()): Verdict {
  if (policy === null) return () => true;
  if (policy.scope === "MessageBody") {
    const roots = new Set(policy.pathTree.children.keys());
    return remembering(policy, (event) => {
      const body = bodyOf(event);
      if (!body) return "none";
      let key = "object";
      for (const name in body) {
        if (!hasOwn(body, name)) continue;
        const dot = name.indexOf(".");
        if (!roots.has(dot < 0 ? name : name.slice(0, dot))) continue;
        const value = JSON.stringify(body[name]);
        key += `|${name.length}:${name}${value.length}:${value}`;
      }
      return key;
    });
  }
  const names = [...policy.leafPaths.keys()];
  return remembering(policy, (event) => {
    const attributes = event.attributes;
    let key = Object.keys(attributes).length ? "some" : "none";
    for (const name of names) {
      const attribute = hasOwn(attributes, name) ? attributes[name] : undefined;
      key += attribute ? `|${attribute.Type}:${attribute.Value.length}:${attribute.Value}` : "|";
    }
    return key;
  });
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
  return impactWithVerdicts(current, draft, events, examples, parsedBodies()).impact;
}

function impactWithVerdicts(
  current: ImpactPolicy,
  draft: ImpactPolicy,
  events: readonly ImpactEvent[],
  examples: number,
  bodyOf: BodyOf,
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
  const deliversBefore = verdictOf(current, bodyOf);
  const deliversAfter = draft === current ? deliversBefore : verdictOf(draft, bodyOf);
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
  const bodyOf = parsedBodies();
  const { impact, verdicts } = impactWithVerdicts(current, draft, events, examples, bodyOf);
  const topic: TopicImpact = {
    otherSubscriptions: others.length,
    reachNoSubscriber: group(),
    newlyReachNoSubscriber: group(),
  };
  // A subscription without a policy receives everything: no event is unread.
  const someoneTakesAll = others.includes(null);
  // Attribute policies first: they answer without reading the body.
  const rank = (p: ImpactPolicy) => (p?.scope === "MessageBody" ? 1 : 0);
  const deliversOther = [...others].sort((a, b) => rank(a) - rank(b)).map((policy) => verdictOf(policy, bodyOf));
  for (let i = 0; i < events.length; i++) {
    if (someoneTakesAll || verdicts[i]! & 2) continue;
    const event = events[i]!;
    if (deliversOther.some((delivers) => delivers(event))) continue;
    add(topic.reachNoSubscriber, event, examples);
    if (verdicts[i]! & 1) add(topic.newlyReachNoSubscriber, event, examples);
  }
  return { ...impact, topic };
}
