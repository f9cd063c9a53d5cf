import type { ResourceRef, TagsByArn } from "./bindings";
import type { Subscription } from "./subscription";
import type { MayView, TopologyNode } from "./topology";
import type { TraceListItem } from "./traces/summary";

/**
 * Lists as the caller may view them (role bindings, lib/domain/bindings.ts): an item is about one or
 * more resources and is shown when the caller may view one of them; what is left out is counted, so
 * that a page says "hidden by your bindings" rather than reading as healthy. Answers shared between
 * viewers are computed for everyone, then filtered per request with these. Pure.
 */

/**
 * What an item is about: the resources it names, shown when the caller may view one of them (an
 * empty list reaches nothing, so it is hidden).
 */
export type About = readonly ResourceRef[];

export interface Shown<T> {
  shown: T[];
  /** Items left out: about resources the caller's bindings do not reach. */
  hidden: number;
}

/** The items `mayView` lets through, in their order, and how many it kept out; all of them without `mayView`. */
export function shownTo<T>(items: readonly T[], aboutOf: (item: T) => About, mayView: MayView | undefined): Shown<T> {
  if (!mayView) return { shown: [...items], hidden: 0 };
  const shown = items.filter((item) => aboutOf(item).some(mayView));
  return { shown, hidden: items.length - shown.length };
}

/** `{ hidden }` in an answer filtered by the caller's bindings; nothing in one that was not, which stays as it was. */
export const hiddenCount = (mayView: MayView | undefined, hidden: number): { hidden?: number } =>
  mayView ? { hidden } : {};

/** A resource known by one ARN. */
export const resourceAt = (arn: string): ResourceRef[] => [{ arns: [arn] }];

/**
 * A subscription is its own ARN and its endpoint's, as when a route acts on it
 * (lib/operations/resource-access.ts subscriptionResource): a team bound to its queues sees what feeds them.
 */
export const subscriptionAbout = (subscription: Pick<Subscription, "arn" | "endpoint">): ResourceRef[] => [
  { arns: subscription.endpoint ? [subscription.arn, subscription.endpoint] : [subscription.arn] },
];

/** The tags the topology read, by ARN: what resources known from elsewhere (a dead-letter queue's row) are decided with. */
export function tagsOfNodes(nodes: readonly Pick<TopologyNode, "arn" | "tags">[]): TagsByArn {
  return new Map(nodes.flatMap((n) => (n.tags ? [[n.arn, n.tags] as const] : [])));
}

/** The ARN of the environment's topic, queue or function of a name (lib/operations/resource-access.ts arnsByName). */
export type ArnOf = (kind: "topic" | "queue" | "function", name: string) => string;

/**
 * A trace is about the topics, queues and functions its segments name, each on its own (a trace
 * through a team's queue is theirs to read, whoever published it); one named by its name only is
 * taken to be the environment's own. A trace that names none reaches nothing, so it is hidden.
 */
export function traceAbout(item: Pick<TraceListItem, "resources">, arnOf: ArnOf): ResourceRef[] {
  return item.resources.map((r) => ({ arns: [r.arn ?? arnOf(r.kind, r.name)] }));
}
