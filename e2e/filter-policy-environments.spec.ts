import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { signIn, userByName } from "./helpers";
import { stagingInventoryPolicy } from "./seed";

/**
 * A filter policy compared and copied between production's e2e-inventory subscription and its
 * counterpart in staging (e2e/seed.ts seedStaging: the same topic and queue names in 222222222222,
 * eu-west-1). cora is a viewer in production and an operator in staging.
 */
const productionArn = () => process.env.FANOUT_E2E_SUBSCRIPTION_ARN!;
const stagingArn = () => process.env.FANOUT_E2E_STAGING_INVENTORY_SUBSCRIPTION_ARN!;
const stagingApi = "/api/e/staging/eu-west-1";
const productionApi = "/api/e/production/us-east-1";
const subscriptionPath = (arn: string) => `/subscriptions/${encodeURIComponent(arn)}`;

test.describe.configure({ mode: "serial" });

async function liveState(request: APIRequestContext, api: string, arn: string) {
  const res = await request.get(`${api}${subscriptionPath(arn)}`);
  expect(res.status()).toBe(200);
  const { subscription } = (await res.json()) as {
    subscription: { filterPolicy: string | null; filterPolicyScope: string };
  };
  return { policy: subscription.filterPolicy, scope: subscription.filterPolicyScope };
}

/** Sets staging's e2e-inventory policy as an admin would, from wherever it is now. */
async function setStagingPolicy(admin: Page, baseURL: string, policy: unknown) {
  const expected = await liveState(admin.request, stagingApi, stagingArn());
  const res = await admin.request.put(`${stagingApi}${subscriptionPath(stagingArn())}/filter-policy`, {
    headers: { origin: baseURL },
    data: { policy, scope: "MessageAttributes", expected },
  });
  expect(res.status(), await res.text()).toBe(200);
}

async function compareWith(page: Page, option: string) {
  const panel = page.getByRole("region", { name: "Compare with another environment" });
  await panel.getByLabel("Environment").selectOption({ label: option });
  return panel;
}

test("cora, an operator in staging only, compares production's policy with staging's and copies it there", async ({
  page,
  baseURL,
}) => {
  await signIn(page, userByName("cora"), `/filter-policies/${encodeURIComponent(productionArn())}`);
  const panel = await compareWith(page, "Staging · eu-west-1");
  const production = await liveState(page.request, productionApi, productionArn());

  await expect(panel.getByRole("link", { name: stagingArn() })).toHaveAttribute(
    "href",
    `/e/staging/eu-west-1/filter-policies/${encodeURIComponent(stagingArn())}`,
  );
  // Staging's seeded policy has `region`, production's has not: a key only in staging.
  const differences = panel.getByRole("list", { name: "Differences by key" });
  await expect(differences.locator("li", { hasText: "region" })).toContainText("only in Staging");
  await expect(differences.locator("li", { hasText: "region" })).toContainText('["eu"]');

  await page.screenshot({ path: ".test-output/screens/filter-policy-environments-diff.png", fullPage: true });

  // A viewer in production: nothing can be copied into it.
  await expect(panel.getByRole("button", { name: /Copy from Staging/ })).toHaveCount(0);
  await panel.getByRole("button", { name: "Copy this policy to Staging…" }).click();
  const dialog = page.getByRole("dialog", { name: "Replace the filter policy in Staging (eu-west-1)?" });
  await expect(dialog).toContainText("becomes the one from Production (us-east-1)");
  await expect(dialog.locator(".production-flag")).toHaveCount(0);
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  await dialog.getByRole("button", { name: "Copy to Staging" }).click();

  await expect(panel.getByRole("status").filter({ hasText: "Copied to Staging (eu-west-1)" })).toBeVisible();
  await expect(panel.getByText("The same policy in both environments.")).toBeVisible();
  const staging = await liveState(page.request, stagingApi, stagingArn());
  expect(JSON.parse(staging.policy!)).toEqual(JSON.parse(production.policy!));

  // Audited in staging, naming the source.
  const audit = await page.request.get(
    `/api/audit?action=filter-policy.copy&target=${encodeURIComponent(stagingArn())}`,
  );
  const { entries } = (await audit.json()) as { entries: Array<{ actor: string; outcome: string; after: unknown }> };
  expect(entries[0]).toMatchObject({
    actor: "cora",
    outcome: "success",
    after: { copiedFrom: { environment: "production", region: "us-east-1", subscriptionArn: productionArn() } },
  });
  await page.screenshot({ path: ".test-output/screens/filter-policy-environments-copied.png", fullPage: true });

  // A viewer in production: the copy route refuses there, whatever staging says.
  const refused = await page.request.post(`${productionApi}${subscriptionPath(productionArn())}/filter-policy/copy`, {
    headers: { origin: baseURL! },
    data: {
      from: { environment: "staging", region: "eu-west-1", subscriptionArn: stagingArn() },
      expected: production,
    },
  });
  expect(refused.status()).toBe(403);
});

test("copying from production into staging's page meets a change made meanwhile with a 409, then copies the live state", async ({
  page,
  browser,
  baseURL,
}) => {
  const adminContext = await browser.newContext({ baseURL });
  const admin = await adminContext.newPage();
  await signIn(admin, userByName("ada"));
  await setStagingPolicy(admin, baseURL!, stagingInventoryPolicy);

  await signIn(page, userByName("cora"), `/e/staging/eu-west-1/filter-policies/${encodeURIComponent(stagingArn())}`);
  const panel = await compareWith(page, "Production · us-east-1 (production)");
  await expect(panel.getByRole("list", { name: "Differences by key" })).toContainText("only here (Staging)");
  // Operator here, viewer in production: copying into production is not offered.
  await expect(panel.getByRole("button", { name: /Copy this policy to Production/ })).toHaveCount(0);
  await panel.getByRole("button", { name: "Copy from Production…" }).click();
  const dialog = page.getByRole("dialog", { name: "Replace the filter policy in Staging (eu-west-1)?" });
  await expect(dialog).toBeVisible();

  // Someone changes staging's policy while the dialog is open.
  await setStagingPolicy(admin, baseURL!, { eventType: ["order.refunded"] });
  await dialog.getByRole("button", { name: "Copy to Staging" }).click();
  await expect(panel.getByRole("alert")).toContainText("changed since it was compared");
  expect(JSON.parse((await liveState(page.request, stagingApi, stagingArn())).policy!)).toEqual({
    eventType: ["order.refunded"],
  });

  // The comparison now shows the live policy; copying again goes through.
  await expect(panel.getByRole("list", { name: "Differences by key" })).toContainText("order.refunded");
  await panel.getByRole("button", { name: "Copy from Production…" }).click();
  await dialog.getByRole("button", { name: "Copy to Staging" }).click();
  await expect(panel.getByRole("status").filter({ hasText: "Copied to Staging (eu-west-1)" })).toBeVisible();
  const production = await liveState(page.request, productionApi, productionArn());
  const staging = await liveState(page.request, stagingApi, stagingArn());
  expect(JSON.parse(staging.policy!)).toEqual(JSON.parse(production.policy!));
  await adminContext.close();
});
