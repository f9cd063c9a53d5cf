import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { API_ROUTE_INDEX, apiRouteIndex, summaryOf } from "./api-route-index";

const root = path.resolve(import.meta.dirname, "../..");

describe("the index of API routes", () => {
  it("is on disk exactly as generated: run `npm run routes:index` after adding or changing a route", () => {
    const { file, content } = apiRouteIndex(root);
    expect(file).toBe(API_ROUTE_INDEX);
    expect(readFileSync(path.join(root, file), "utf8")).toBe(content);
  });

  it("leaves out catch-alls and the scoped twins, and names the unscoped routes", () => {
    const { content } = apiRouteIndex(root);
    expect(content).not.toContain("[...nextauth]");
    expect(content).not.toContain("@/app/api/e/");
    expect(content).toContain(`path: "/api/tokens",\n    scoped: false,`);
    expect(content).toContain(`path: "/api/queues/[name]/replay",\n    scoped: true,`);
    // Loaded lazily: the document's own route imports the index, which must not import it back.
    expect(content).toContain(`load: () => import("@/app/api/openapi.json/route"),`);
    expect(content).not.toMatch(/^import \* as/m);
  });

  it("takes a method's summary from its comment, continued on the next comment lines, after the dash", () => {
    const source = [
      "// GET /api/things?x= —",
      "//   every thing,",
      "// newest first.",
      'export const GET = withSession("GET /api/things", …);',
      "// POST /api/things { name } — make one.",
    ].join("\n");
    expect(summaryOf(source, "GET", "f")).toBe("every thing, newest first.");
    expect(summaryOf(source, "POST", "f")).toBe("make one.");
    expect(() => summaryOf(source, "DELETE", "f")).toThrow(/no "\/\/ DELETE/);
    expect(() => summaryOf("// PUT /api/things { name }\n", "PUT", "f")).toThrow(/after " — "/);
  });
});
