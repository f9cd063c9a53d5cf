import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signIn, userByRole } from "./helpers";

const subscriptionArn = () => process.env.FANOUT_E2E_SUBSCRIPTION_ARN!;

/** The console's pages, each with the heading that says it has rendered. */
const pages = () =>
  [
    ["/incidents", "Incidents"],
    ["/topology", "Topology"],
    ["/topology?view=list", "Topology"],
    ["/filter-policies", "Filter policies"],
    [`/filter-policies/${encodeURIComponent(subscriptionArn())}`, "Subscription filter policy"],
    ["/dead-letters", "Dead letters"],
    ["/dead-letters/e2e-payments-dlq", "e2e-payments-dlq"],
    ["/dashboards?window=1h", "Service-level dashboards"],
    ["/traces", "Traces"],
    ["/audit", "Audit"],
    ["/tokens", "API tokens"],
    ["/alerts", "Alerts"],
    ["/access", "Access"],
  ] as const;

async function openSettled(page: Page, path: string, heading: string) {
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible({ timeout: 20_000 });
  await expect(page.locator(".skeleton")).toHaveCount(0, { timeout: 20_000 });
}

/**
 * How far the page itself scrolls sideways (tables and graphs scroll inside themselves instead), and
 * what sticks out past the window, so that a failure names the element to fix.
 */
const sidewaysOverflow = (page: Page) =>
  page.evaluate(() => {
    const root = document.scrollingElement!;
    const past = Array.from(document.querySelectorAll<HTMLElement>("body *"))
      .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1)
      .filter((el) => !el.parentElement?.closest(".table-scroll, .ml, .jt, .react-flow"))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
    return { overflow: root.scrollWidth - root.clientWidth, past };
  });

test.describe("at 390 px", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("no page scrolls sideways, the sections fold behind a menu, and Sign out is on screen", async ({ page }) => {
    await signIn(page, userByRole("operator"));
    for (const [path, heading] of pages()) {
      await openSettled(page, path, heading);
      // Polled briefly: what counts is the settled page, not a frame of it while the lease loads.
      await expect
        .poll(() => sidewaysOverflow(page), { message: `${path} scrolls sideways`, timeout: 5_000 })
        .toMatchObject({ overflow: 0 });
      await expect(page.getByRole("button", { name: "Sign out" })).toBeInViewport();
    }

    const menu = page.getByRole("button", { name: "Menu" });
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(page.getByRole("link", { name: "Dead letters", exact: true })).toBeHidden();
    // By keyboard: open, Escape closes and gives focus back to the button; open again and follow a link.
    await menu.focus();
    await page.keyboard.press("Enter");
    await expect(menu).toHaveAttribute("aria-expanded", "true");
    await expect(page.getByRole("link", { name: "Dead letters", exact: true })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(menu).toBeFocused();
    await page.keyboard.press("Space");
    await page.getByRole("link", { name: "Dead letters", exact: true }).click();
    await expect(page).toHaveURL(/\/dead-letters$/);
    await expect(menu).toHaveAttribute("aria-expanded", "false");
  });
});

test("at 1280 px the sections are always shown, without a menu button", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, userByRole("viewer"));
  await expect(page.getByRole("button", { name: "Menu" })).toBeHidden();
  await expect(page.getByRole("link", { name: "Dead letters", exact: true })).toBeVisible();
});

test("a missing page answers 404 inside the shell, with no Content Security Policy error", async ({
  page,
  request,
}) => {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(e.message));
  await signIn(page, userByRole("viewer"));
  const res = await page.goto("/no-such-page/at-all");
  expect(res!.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Console sections" })).toBeVisible();
  await expect(page.getByTestId("signed-in-user")).toContainText("vera");
  // Hydrated: the shell's client parts work (the health indicator asks the API).
  await expect(page.locator(".health")).not.toContainText("checking AWS");
  expect(problems.filter((p) => /Content Security Policy|Refused to/i.test(p))).toEqual([]);
  // An unknown API path stays a plain 404, signed in or not: no shell, no redirect to sign in.
  expect((await page.request.get("/api/no-such-route", { maxRedirects: 0 })).status()).toBe(404);
  expect((await request.get("/api/no-such-route", { maxRedirects: 0 })).status()).toBe(404);
  // The browser reports the 404 of the page itself; anything else is a problem.
  expect(problems.filter((p) => !p.includes("status of 404"))).toEqual([]);
});

test("graph nodes open on Enter and Space; Escape closes the panel and gives focus back to the node", async ({
  page,
}) => {
  await signIn(page, userByRole("viewer"), "/topology");
  const nodes = page.locator(".react-flow__node");
  await expect(nodes.first()).toBeVisible();
  // "queue e2e-audit, ok": the node's name is between its kind and its health.
  const nameOf = async (n: typeof nodes) => /^\S+ (.*), \w+$/.exec((await n.getAttribute("aria-label"))!)![1]!;
  const orders = nodes.nth(0);
  const ordersName = await nameOf(orders);
  await orders.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/[?&]node=/);
  const panel = page.getByRole("complementary", { name: ordersName, exact: true });
  await expect(panel).toBeVisible();
  await expect(panel).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(panel).toBeHidden();
  await expect(page).not.toHaveURL(/[?&]node=/);
  await expect(orders).toBeFocused();

  const audit = nodes.nth(1);
  const auditName = await nameOf(audit);
  await audit.focus();
  await page.keyboard.press(" ");
  await expect(page.getByRole("complementary", { name: auditName, exact: true })).toBeVisible();
  // The close button does the same as Escape.
  await page.getByRole("button", { name: "Close details" }).click();
  await expect(page.getByRole("complementary", { name: auditName, exact: true })).toBeHidden();
  await expect(audit).toBeFocused();
});

test("Escape cancels a filter-policy review and returns focus to the button that opened it", async ({ page }) => {
  await signIn(page, userByRole("operator"), `/filter-policies/${encodeURIComponent(subscriptionArn())}`);
  const remove = page.getByRole("button", { name: "Remove the policy…" });
  await remove.click();
  const confirm = page.getByRole("dialog", { name: "Remove the filter policy?" });
  await expect(confirm).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(confirm).toBeHidden();
  await expect(remove).toBeFocused();
});

test("a viewer sees the filter policy read-only, with the reason, and no action it cannot take", async ({ page }) => {
  await signIn(page, userByRole("viewer"), `/filter-policies/${encodeURIComponent(subscriptionArn())}`);
  await expect(
    page.getByText("Read-only: changing or rolling back a filter policy needs the operator role.").first(),
  ).toBeVisible();
  await expect(page.getByLabel("Key", { exact: true }).first()).toBeDisabled();
  await expect(page.getByLabel("Scope")).toBeDisabled();
  await expect(page.getByRole("button", { name: "+ Add key" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Review and save…" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Remove the policy…" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Roll back/ })).toHaveCount(0);
  // The JSON is there to read and copy, not to edit.
  await page.getByRole("tab", { name: "JSON" }).click();
  await expect(page.getByLabel("Policy JSON")).toHaveAttribute("aria-readonly", "true");
  const json = page.getByLabel("Policy JSON");
  const before = await json.innerText();
  await json.click();
  await page.keyboard.type("typed by a viewer");
  expect(await json.innerText()).toBe(before);
  await expect(page.getByText("Valid for AWS.")).toBeVisible();
  // Testing a message is reading: it stays available.
  await expect(
    page.getByRole("region", { name: "Test a message" }).getByRole("button", { name: "Test against this policy" }),
  ).toBeEnabled();
});

test('a request the API refuses as invalid says what was wrong, not "Something went wrong"', async ({ page }) => {
  await signIn(page, userByRole("viewer"), "/dashboards/resource?kind=bogus&name=x");
  const alert = page.getByRole("alert").filter({ hasText: "not accepted" });
  await expect(alert).toBeVisible();
  await expect(alert.locator(".state-issues")).toContainText("kind");
  await expect(page.getByText("Something went wrong")).toHaveCount(0);
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`every page has no accessibility violations in the ${colorScheme} scheme`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme });
    await signIn(page, userByRole("operator"));
    for (const [path, heading] of [...pages(), ["/no-such-page", "Page not found"] as const]) {
      await openSettled(page, path, heading);
      const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
      expect(
        results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
        `${path} (${colorScheme})`,
      ).toEqual([]);
    }
  });
}

// Screenshots to look at, not to compare: FANOUT_E2E_SCREENSHOTS=1 writes them to .test-output/screens.
test("screenshots at 390, 1280 and 1440 px, light and dark", async ({ page }) => {
  test.skip(!process.env.FANOUT_E2E_SCREENSHOTS, "only when asked for");
  test.setTimeout(180_000);
  await signIn(page, userByRole("viewer"));
  for (const width of [390, 1280, 1440]) {
    for (const colorScheme of ["light", "dark"] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme });
      for (const [path, heading] of pages()) {
        await openSettled(page, path, heading);
        const name = path.replace(/[^a-z0-9]+/gi, "-").slice(0, 40);
        await page.screenshot({ path: `.test-output/screens/${width}-${colorScheme}${name}.png`, fullPage: true });
      }
    }
  }
});
