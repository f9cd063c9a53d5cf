import { describe, expect, it } from "vitest";
import { API_ROUTES } from "@/app/api/openapi.json/routes.generated";
import { highestRoleInEnvironment, roleOnResource, type Access, type Binding } from "../domain/bindings";
import { roleAtLeast, type Role } from "../domain/roles";
import { minimumRole, ROUTE_ACCESS, type ProtectedRoute } from "./access";
import { describedHandlers, loadRoutes } from "./openapi";

/**
 * The binding matrix: every route of the access table, decided for users whose bindings name
 * environments, ARN patterns and tags, on the resources a route acts on. What each user may do on
 * each resource is written out below by hand, not derived from the code under test.
 */

const loaded = await loadRoutes(API_ROUTES);
/** Each route's handler as withSession built it: whether it checks its role on the resource its path names. */
const onResource = new Map(
  loaded.flatMap((route) =>
    describedHandlers(route.module).map(([method, described]) => [`${method} ${route.path}`, described.onResource]),
  ),
);

const protectedRoutes = (Object.keys(ROUTE_ACCESS) as Array<keyof typeof ROUTE_ACCESS>).filter(
  (route): route is ProtectedRoute => ROUTE_ACCESS[route] !== "public",
);
/** Routes about one resource its path names: a queue, a subscription, a topic, or a redrive job (its dead-letter queue). */
const aboutOneResource = (route: string) =>
  /^\w+ \/api\/(queues\/\[name\]|subscriptions\/\[arn\]|topics\/\[arn\]|redrive-jobs\/\[jobId\])/.test(route);

const arn = (name: string) => `arn:aws:sqs:eu-west-1:111111111111:${name}`;
const RESOURCES = {
  payments: { arns: [arn("payments-dlq")], tags: { team: "payments" } },
  orders: { arns: [arn("orders-dlq")], tags: { team: "orders" } },
  // A subscription feeding the payments queue: its own ARN and its endpoint's.
  paymentsSubscription: {
    arns: ["arn:aws:sns:eu-west-1:111111111111:events:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", arn("payments")],
    tags: {},
  },
} as const;
type ResourceName = keyof typeof RESOURCES;

const bind = (role: Role, environments: string[], more: Partial<Binding> = {}): Binding => ({
  role,
  environments,
  from: "test",
  ...more,
});
const USERS: Record<string, Access> = {
  // One team: reads all of production, operates its own queues (and what feeds them) everywhere.
  payments: {
    bindings: [
      bind("viewer", ["production"]),
      bind("operator", ["production", "staging"], { resources: ["arn:aws:sqs:*:*:payments*"] }),
    ],
  },
  // A user in two groups: A operates staging and views production's orders queues; B views production.
  // Each group alone only reads production: together they must not operate there.
  twoGroups: {
    bindings: [
      bind("operator", ["staging"]),
      bind("viewer", ["production"], { resources: ["arn:aws:sqs:*:*:orders-*"] }),
      bind("viewer", ["production"]),
    ],
  },
  // Bound by tag only.
  tagged: { bindings: [bind("operator", ["*"], { tags: { team: "orders" } })] },
  // A token: admin bindings within its creator's (viewer of production's payments queues).
  token: {
    bindings: [bind("admin", ["*"])],
    caps: [[bind("viewer", ["production"], { resources: ["arn:aws:sqs:*:*:payments*"] })]],
  },
};

/** By hand: each user's role on each resource, in each environment ("-": none). */
const EXPECTED: Record<string, Record<string, Record<ResourceName, Role | "-">>> = {
  payments: {
    production: { payments: "operator", orders: "viewer", paymentsSubscription: "operator" },
    staging: { payments: "operator", orders: "-", paymentsSubscription: "operator" },
    development: { payments: "-", orders: "-", paymentsSubscription: "-" },
  },
  twoGroups: {
    production: { payments: "viewer", orders: "viewer", paymentsSubscription: "viewer" },
    staging: { payments: "operator", orders: "operator", paymentsSubscription: "operator" },
    development: { payments: "-", orders: "-", paymentsSubscription: "-" },
  },
  tagged: {
    production: { payments: "-", orders: "operator", paymentsSubscription: "-" },
    staging: { payments: "-", orders: "operator", paymentsSubscription: "-" },
    development: { payments: "-", orders: "operator", paymentsSubscription: "-" },
  },
  token: {
    production: { payments: "viewer", orders: "-", paymentsSubscription: "viewer" },
    staging: { payments: "-", orders: "-", paymentsSubscription: "-" },
    development: { payments: "-", orders: "-", paymentsSubscription: "-" },
  },
};
const grants: Record<Role | "-", Role[]> = {
  "-": [],
  viewer: ["viewer"],
  operator: ["viewer", "operator"],
  admin: ["viewer", "operator", "admin"],
};

/** What the route wrapper decides: the least role in the environment before any lookup, then on the resource. */
function decide(access: Access, environment: string, route: ProtectedRoute, resource: ResourceName): boolean {
  const least = minimumRole(route);
  const inEnvironment = highestRoleInEnvironment(access, environment);
  if (!inEnvironment || !roleAtLeast(inEnvironment, least)) return false;
  if (!onResource.get(route)) return true;
  const role = roleOnResource(access, environment, RESOURCES[resource]);
  return role !== undefined && roleAtLeast(role, least);
}

describe("the binding matrix", () => {
  it("checks its role on the resource in every route about one resource, and in no other", () => {
    expect(protectedRoutes.filter((route) => onResource.get(route) === undefined)).toEqual([]);
    expect(protectedRoutes.filter((route) => aboutOneResource(route) !== onResource.get(route))).toEqual([]);
    expect(protectedRoutes.filter(aboutOneResource).length).toBeGreaterThan(20);
  });

  it("allows a route on a resource exactly when the user's role on THAT resource grants its least role", () => {
    let decisions = 0;
    for (const [user, access] of Object.entries(USERS))
      for (const [environment, byResource] of Object.entries(EXPECTED[user]!))
        for (const [resource, role] of Object.entries(byResource) as Array<[ResourceName, Role | "-"]>)
          for (const route of protectedRoutes.filter(aboutOneResource)) {
            const expected = grants[role].includes(minimumRole(route));
            expect(
              decide(access, environment, route, resource),
              `${user} ${route} on ${resource} in ${environment}`,
            ).toBe(expected);
            decisions++;
          }
    expect(decisions).toBe(4 * 3 * 3 * protectedRoutes.filter(aboutOneResource).length);
  });

  it("never lets the two groups together operate production, though each group alone reads it", () => {
    const operatorRoutes = protectedRoutes.filter((r) => aboutOneResource(r) && minimumRole(r) === "operator");
    for (const resource of ["payments", "orders"] as const)
      expect(operatorRoutes.filter((route) => decide(USERS.twoGroups!, "production", route, resource))).toEqual([]);
    expect(operatorRoutes.every((route) => decide(USERS.twoGroups!, "staging", route, "orders"))).toBe(true);
  });

  it("decides routes about no single resource by the user's highest role in the environment", () => {
    const elsewhere = protectedRoutes.filter((route) => !aboutOneResource(route));
    const expectedHighest: Record<string, Record<string, Role | "-">> = {
      payments: { production: "operator", staging: "operator", development: "-" },
      twoGroups: { production: "viewer", staging: "operator", development: "-" },
      tagged: { production: "operator", staging: "operator", development: "operator" },
      token: { production: "viewer", staging: "-", development: "-" },
    };
    for (const [user, access] of Object.entries(USERS))
      for (const [environment, role] of Object.entries(expectedHighest[user]!))
        for (const route of elsewhere)
          expect(decide(access, environment, route, "orders"), `${user} ${route} in ${environment}`).toBe(
            grants[role].includes(minimumRole(route)),
          );
  });
});
