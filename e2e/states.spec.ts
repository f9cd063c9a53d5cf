import { expect, test } from "@playwright/test";
import { setAwsFault, signIn, userByRole } from "./helpers";

test.afterEach(async () => {
  await setAwsFault({ mode: "pass" });
});

test("a list with nothing to show says so", async ({ page }) => {
  await signIn(page, userByRole("viewer"), "/audit?actor=nobody-at-all");
  await expect(page.getByText("No entries match these filters")).toBeVisible();
});

test("an unreachable AWS endpoint is explained, with no stack trace, and retry recovers", async ({ page }) => {
  await signIn(page, userByRole("viewer"), "/topology?view=list");
  await expect(page.getByRole("button", { name: "e2e-orders", exact: true })).toBeVisible();
  await setAwsFault({ mode: "status", status: 503 });
  await page.getByRole("button", { name: "Refresh now" }).click();
  // SNS, SQS and CloudWatch go through the failing proxy; the graph keeps what it could read.
  const banner = page.getByRole("alert").filter({ hasText: "Part of the account could not be read" });
  await expect(banner).toContainText("sns: The AWS endpoint failed on", { timeout: 20_000 });
  await expect(banner).toContainText("HTTP 503");
  await expect(page.locator("body")).not.toContainText(/at .*\.js:\d+/);

  await setAwsFault({ mode: "pass" });
  await page.getByRole("button", { name: "Refresh now" }).click();
  await expect(banner).toHaveCount(0);
  await expect(page.getByRole("button", { name: "e2e-orders", exact: true })).toBeVisible();
});

test("access denied by AWS is explained", async ({ page }) => {
  await signIn(page, userByRole("viewer"), "/topology?view=list");
  await setAwsFault({
    mode: "error",
    status: 403,
    code: "AccessDenied",
    message: "User is not authorized to perform sqs:ListQueues",
  });
  await page.getByRole("button", { name: "Refresh now" }).click();
  const banner = page.getByRole("alert").filter({ hasText: "Part of the account could not be read" });
  await expect(banner).toContainText("sqs: Access denied for");
  await expect(banner).toContainText("User is not authorized to perform sqs:ListQueues");
});

test("under 20 % AWS faults every page still renders: the SDK's retries absorb most, a panel that cannot answer says so, no page fails", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await signIn(page, userByRole("viewer"));
  await setAwsFault({
    mode: "random",
    rates: { throttle: 0.06, serverError: 0.06, drop: 0.04, slow: 0.04 },
    slowMs: 800,
    seed: 5,
  });
  try {
    for (const [path, heading] of [
      ["/incidents", "Incidents"],
      ["/topology", "Topology"],
      ["/dashboards?window=1h", "Service-level dashboards"],
      ["/dead-letters", "Dead letters"],
      ["/filter-policies", "Filter policies"],
      ["/traces", "Traces"],
    ] as const) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible({ timeout: 30_000 });
      await expect(page.getByText("This page failed to load")).toHaveCount(0);
      // Whatever the faults, each page settles into data or a stated problem, never an endless spinner.
      await expect(page.locator(".skeleton")).toHaveCount(0, { timeout: 45_000 });
    }
  } finally {
    await setAwsFault({ mode: "pass" });
  }
  expect(pageErrors).toEqual([]);
});
