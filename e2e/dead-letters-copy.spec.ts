import { expect, test } from "@playwright/test";
import { signIn, userByName } from "./helpers";

const staging = "/e/staging/eu-west-1";

test("ada copies a production dead letter into staging, masked, and finds it there; cora is refused", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  await signIn(page, userByName("ada"), "/dead-letters/e2e-payments-dlq");
  const list = page.getByRole("listbox", { name: "Dead letters" });
  const letter = list.getByRole("option").filter({ hasText: "ord-masked" });
  await letter.locator(".ml-check").click();
  await page.getByRole("button", { name: "Copy to another environment…" }).click();

  const dialog = page.getByRole("dialog", { name: "Copy 1 letter to another environment" });
  // Only where ada may change things, and not this DLQ's own environment and region.
  const scopes = dialog.getByLabel("Environment and region");
  await expect(scopes.locator("option")).toHaveText(["Choose…", "Staging · eu-west-1"]);
  await scopes.selectOption({ label: "Staging · eu-west-1" });
  await dialog.getByLabel("Queue").selectOption("stg-shipping");
  await expect(dialog).toContainText(
    "From Production (production) · us-east-1, e2e-payments-dlq, to Staging · eu-west-1, stg-shipping",
  );
  await dialog.getByRole("button", { name: "Copy", exact: true }).click();

  await expect(page.getByText("1 copied to stg-shipping in Staging.")).toBeVisible();
  // Copied, not moved: the original stays in the list.
  await expect(letter).toHaveCount(1);
  await page.getByRole("link", { name: "Open stg-shipping" }).click();
  await expect(page).toHaveURL(new RegExp(`${staging}/dead-letters/stg-shipping$`));
  await page.getByRole("button", { name: "Read it anyway" }).click();
  const copy = page
    .getByRole("listbox", { name: "Dead letters" })
    .getByRole("option")
    .filter({ hasText: "ord-masked" });
  await expect(copy).toHaveCount(1);
  await copy.click();
  // The production mask travelled with it: staging masks nothing, yet the value is not there.
  await expect(page.getByRole("region", { name: /^Message / })).toContainText("••••");
  expect(await page.content()).not.toContain("ada@example.com");

  // cora operates staging but only views production: no copy out of production, nor into it.
  const cora = await (await browser.newContext()).newPage();
  await signIn(cora, userByName("cora"), "/topology");
  const out = await cora.request.post("/api/queues/e2e-payments-dlq/copy", {
    data: { target: { environment: "staging", region: "eu-west-1", queue: "stg-shipping" }, messageIds: ["x"] },
    headers: { origin: new URL(cora.url()).origin },
  });
  expect(out.status()).toBe(403);
  const into = await cora.request.post(`/api${staging}/queues/stg-shipping-dlq/copy`, {
    data: { target: { environment: "production", region: "us-east-1", queue: "e2e-payments" }, messageIds: ["x"] },
    headers: { origin: new URL(cora.url()).origin },
  });
  expect(into.status()).toBe(403);
  expect(((await into.json()) as { error: { message: string } }).error.message).toMatch(/viewer in Production/);
});
