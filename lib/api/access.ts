import type { Role } from "../domain/roles";

/**
 * Who may call what: every API route and method with the least role it needs, in one table. Route
 * handlers take their role from here (`withSession("PUT /api/…", …)`), and a unit test fails on
 * any route under app/api that is missing, so a new route cannot ship unlisted. "public" routes
 * answer without a session: sign-in itself, and liveness (which says more with a session).
 *
 * Viewers read; operators change pipelines (filter policies, replays, consumers, deletions);
 * admins also do what cannot be undone at scale (purging a queue).
 */
export const ROUTE_ACCESS = {
  "GET /api/auth/[...nextauth]": "public",
  "POST /api/auth/[...nextauth]": "public",
  "GET /api/health": "public",

  // "What can this user do here, and why": other people's permissions are for admins.
  "GET /api/access": "admin",
  "GET /api/audit": "viewer",
  "GET /api/capabilities": "viewer",
  "GET /api/dead-letters": "viewer",
  "GET /api/dlqs": "viewer",
  "GET /api/environments": "viewer",
  "GET /api/incidents": "viewer",
  "GET /api/metrics": "viewer",
  "GET /api/openapi.json": "viewer",
  "GET /api/overview": "viewer",
  "GET /api/overview-summary": "viewer",
  "GET /api/sla": "viewer",
  "GET /api/topics": "viewer",
  "GET /api/topology": "viewer",
  "GET /api/topology/nodes/[id]": "viewer",
  "GET /api/traces": "viewer",
  "GET /api/traces/[id]": "viewer",
  "GET /api/traces/map": "viewer",
  "GET /api/traces/story": "viewer",

  // Filter policies: testing a message changes nothing; saving and rolling back do.
  "POST /api/filter-policy/test": "viewer",
  "POST /api/topics/[arn]/route": "viewer",
  "GET /api/subscriptions": "viewer",
  "GET /api/subscriptions/[arn]": "viewer",
  "GET /api/subscriptions/[arn]/samples": "viewer",
  "GET /api/subscriptions/[arn]/filter-policy/history": "viewer",
  // What a draft would change over recent events and dead letters: dead letters are peeked (visibility 0), never held.
  "POST /api/subscriptions/[arn]/filter-policy/impact": "viewer",
  "PUT /api/subscriptions/[arn]/filter-policy": "operator",
  "POST /api/subscriptions/[arn]/filter-policy/rollback": "operator",
  // Across environments, the table's role is the one in the route's scope (the target of a copy);
  // the operation checks the caller is at least a viewer in the other environment.
  "GET /api/subscriptions/[arn]/filter-policy/compare": "viewer",
  "POST /api/subscriptions/[arn]/filter-policy/copy": "operator",
  "GET /api/sample-messages": "viewer",
  "POST /api/sample-messages": "operator",
  "DELETE /api/sample-messages/[id]": "operator",

  // Dead letters: reading leases messages. A viewer may lease a dead-letter queue only, within caps;
  // any other queue needs an operator (QUEUE_RULES below). Acting on messages needs an operator.
  "GET /api/queues": "viewer",
  "GET /api/queues/[name]/messages": "viewer",
  "POST /api/queues/[name]/lease/renew": "viewer",
  "POST /api/queues/[name]/lease/release": "viewer",
  "GET /api/queues/[name]/leases": "viewer",
  // Ends other people's leases: it changes what they see and hides nothing new, but a viewer must not end an operator's work.
  "POST /api/queues/[name]/leases/take-over": "operator",
  "POST /api/queues/[name]/messages/export": "viewer",
  "POST /api/queues/[name]/messages/reveal": "operator",
  "POST /api/queues/[name]/messages/delete": "operator",
  "POST /api/queues/[name]/replay": "operator",
  // Into a queue of another environment: the operation checks the operator role there too.
  "POST /api/queues/[name]/copy": "operator",
  // Reads traces and Lambda for a replay about to start: only who can replay needs it.
  "POST /api/queues/[name]/replay-check": "operator",
  "POST /api/queues/[name]/purge": "admin",
  "GET /api/queues/[name]/consumers": "viewer",
  "PUT /api/queues/[name]/consumers": "operator",
  "GET /api/redrive-jobs": "viewer",
  "GET /api/redrive-jobs/[jobId]": "viewer",
  "POST /api/redrive-jobs/[jobId]/[action]": "operator",

  // API tokens: anyone makes personal ones (no wider than themselves) and revokes their own; the
  // operation checks the admin role for service tokens and for other people's.
  "GET /api/tokens": "viewer",
  "POST /api/tokens": "viewer",
  "DELETE /api/tokens/[id]": "viewer",

  // Alerts: anyone reads them; silencing changes what the on-call hears. The operation checks the
  // operator role on what is silenced (every resource for a rule or a pattern).
  "GET /api/alerts": "viewer",
  "POST /api/alerts/silences": "operator",
  "DELETE /api/alerts/silences/[id]": "operator",
  // Destinations decide who hears of the whole environment, and hold secrets: admins only (on every
  // resource, the operation checks), as is the key webhooks are signed with.
  "GET /api/alerts/destinations": "admin",
  "POST /api/alerts/destinations": "admin",
  "DELETE /api/alerts/destinations/[id]": "admin",
  "POST /api/alerts/webhook-secret": "admin",
} as const satisfies Record<string, Role | "public">;

export type RouteKey = keyof typeof ROUTE_ACCESS;

/**
 * Routes on a queue whose table entry is the least role for the least queue: the operation also
 * checks what kind of queue it is (a dead-letter queue is one some queue's or SNS subscription's
 * redrive policy names), in `lib/domain/dead-letter-lease.ts` and `lib/operations/dead-letter-browse.ts`.
 * So the viewer rows change nothing in AWS beyond a capped lease of a dead-letter queue.
 */
export const QUEUE_RULES = {
  "GET /api/queues/[name]/messages":
    "viewer: dead-letter queues only, at most 100 messages a lease, 3 leases at once and 15 leased minutes " +
    "per queue per hour; any other queue: operator; a source queue: operator with confirm=source-read",
  "POST /api/queues/[name]/lease/renew": "viewer: within the 15 leased minutes per queue per hour (429 beyond)",
  "POST /api/queues/[name]/lease/release": "the caller's own lease only",
  "GET /api/queues/[name]/leases": "counts, holders and expiry of other leases and running jobs; receives nothing",
  "POST /api/queues/[name]/leases/take-over": "other people's leases only, never a redrive job's letters",
  "POST /api/queues/[name]/messages/export":
    "the caller's own lease only, masked as shown; reveal: true needs the reveal role of the queue's masking policy",
  "POST /api/queues/[name]/messages/reveal":
    "the caller's own lease only; at least the reveal role of the queue's masking policy (operator unless it says admin or none)",
  "POST /api/queues/[name]/copy":
    "the caller's own lease on a dead-letter queue only, masked as shown; operator in the target environment too",
  "POST /api/queues/[name]/replay-check": "the caller's own lease only; reads traces and Lambda, receives nothing",
  "POST /api/queues/[name]/messages/delete": "dead-letter queues only (422 on any other queue)",
  "POST /api/queues/[name]/purge": "dead-letter queues only (422 on any other queue)",
} as const satisfies Partial<Record<keyof typeof ROUTE_ACCESS, string>>;
/** A route that needs a session. */
export type ProtectedRoute = { [K in RouteKey]: (typeof ROUTE_ACCESS)[K] extends "public" ? never : K }[RouteKey];

/** The least role a protected route needs. */
export function minimumRole(route: ProtectedRoute): Role {
  return ROUTE_ACCESS[route] as Role;
}
