import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { signIn, userByRole } from "./helpers";

test("the dead-letter overview lists each DLQ with what feeds it, and says where CloudWatch has no data", async ({ page }) => {
  await signIn(page, userByRole("viewer"), "/dead-letters");
  const row = page.locator("tbody tr", { hasText: "e2e-inventory-dlq" });
  await expect(row).toContainText("queue e2e-inventory after 1 receives");
  await expect(row.locator("td").nth(1)).toHaveText("1");
  await expect(row).toHaveClass(/row-trouble/);
  // Nothing publishes AWS/SQS metrics for these queues in the test: shown as missing, never as 0.
  await expect(row).toContainText("no data");
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
});
