import { expect, test, type APIRequestContext } from "@playwright/test";
import { ROUTE_ACCESS } from "../lib/api/access";
import type { Role } from "../lib/domain/roles";
import { signIn, userByRole } from "./helpers";

const roleOrder = ["viewer", "operator", "admin"] as const;
type Caller = "anonymous" | (typeof roleOrder)[number];

/** What a caller gets from a route: 401 without a session, 403 below its role, else the route's own answer. */
function expected(route: Role, caller: Caller): 401 | 403 | "allowed" {
  if (caller === "anonymous") return 401;
  return roleOrder.indexOf(caller) >= roleOrder.indexOf(route) ? "allowed" : 403;
}

// Dynamic segments get a harmless sample value: no such queue, job or subscription exists, so an
// allowed call ends in a 4xx of the route's own (not found, invalid body), never in a change.
const urlOf = (route: string) => route.replace(/\[\.\.\.(\w+)\]/g, "sample").replace(/\[(\w+)\]/g, "sample");
const protectedRoutes = Object.entries(ROUTE_ACCESS).filter((entry): entry is [string, Role] => entry[1] !== "public");

test.describe("every route × method × caller", () => {
  const sessions = new Map<Caller, APIRequestContext>();
  test.beforeAll(async ({ browser, playwright, baseURL }) => {
    sessions.set("anonymous", await playwright.request.newContext({ baseURL }));
    for (const role of roleOrder) {
      const context = await browser.newContext({ baseURL });
      await signIn(await context.newPage(), userByRole(role));
      sessions.set(role, context.request);
    }
  });

  for (const [key, role] of protectedRoutes) {
    const [method, route] = key.split(" ") as [string, string];
    test(`${key} (${role})`, async ({ baseURL }) => {
      const outcomes: string[] = [];
      for (const caller of ["anonymous", ...roleOrder] as const) {
        const res = await sessions.get(caller)!.fetch(urlOf(route), {
          method,
          headers: { origin: baseURL!, "content-type": "application/json" },
          data: method === "GET" ? undefined : "{}",
        });
        const want = expected(role, caller);
        const got = res.status();
        const ok = want === "allowed" ? got !== 401 && got !== 403 && got < 500 : got === want;
        if (!ok) outcomes.push(`${caller}: expected ${want}, got ${got} ${await res.text()}`);
        if (want === 401)
          expect(await res.json()).toEqual({ error: { code: "unauthenticated", message: expect.any(String) } });
        if (want === 403) expect(((await res.json()) as { error: { code: string } }).error.code).toBe("forbidden");
      }
      expect(outcomes).toEqual([]);
    });
  }
});

test("a state-changing request from another origin is refused with 403, even with a valid session", async ({
  page,
}) => {
  await signIn(page, userByRole("admin"));
  for (const origin of ["https://evil.example", "null"]) {
    const res = await page.request.post("/api/sample-messages", {
      headers: { origin, "content-type": "application/json" },
      data: "{}",
    });
    expect(res.status()).toBe(403);
    expect(await res.json()).toEqual({ error: { code: "forbidden", message: "Cross-origin request refused." } });
  }
  // A browser's same-origin request passes the check (and then fails validation on its empty body).
  const same = await page.request.post("/api/sample-messages", {
    headers: { origin: new URL(page.url()).origin, "content-type": "application/json" },
    data: "{}",
  });
  expect(same.status()).toBe(422);
  // The refusals are audited: one entry for the caller, route and reason in the window, counting them.
  const audit = (await (await page.request.get("/api/audit?action=request.refused")).json()) as {
    entries: { actor: string; target: string; after: { reason: string; method: string } }[];
  };
  const refused = audit.entries.filter(
    (e) =>
      e.actor === userByRole("admin").username &&
      e.target === "POST /api/sample-messages" &&
      e.after.reason === "cross-origin",
  );
  expect(refused).toHaveLength(1);
  expect(refused[0]!.after.method).toBe("POST");
});

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
