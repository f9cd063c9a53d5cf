import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signIn, userByRole } from "./helpers";

async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
  ).toEqual([]);
}

test("the login page has no accessibility violations", async ({ page }) => {
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Sign in to Fanout" })).toBeVisible();
  await expectNoViolations(page);
});

test("the console shell has no accessibility violations", async ({ page }) => {
  await signIn(page, userByRole("admin"));
  await expect(page.locator(".topo-name").getByText("e2e-orders", { exact: true })).toBeVisible();
  await expectNoViolations(page);
});

test("the shell can be used from the keyboard", async ({ page }) => {
  await signIn(page, userByRole("viewer"));
  // Wait for the page to be hydrated: the router's first render rewrites the URL and would drop a hash set before it.
  await expect(page.locator(".topo-name").getByText("e2e-orders", { exact: true })).toBeVisible();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
});

test("the alerts and access pages have no accessibility violations", async ({ page }) => {
  await signIn(page, userByRole("admin"), "/alerts");
  await expect(page.getByRole("heading", { level: 1, name: "Alerts" })).toBeVisible();
  await expect(page.locator(".skeleton")).toHaveCount(0, { timeout: 20_000 });
  await expectNoViolations(page);
  await page.goto("/access?user=pat&arn=arn:aws:sqs:us-east-1:123456789012:e2e-payments-dlq");
  await expect(page.getByTestId("access-role")).toHaveText("operator");
  await expectNoViolations(page);
  if (process.env.FANOUT_E2E_SCREENSHOTS) await page.screenshot({ path: ".test-output/screens/alerts-access.png" });
});
