import { expect, test, type APIRequestContext } from "@playwright/test";
import { ROUTE_ACCESS } from "../lib/api/access";
import { signIn, userByName } from "./helpers";

/**
 * Two environments on the one moto (e2e/global-setup.ts): production (account 123456789012,
 * us-east-1, the default) with the e2e-* pipeline, and staging (222222222222, eu-west-1, reached
 * through sts:AssumeRole) with the stg-* pipeline.
 */
const staging = "/e/staging/eu-west-1";
const stagingApi = "/api/e/staging/eu-west-1";
const productionApi = "/api/e/production/us-east-1";

test.describe("environments", () => {
  test("the switcher goes to the same page in another environment, and production is marked", async ({ page }) => {
    await signIn(page, userByName("ada"), "/dead-letters");
    await expect(page.getByTestId("environment-switcher")).toContainText("Production · us-east-1");
    await expect(page.getByTestId("production-flag")).toBeVisible();
    await expect(page.getByRole("link", { name: "e2e-payments-dlq" })).toBeVisible();

    await page.getByTestId("environment-switcher").click();
    await page.keyboard.type("stag");
    await expect(page.getByRole("option")).toHaveCount(1);
    await page.keyboard.press("Enter");

    await expect(page).toHaveURL(`${staging}/dead-letters`);
    await expect(page.getByTestId("environment-switcher")).toContainText("Staging · eu-west-1");
    await expect(page.getByTestId("production-flag")).toHaveCount(0);
    await expect(page.getByRole("link", { name: "stg-shipping-dlq" })).toBeVisible();
    await expect(page.getByRole("link", { name: "e2e-payments-dlq" })).toHaveCount(0);

    // The choice is remembered: the start page opens in staging.
    await page.goto("/");
    await expect(page).toHaveURL(`${staging}/incidents`);
  });

  test("deep links and the links on a page keep their environment", async ({ page }) => {
    await signIn(page, userByName("ada"), `${staging}/dead-letters/stg-shipping-dlq`);
    await expect(page.getByText("stg-ord-1").first()).toBeVisible();
    await page.getByRole("link", { name: "← All dead-letter queues" }).click();
    await expect(page).toHaveURL(`${staging}/dead-letters`);
    await page.getByRole("navigation", { name: "Console sections" }).getByRole("link", { name: "Topology" }).click();
    await expect(page).toHaveURL(`${staging}/topology`);
    await expect(page.getByRole("link", { name: "Topology" })).toHaveAttribute("aria-current", "page");
  });

  test("the start page sums up every environment, each row linking into its own environment", async ({ page }) => {
    await signIn(page, userByName("cora"), "/incidents");
    const table = page.getByRole("table", { name: "All environments" });
    const row = (name: RegExp) => table.getByRole("row").filter({ has: page.getByRole("rowheader", { name }) });
    const production = row(/^Production · us-east-1/);
    const stagingRow = row(/^Staging · eu-west-1/);
    await expect(production).toContainText("(this page)");
    await expect(stagingRow.getByRole("link", { name: "stg-shipping-dlq" })).toBeVisible();
    // Which of production's DLQs are the most troubled depends on what other specs left in them.
    await expect(production.getByRole("link", { name: /^e2e-.*dlq$/ }).first()).toBeVisible();
    await expect(production.getByRole("link", { name: "stg-shipping-dlq" })).toHaveCount(0);
    await expect(page.getByRole("heading", { name: "Incidents in Production · us-east-1" })).toBeVisible();

    await stagingRow.getByRole("link", { name: "stg-shipping-dlq" }).click();
    await expect(page).toHaveURL(`${staging}/dead-letters/stg-shipping-dlq`);
    await expect(page.getByText("stg-ord-1").first()).toBeVisible();

    // The same, all at once: each scope with the caller's role there.
    const overview = (await (await page.request.get("/api/overview")).json()) as {
      scopes: Array<{ environment: { id: string }; region: string; role: string; ok: boolean }>;
    };
    expect(overview.scopes.map((s) => [s.environment.id, s.region, s.role, s.ok])).toEqual([
      ["production", "us-east-1", "viewer", true],
      ["staging", "eu-west-1", "operator", true],
    ]);
  });

  test("an unknown environment or region is a 404 naming what exists", async ({ page }) => {
    await signIn(page, userByName("vera"));
    const missing = await page.goto("/e/nowhere/us-east-1/topology");
    expect(missing?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: /not found/i })).toBeVisible();
    const res = await page.request.get("/api/e/staging/us-east-1/queues");
    expect(res.status()).toBe(404);
    expect(JSON.stringify(await res.json())).toContain("its regions: eu-west-1");
  });

  test("a role in one environment is not a role in another", async ({ page, baseURL }) => {
    const cora = userByName("cora");
    await signIn(page, cora, `${staging}/dead-letters`);
    await expect(page.getByTestId("signed-in-user")).toContainText("operator");
    const consumers = (api: string, queue: string) =>
      page.request.put(`${api}/queues/${queue}/consumers`, {
        headers: { origin: baseURL! },
        data: { uuid: "00000000-0000-0000-0000-000000000000", enabled: false },
      });
    // Operator in staging: the route is allowed (the function does not exist, so it ends in the route's own 4xx).
    const inStaging = await consumers(stagingApi, "stg-shipping");
    expect(inStaging.status()).not.toBe(403);
    // Viewer in production, scoped or not: refused before anything reaches AWS.
    for (const api of [productionApi, "/api"]) {
      const res = await consumers(api, "e2e-inventory");
      expect(res.status()).toBe(403);
      expect(JSON.stringify(await res.json())).toContain("viewer in Production");
    }
    await page.goto("/dead-letters");
    await expect(page.getByTestId("signed-in-user")).toContainText("viewer");
  });

  test.describe("no answer of one environment holds another's resources", () => {
    let request: APIRequestContext;
    test.beforeAll(async ({ browser, baseURL }) => {
      const context = await browser.newContext({ baseURL });
      await signIn(await context.newPage(), userByName("ada"));
      request = context.request;
    });

    // Every GET route, asked in each environment with that environment's names for its parameters.
    // Staging also has an e2e-orders topic and e2e-inventory queue of its own (counterparts of
    // production's, for comparing filter policies): production's other names mark a leak there.
    const environments = [
      { api: productionApi, own: "e2e-", other: ["stg-", "222222222222", "eu-west-1"], queue: "e2e-payments-dlq" },
      {
        api: stagingApi,
        own: "stg-",
        other: ["e2e-payments", "e2e-audit", "e2e-inventory-dlq", "123456789012", "us-east-1"],
        queue: "stg-shipping-dlq",
      },
    ];
    const subscriptionOf = (api: string) =>
      api === stagingApi ? process.env.FANOUT_E2E_STAGING_SUBSCRIPTION_ARN! : process.env.FANOUT_E2E_SUBSCRIPTION_ARN!;
    // The audit trail and saved sample messages are the console's own, not an environment's; the
    // overview spans environments by design (it has no scoped twin).
    const global = new Set(["/api/audit", "/api/sample-messages", "/api/environments", "/api/overview"]);
    const routes = Object.keys(ROUTE_ACCESS)
      .filter((key) => key.startsWith("GET /api/") && !key.includes("nextauth"))
      .map((key) => key.slice("GET /api".length))
      .filter((route) => !global.has(`/api${route}`));

    for (const env of environments) {
      test(`in ${env.api}`, async () => {
        const seen: string[] = [];
        for (const route of routes) {
          const url = `${env.api}${route}`
            .replace("[name]", env.queue)
            .replace("[arn]", encodeURIComponent(subscriptionOf(env.api)))
            .replace(/\[\w+\]/g, "sample");
          const res = await request.get(url);
          const text = await res.text();
          expect(res.status(), `${url}: ${text.slice(0, 200)}`).toBeLessThan(500);
          for (const marker of env.other) expect(text, `${url} holds ${marker}`).not.toContain(marker);
          if (text.includes(env.own)) seen.push(route);
        }
        // The walk means something only if the environment's own resources showed up in its answers.
        expect(seen).toEqual(expect.arrayContaining(["/queues", "/topology", "/dead-letters", "/subscriptions"]));
      });
    }
  });
});
