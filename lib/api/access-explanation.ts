import { QUEUE_RULES, ROUTE_ACCESS, type ProtectedRoute } from "./access";
import { describeBinding, explainAccess, type Access, type ResourceRef } from "../domain/bindings";
import { roleAtLeast, type Role } from "../domain/roles";

/**
 * "What can this user do here, and why?": a user's bindings judged against one resource, and every
 * action of the API on that kind of resource allowed or not. Pure, from the access table itself, so the
 * answer cannot drift from what the routes enforce.
 */

export type ResourceKind = "queue" | "subscription" | "topic" | "function";

/** What kind of resource an ARN names (AWS General Reference, "Amazon Resource Names"), or undefined. */
export function resourceKindOf(arn: string): ResourceKind | undefined {
  const [prefix, , service, , , ...rest] = arn.split(":");
  if (prefix !== "arn" || rest.length === 0) return undefined;
  if (service === "sqs" && rest.length === 1) return "queue";
  if (service === "sns") return rest.length === 2 ? "subscription" : rest.length === 1 ? "topic" : undefined;
  if (service === "lambda" && rest[0] === "function") return "function";
  return undefined;
}

/** The access table's routes about one resource of a kind: what a role on that resource lets someone do. */
const ROUTE_PREFIX: Record<ResourceKind, string | undefined> = {
  queue: "/api/queues/[name]",
  subscription: "/api/subscriptions/[arn]",
  topic: "/api/topics/[arn]",
  function: undefined,
};

export function routesOn(kind: ResourceKind): ProtectedRoute[] {
  const prefix = ROUTE_PREFIX[kind];
  if (!prefix) return [];
  return (Object.keys(ROUTE_ACCESS) as Array<keyof typeof ROUTE_ACCESS>).filter(
    (route): route is ProtectedRoute => route.split(" ")[1]!.startsWith(prefix) && ROUTE_ACCESS[route] !== "public",
  );
}

export interface ActionVerdict {
  route: ProtectedRoute;
  needs: Role;
  allowed: boolean;
  /** What the operation checks beyond the role (a viewer leases dead-letter queues only, within caps). */
  rule?: string;
}

export interface UserAccessExplanation {
  /** The highest role the user's bindings give in the environment (what routes check before any lookup). */
  environmentRole: Role | undefined;
  /** The user's role on the resource. */
  role: Role | undefined;
  bindings: Array<{ binding: string; from: string; list: "bindings" | "cap"; matches: boolean; why?: string }>;
  actions: ActionVerdict[];
}

/**
 * The explanation for one user, resource and environment; `readOnly` caps every role at viewer, as
 * the environment does for every request.
 */
export function explainUserAccess(
  access: Access,
  environment: { id: string; readOnly: boolean },
  resource: ResourceRef & { kind: ResourceKind },
  environmentRole: Role | undefined,
): UserAccessExplanation {
  const explained = explainAccess(access, environment.id, resource);
  const role = explained.role && environment.readOnly ? "viewer" : explained.role;
  const rules: Partial<Record<ProtectedRoute, string>> = QUEUE_RULES;
  return {
    environmentRole,
    role,
    bindings: explained.verdicts.map((v) => ({
      binding: describeBinding(v.binding),
      from: v.binding.from,
      list: v.list,
      matches: v.mismatch === undefined,
      ...(v.mismatch !== undefined ? { why: v.mismatch } : {}),
    })),
    actions: routesOn(resource.kind).map((route) => {
      const needs = ROUTE_ACCESS[route] as Role;
      const rule = rules[route];
      return { route, needs, allowed: role !== undefined && roleAtLeast(role, needs), ...(rule ? { rule } : {}) };
    }),
  };
}
