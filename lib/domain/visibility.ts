import type { CanView, ResourceRef, TagsByArn } from "./bindings";
import type { Subscription } from "./subscription";
import type { TopologyNode } from "./topology/model";
import type { TraceListItem } from "./traces/summary";

/**
 * Lists as the caller may view them (role bindings, lib/domain/bindings.ts): an item is about one or
 * more resources and is shown when the caller may view one of them; what is left out is counted, so
 * that a page says "hidden by your bindings" rather than reading as healthy. Answers shared between
 * viewers are computed for everyone, then filtered per request with these. Pure.
 */

/**
 * What an item is about: the resources it names, shown when the caller may view one of them (an
 * empty list reaches nothing, so it is hidden); undefined is about no resource in particular (the
 * pipeline end to end), shown to whoever sees the environment.
 */
export type About = readonly ResourceRef[] | undefined;

export interface Shown<T> {
  shown: T[];
  /** Items left out: about resources the caller's bindings do not reach. */
  hidden: number;
}

/** The items `canView` lets through, in their order, and how many it kept out; all of them without `canView`. */
export function shownTo<T>(items: readonly T[], aboutOf: (item: T) => About, canView: CanView | undefined): Shown<T> {
  if (!canView) return { shown: [...items], hidden: 0 };
  const shown = items.filter((item) => {
    const about = aboutOf(item);
    return about === undefined || about.some(canView);
  });
  return { shown, hidden: items.length - shown.length };
}

/** `{ hidden }` in an answer filtered by the caller's bindings; nothing in one that was not, which stays as it was. */
export const hiddenCount = (canView: CanView | undefined, hidden: number): { hidden?: number } =>
  canView ? { hidden } : {};

/** A resource known by one ARN. */
export const resourceAt = (arn: string): ResourceRef[] => [{ arns: [arn] }];

/**
 * A subscription is its own ARN and its endpoint's, as when a route acts on it
 * (lib/operations/resource-access.ts subscriptionResource): a team bound to its queues sees what feeds them.
 */
export const subscriptionAbout = (subscription: Pick<Subscription, "arn" | "endpoint">): ResourceRef[] => [
  { arns: subscription.endpoint ? [subscription.arn, subscription.endpoint] : [subscription.arn] },
];

/** The tags the topology read, by ARN: what its nodes' lists decide tag bindings with. */
export function tagsOfNodes(nodes: readonly Pick<TopologyNode, "arn" | "tags">[]): TagsByArn {
  return new Map(nodes.flatMap((n) => (n.tags ? [[n.arn, n.tags] as const] : [])));
}

/** Where an environment's resources are, to name by ARN a resource known by its name only. */
export interface ArnScope {
  partition: string;
  region: string;
  account: string;
}

/** The ARN of a topic, queue or function of the environment, from its name. */
export function arnIn(scope: ArnScope, kind: "topic" | "queue" | "function", name: string): string {
  const { partition, region, account } = scope;
  if (kind === "function") return `arn:${partition}:lambda:${region}:${account}:function:${name}`;
  return `arn:${partition}:${kind === "topic" ? "sns" : "sqs"}:${region}:${account}:${name}`;
}

/**
 * A trace is about the topics, queues and functions its segments name, each on its own (a trace
 * through a team's queue is theirs to read, whoever published it); one named by its name only is
 * taken to be the environment's own. A trace that names none reaches nothing, so it is hidden.
 */
export function traceAbout(item: Pick<TraceListItem, "resources">, scope: ArnScope): ResourceRef[] {
  return item.resources.map((r) => ({ arns: [r.arn ?? arnIn(scope, r.kind, r.name)] }));
}
