import { expect, test } from "@playwright/test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { signIn, userByRole } from "./helpers";

/** Every route module under app/api with the HTTP methods it exports, found on disk so a new route is covered without editing this list. */
function apiRoutes(): Array<{ path: string; method: string }> {
  const routes: Array<{ path: string; method: string }> = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry === "route.ts") {
        const source = readFileSync(full, "utf8");
        const methods = new Set<string>();
        for (const m of source.matchAll(/export\s+(?:const|async function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(m[1]!);
        for (const m of source.matchAll(/\bas\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(m[1]!);
        // Dynamic segments get a harmless sample value.
        const urlPath = "/" + path.relative("app", path.dirname(full)).replace(/\[\.\.\.(\w+)\]/g, "sample").replace(/\[(\w+)\]/g, "sample");
        for (const method of methods) routes.push({ path: urlPath, method });
      }
    }
  };
  walk("app/api");
  return routes;
}

const publicRoutes = [/^\/api\/auth\//, /^\/api\/health$/];
const protectedRoutes = apiRoutes().filter((r) => !publicRoutes.some((p) => p.test(r.path)));

test("the route table found the API", () => {
  expect(protectedRoutes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(["GET /api/topics", "GET /api/queues", "GET /api/capabilities"]));
});

for (const route of protectedRoutes) {
  test(`${route.method} ${route.path} answers 401 without a session`, async ({ playwright, baseURL }) => {
    const anonymous = await playwright.request.newContext({ baseURL });
    const res = await anonymous.fetch(route.path, { method: route.method, headers: { origin: baseURL!, "content-type": "application/json" }, data: route.method === "GET" ? undefined : "{}" });
    expect(res.status()).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "unauthenticated", message: expect.any(String) } });
    await anonymous.dispose();
  });
}

test("health without a session is liveness only", async ({ playwright, baseURL }) => {
  const anonymous = await playwright.request.newContext({ baseURL });
  const res = await anonymous.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ ok: true });
  await anonymous.dispose();
});

test("health with a session reports the local endpoint and every service ok", async ({ page }) => {
  await signIn(page, userByRole("viewer"));
  const res = await page.request.get("/api/health");
  const body = await res.json();
  expect(body).toMatchObject({
    ok: true,
    endpoint: process.env.FANOUT_E2E_AWS_ENDPOINT,
    region: "us-east-1",
    services: { sns: "ok", sqs: "ok", cloudwatch: "ok", xray: "ok", lambda: "ok" },
  });
});

test("capabilities report what the local endpoint lacks", async ({ page }) => {
  await signIn(page, userByRole("viewer"));
  const body = await (await page.request.get("/api/capabilities")).json();
  expect(body.capabilities["sqs:StartMessageMoveTask"]).toBe("not_supported");
  expect(body.capabilities["xray:GetTraceSummaries.FilterExpression"]).toBe("not_supported");
});
