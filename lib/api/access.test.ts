import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkLeaseAllowed, VIEWER_LEASE_LIMITS } from "../domain/dead-letter-lease";
import { roleAtLeast, roles, type EnvironmentRoles, type Role } from "../domain/roles";
import { highestRoleInEnvironment, shorthandBindings } from "../domain/bindings";
import { minimumRole, QUEUE_RULES, ROUTE_ACCESS, type ProtectedRoute } from "./access";

/** Every route module under app/api and the methods it exports, read from disk. */
function routesOnDisk(): Array<{ key: string; source: string; file: string }> {
  const root = path.resolve(import.meta.dirname, "../../app");
  const found: Array<{ key: string; source: string; file: string }> = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry === "route.ts") {
        const source = readFileSync(full, "utf8");
        const route = `/${path.relative(root, dir).split(path.sep).join("/")}`;
        const methods = new Set<string>();
        for (const m of source.matchAll(
          /export\s+(?:const|async function|function)\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g,
        ))
          methods.add(m[1]!);
        for (const m of source.matchAll(/\bas\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g)) methods.add(m[1]!);
        for (const method of methods)
          found.push({ key: `${method} ${route}`, source, file: path.relative(root, full) });
      }
    }
  };
  walk(path.join(root, "api"));
  return found;
}

describe("the access table", () => {
  const onDisk = routesOnDisk();

  it("finds the API on disk", () => {
    expect(onDisk.length).toBeGreaterThan(30);
  });

  it("lists every route and method under app/api", () => {
    const missing = onDisk.filter((r) => !(r.key in ROUTE_ACCESS)).map((r) => r.key);
    expect(missing).toEqual([]);
  });

  it("lists no route that does not exist", () => {
    const keys = new Set(onDisk.map((r) => r.key));
    expect(Object.keys(ROUTE_ACCESS).filter((k) => !keys.has(k))).toEqual([]);
  });

  it("is what each protected route handler enforces: the handler passes its own entry to withSession", () => {
    const wrong = onDisk
      .filter((r) => ROUTE_ACCESS[r.key as keyof typeof ROUTE_ACCESS] !== "public")
      .filter((r) => {
        const method = r.key.split(" ")[0]!;
        const escaped = r.key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        return !new RegExp(`export const ${method}\\s*=\\s*withSession(<[^>]*>)?\\(\\s*"${escaped}"`).test(r.source);
      })
      .map((r) => `${r.key} (${r.file})`);
    expect(wrong).toEqual([]);
  });

  it("lets every role read what is broken now (the start page)", () => {
    expect(ROUTE_ACCESS["GET /api/incidents"]).toBe("viewer");
  });

  it("gives the public routes no withSession and no role", () => {
    const publicRoutes = Object.entries(ROUTE_ACCESS)
      .filter(([, role]) => role === "public")
      .map(([key]) => key);
    expect(publicRoutes.sort()).toEqual([
      "GET /api/auth/[...nextauth]",
      "GET /api/health",
      "POST /api/auth/[...nextauth]",
    ]);
  });

  it("keeps changes away from viewers: every state-changing route but the pure evaluations needs an operator", () => {
    const viewerWrites = Object.entries(ROUTE_ACCESS)
      .filter(([key, role]) => !key.startsWith("GET ") && role === "viewer")
      .map(([key]) => key)
      .sort();
    // None changes anything in AWS beyond a capped lease of a dead-letter queue: a policy evaluation, a route preview,
    // the reader's own lease (renewed within its cap, or released), an export of what they already see, their own
    // API tokens (no wider than themselves), the impact of a draft policy (dead letters peeked at visibility 0).
    expect(viewerWrites).toEqual([
      "DELETE /api/tokens/[id]",
      "POST /api/filter-policy/test",
      "POST /api/queues/[name]/lease/release",
      "POST /api/queues/[name]/lease/renew",
      "POST /api/queues/[name]/messages/export",
      "POST /api/subscriptions/[arn]/filter-policy/impact",
      "POST /api/tokens",
      "POST /api/topics/[arn]/route",
    ]);
  });

  it("lets viewers see who holds a queue's letters, and only operators take other people's leases over", () => {
    expect(ROUTE_ACCESS["GET /api/queues/[name]/leases"]).toBe("viewer");
    expect(ROUTE_ACCESS["POST /api/queues/[name]/leases/take-over"]).toBe("operator");
    expect(QUEUE_RULES["POST /api/queues/[name]/leases/take-over"]).toContain("never a redrive job's letters");
  });

  it("lets a viewer lease only dead-letter queues, within caps: the rule the queue routes' operations enforce", () => {
    const queueRoutesForViewers = Object.entries(ROUTE_ACCESS)
      .filter(
        ([key, role]) =>
          key.includes("/api/queues/[name]/") && role === "viewer" && key !== "GET /api/queues/[name]/consumers",
      )
      .map(([key]) => key)
      .sort();
    // Every viewer route on a queue's messages has a rule by queue kind; so have delete and purge.
    expect(queueRoutesForViewers.filter((k) => !(k in QUEUE_RULES))).toEqual([]);
    expect(Object.keys(QUEUE_RULES)).toEqual(
      expect.arrayContaining(["POST /api/queues/[name]/messages/delete", "POST /api/queues/[name]/purge"]),
    );
    const dlq = { name: "orders-dlq", deadLetter: true };
    const live = { name: "orders", deadLetter: false };
    const source = {
      name: "orders",
      deadLetter: false,
      source: { maxReceiveCount: 3, deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:orders-dlq" },
    };
    expect(() => checkLeaseAllowed("viewer", dlq, false)).not.toThrow();
    expect(() => checkLeaseAllowed("viewer", live, false)).toThrow(expect.objectContaining({ code: "forbidden" }));
    expect(() => checkLeaseAllowed("viewer", source, true)).toThrow(expect.objectContaining({ code: "forbidden" }));
    expect(() => checkLeaseAllowed("operator", live, false)).not.toThrow();
    expect(() => checkLeaseAllowed("operator", source, false)).toThrow(
      expect.objectContaining({ code: "confirmation_required" }),
    );
    expect(() => checkLeaseAllowed("operator", source, true)).not.toThrow();
    expect(QUEUE_RULES["GET /api/queues/[name]/messages"]).toContain(`${VIEWER_LEASE_LIMITS.messages} messages`);
    expect(QUEUE_RULES["GET /api/queues/[name]/messages"]).toContain(
      `${VIEWER_LEASE_LIMITS.secondsPerHour / 60} leased minutes`,
    );
  });
});

describe("the access table, per environment", () => {
  const protectedRoutes = Object.entries(ROUTE_ACCESS)
    .filter(([, role]) => role !== "public")
    .map(([key]) => key as ProtectedRoute);
  const mutations = protectedRoutes.filter((route) => !route.startsWith("GET "));
  /** What the route wrapper decides first: the user's role in the request's environment against the route's least role. */
  const allows = (user: { role: Role; roles?: EnvironmentRoles }, environmentId: string, route: ProtectedRoute) => {
    const bindings = shorthandBindings(user, ["staging", "production", "development"], "users[test]");
    const role = highestRoleInEnvironment({ bindings }, environmentId);
    return role !== undefined && roleAtLeast(role, minimumRole(route));
  };
  // Written out, not derived from the roles' order: what each role may do.
  const grants: Record<Role, Role[]> = {
    viewer: ["viewer"],
    operator: ["viewer", "operator"],
    admin: ["viewer", "operator", "admin"],
  };

  it("decides every route in each environment by the role there alone: (role in staging, in production) × routes", () => {
    let decisions = 0;
    for (const inStaging of roles)
      for (const inProduction of roles)
        for (const byDefault of roles) {
          const user = { role: byDefault, roles: { staging: inStaging, production: inProduction } };
          for (const route of protectedRoutes) {
            const least = minimumRole(route);
            expect(allows(user, "staging", route), `${route} in staging`).toBe(grants[inStaging].includes(least));
            expect(allows(user, "production", route), `${route} in production`).toBe(
              grants[inProduction].includes(least),
            );
            // An environment `roles` does not name: the default role.
            expect(allows(user, "development", route), `${route} in development`).toBe(
              grants[byDefault].includes(least),
            );
            decisions += 3;
          }
        }
    expect(decisions).toBe(27 * 3 * protectedRoutes.length);
  });

  it("lets an operator in staging who is a viewer in production change staging, never production", () => {
    const contractor = { role: "viewer" as const, roles: { staging: "operator" as const } };
    const operatorMutations = mutations.filter((route) => minimumRole(route) === "operator");
    expect(operatorMutations.length).toBeGreaterThan(10);
    expect(operatorMutations.filter((route) => !allows(contractor, "staging", route))).toEqual([]);
    expect(mutations.filter((route) => allows(contractor, "production", route)).sort()).toEqual(
      // The viewer's own writes (evaluations, their own lease), which change nothing in the pipeline.
      mutations.filter((route) => minimumRole(route) === "viewer").sort(),
    );
    expect(allows(contractor, "staging", "POST /api/queues/[name]/purge")).toBe(false);
    expect(
      protectedRoutes.filter(
        (route) =>
          !allows(contractor, "production", route) && route.startsWith("GET ") && minimumRole(route) === "viewer",
      ),
    ).toEqual([]);
  });

  it("lets `roles` lower the default role: an admin who is a viewer in production changes nothing there", () => {
    const user = { role: "admin" as const, roles: { production: "viewer" as const } };
    expect(allows(user, "production", "PUT /api/subscriptions/[arn]/filter-policy")).toBe(false);
    expect(allows(user, "production", "POST /api/queues/[name]/replay")).toBe(false);
    expect(allows(user, "staging", "POST /api/queues/[name]/purge")).toBe(true);
  });
});
