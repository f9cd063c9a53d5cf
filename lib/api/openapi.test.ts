import { describe, expect, it } from "vitest";
import { API_ROUTES, API_VERSION } from "@/app/api/openapi.json/routes.generated";
import { ROUTE_ACCESS } from "./access";
import {
  buildOpenApiDocument,
  loadRoutes,
  openApiPath,
  operationsByTag,
  pathParameterNames,
  type OpenApiOperation,
} from "./openapi";

const document = buildOpenApiDocument(await loadRoutes(API_ROUTES), API_VERSION);

const operations: Array<{ key: string; path: string; method: string; operation: OpenApiOperation }> = Object.entries(
  document.paths,
).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, operation]) => ({
    key: `${method.toUpperCase()} ${path}`,
    path,
    method,
    operation,
  })),
);
const byKey = new Map(operations.map((o) => [o.key, o.operation]));

/** The access table's key as the document's. */
const documentedKey = (route: string) => openApiPath(route);

/**
 * Changes that take no body: what they act on is all in the path, and the caller (a lease is the
 * caller's own). Any other non-GET route must declare a body schema.
 */
const NO_BODY = new Set([
  // The caller's own lease on the queue: nothing to say but which queue.
  "POST /api/queues/[name]/lease/renew",
  "POST /api/queues/[name]/lease/release",
  // The job and the action (pause, resume, cancel) are both in the path.
  "POST /api/redrive-jobs/[jobId]/[action]",
  // Deletions name their resource in the path.
  "DELETE /api/sample-messages/[id]",
  "DELETE /api/tokens/[id]",
  "DELETE /api/alerts/silences/[id]",
  "DELETE /api/alerts/destinations/[id]",
  // A read that is audited (the key webhooks sign with): a POST, so that no link or prefetch reads it.
  "POST /api/alerts/webhook-secret",
]);

describe("the OpenAPI document", () => {
  const documented = Object.entries(ROUTE_ACCESS).filter(
    ([route, role]) => role !== "public" && !route.includes("[..."),
  );

  it("has every route of the access table but the public ones, each with its least role", () => {
    expect(documented.length).toBeGreaterThan(50);
    for (const [route, role] of documented) {
      const operation = byKey.get(documentedKey(route));
      expect(operation, route).toBeDefined();
      expect(operation!["x-fanout-least-role"], route).toBe(role);
      expect(operation!.description, route).toContain(`Least role: ${role}`);
    }
  });

  it("has nothing else: no public route, no catch-all, nothing the access table does not list", () => {
    expect(operations.map((o) => o.key).sort()).toEqual(documented.map(([route]) => documentedKey(route)).sort());
  });

  it("gives every operation a summary from its route's comment", () => {
    for (const { key, operation } of operations) expect(operation.summary.length, key).toBeGreaterThan(10);
    expect(byKey.get("GET /api/dlqs")!.summary).toMatch(/^Every dead-letter queue/);
  });

  it("says which role a queue route needs for which queue", () => {
    expect(byKey.get("GET /api/queues/{name}/messages")!.description).toContain("viewer: dead-letter queues only");
  });

  it("has a JSON request body for every change that takes one, and only the listed changes take none", () => {
    const withoutBody = operations
      .filter((o) => o.method !== "get" && !o.operation.requestBody)
      .map((o) => o.key)
      .sort();
    expect(withoutBody).toEqual([...NO_BODY].map(documentedKey).sort());
    for (const { key, operation } of operations.filter((o) => o.operation.requestBody))
      expect(operation.requestBody!.content["application/json"].schema.type, key).toBe("object");
    const replay = byKey.get("POST /api/queues/{name}/replay")!.requestBody!.content["application/json"].schema;
    expect(Object.keys(replay.properties as object)).toEqual(expect.arrayContaining(["messageIds", "all", "target"]));
    expect(byKey.get("GET /api/dlqs")!.requestBody).toBeUndefined();
  });

  it("has the query parameters of the routes' schemas, as a client sends them", () => {
    const messages = byKey.get("GET /api/queues/{name}/messages")!.parameters;
    expect(messages).toContainEqual(expect.objectContaining({ name: "name", in: "path", required: true }));
    expect(messages).toContainEqual(
      expect.objectContaining({
        name: "max",
        in: "query",
        required: false,
        schema: expect.objectContaining({ maximum: 1000 }),
      }),
    );
    const samples = byKey.get("GET /api/subscriptions/{arn}/samples")!.parameters;
    expect(samples).toContainEqual({
      name: "source",
      in: "query",
      required: true,
      schema: { type: "string", enum: ["dead-letters", "recent"] },
    });
  });

  it("is OpenAPI 3.1 in its structure", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document.info.title).toBeTruthy();
    expect(document.info.version).toBe(API_VERSION);
    expect(document.info.description).toContain("/api/e/{env}/{region}");
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(["bearerToken", "sessionCookie"]);
    for (const requirement of document.security)
      for (const scheme of Object.keys(requirement)) expect(document.components.securitySchemes).toHaveProperty(scheme);
    const ids = operations.map((o) => o.operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const tags = new Set(document.tags.map((t) => t.name));
    for (const { key, path, operation } of operations) {
      expect(path, key).toMatch(/^\/api\/[^[\]]*$/);
      expect(Object.keys(operation.responses).length, key).toBeGreaterThan(0);
      for (const code of ["401", "403", "404", "422"]) expect(operation.responses, key).toHaveProperty(code);
      for (const tag of operation.tags) expect(tags.has(tag), key).toBe(true);
      // Path templates and path parameters agree, both ways.
      const declared = operation.parameters.filter((p) => p.in === "path").map((p) => p.name);
      expect(declared, key).toEqual(pathParameterNames(path));
      const names = operation.parameters.map((p) => `${p.in} ${p.name}`);
      expect(new Set(names).size, key).toBe(names.length);
    }
  });

  it("has every $ref resolve within the document", () => {
    const refs: string[] = [];
    const collect = (value: unknown) => {
      if (Array.isArray(value)) value.forEach(collect);
      else if (value && typeof value === "object")
        for (const [k, v] of Object.entries(value)) {
          if (k === "$ref" && typeof v === "string") refs.push(v);
          else collect(v);
        }
    };
    collect(document);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\//);
      const target = ref
        .slice(2)
        .split("/")
        .reduce<unknown>(
          (at, part) => (at as Record<string, unknown> | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")],
          document,
        );
      expect(target, ref).toBeDefined();
    }
  });
});

describe("the operations by tag", () => {
  it("hold every operation once, under its first path segment, in path order", () => {
    const groups = operationsByTag(document);
    expect(groups.flatMap((g) => g.operations).length).toBe(operations.length);
    const queues = groups.find((g) => g.tag === "queues")!.operations;
    expect(queues.every((o) => o.path.startsWith("/api/queues"))).toBe(true);
    expect(queues.map((o) => o.path)).toEqual(queues.map((o) => o.path).sort((a, b) => a.localeCompare(b)));
    expect(queues).toContainEqual(expect.objectContaining({ method: "POST", path: "/api/queues/{name}/replay" }));
  });
});

describe("paths", () => {
  it("turn Next's [name] into {name} and list the parameters in order", () => {
    expect(openApiPath("/api/redrive-jobs/[jobId]/[action]")).toBe("/api/redrive-jobs/{jobId}/{action}");
    expect(pathParameterNames("/api/redrive-jobs/{jobId}/{action}")).toEqual(["jobId", "action"]);
  });
});
