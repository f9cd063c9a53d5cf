import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkLeaseAllowed, VIEWER_LEASE_LIMITS } from "../domain/dead-letter-lease";
import { QUEUE_RULES, ROUTE_ACCESS } from "./access";

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
    // the reader's own lease (renewed within its cap, or released), an export of what they already see.
    expect(viewerWrites).toEqual([
      "POST /api/filter-policy/test",
      "POST /api/queues/[name]/lease/release",
      "POST /api/queues/[name]/lease/renew",
      "POST /api/queues/[name]/messages/export",
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
