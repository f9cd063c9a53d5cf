import { expect, test } from "@playwright/test";
import { setAwsFault, signIn, userByRole } from "./helpers";

test.afterEach(async () => {
  await setAwsFault({ mode: "pass" });
});

test("a list with nothing to show says so", async ({ page }) => {
  await signIn(page, userByRole("viewer"), "/audit?actor=nobody-at-all");
  await expect(page.getByText("No changes recorded for this filter.")).toBeVisible();
});

test("an unreachable AWS endpoint is explained, with no stack trace, and retry recovers", async ({ page }) => {
  await signIn(page, userByRole("viewer"));
  await setAwsFault({ mode: "status", status: 503 });
  await page.reload();
  const topics = page.getByRole("region", { name: "SNS topics" });
  await expect(topics.getByRole("alert")).toContainText("AWS unreachable", { timeout: 20_000 });
  await expect(topics).toContainText("Check that it is running");
  await expect(page.locator("body")).not.toContainText(/at .*\.js:\d+/);

  await setAwsFault({ mode: "pass" });
  await topics.getByRole("button", { name: "Retry" }).click();
  await expect(topics.getByRole("link", { name: "e2e-orders" })).toBeVisible();
});

test("access denied by AWS is explained", async ({ page }) => {
  await signIn(page, userByRole("viewer"));
  await setAwsFault({ mode: "error", status: 403, code: "AccessDenied", message: "User is not authorized to perform sqs:ListQueues" });
  await page.reload();
  const queues = page.getByRole("region", { name: "SQS queues" });
  await expect(queues.getByRole("alert")).toContainText("Access denied by AWS");
  await expect(queues).toContainText("User is not authorized to perform sqs:ListQueues");
});
