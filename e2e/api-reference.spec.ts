import { expect, test } from "@playwright/test";
import { signIn, userByRole } from "./helpers";

// The API reference: reached from the API tokens page, built from the same OpenAPI document the API serves.
test("the API reference lists each operation with its least role, and the OpenAPI document downloads", async ({
  page,
}) => {
  await signIn(page, userByRole("viewer"), "/tokens");
  // A click that lands while the page is still hydrating can be lost: clicked again until it navigates.
  await expect(async () => {
    await page.locator(".lede").getByRole("link", { name: "API reference" }).click();
    await expect(page).toHaveURL(/\/api-reference$/, { timeout: 5_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByRole("heading", { level: 1, name: "API reference" })).toBeVisible();
  if (process.env.FANOUT_E2E_SCREENSHOTS) await page.screenshot({ path: ".test-output/screens/api-reference.png" });

  const replay = page.getByRole("article", { name: "POST /api/queues/{name}/replay", exact: true });
  await expect(replay).toContainText("operator");
  await expect(replay).toContainText("Start a redrive job");
  await replay.getByText("JSON body").click();
  await expect(replay.getByLabel("Body of POST /api/queues/{name}/replay")).toContainText('"messageIds"');
  if (process.env.FANOUT_E2E_SCREENSHOTS)
    await page.screenshot({ path: ".test-output/screens/api-reference-body.png" });
  await expect(page.getByRole("article", { name: "POST /api/queues/{name}/purge", exact: true })).toContainText(
    "admin",
  );

  const download = page.getByRole("link", { name: /Download the OpenAPI 3\.1\.0 document/ });
  const response = await page.request.get((await download.getAttribute("href"))!);
  expect(response.status()).toBe(200);
  const document = (await response.json()) as {
    openapi: string;
    paths: Record<string, Record<string, { "x-fanout-least-role": string }>>;
  };
  expect(document.openapi).toBe("3.1.0");
  expect(document.paths["/api/queues/{name}/replay"]!.post!["x-fanout-least-role"]).toBe("operator");
});
