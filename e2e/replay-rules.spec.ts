import { expect, test } from "@playwright/test";
import { signIn, userByRole } from "./helpers";

// What the console shows and enforces about where a replay may go and how fast; nothing here moves a message.

test("an operator is offered only the DLQ's sources, is refused another queue by the server, and sees the limit of the engine that will run", async ({
  page,
}) => {
  await signIn(page, userByRole("operator"), "/dead-letters/e2e-payments-dlq");
  await expect(page.getByRole("listbox", { name: "Dead letters" }).getByRole("option").first()).toBeVisible();
  await page.getByRole("button", { name: "Redrive all…" }).click();
  const form = page.getByRole("form", { name: "Redrive all dead letters" });
  await expect(form.getByLabel("To")).toContainText("e2e-payments (source)");
  await expect(form.getByRole("option", { name: /Another/ })).toHaveCount(0);
  // moto has no message move task, so Fanout's engine runs the job, with its own limit.
  await expect(form).toContainText("up to 3000 (Fanout's engine's own limit)");
  await form.getByRole("button", { name: "Cancel" }).click();

  const origin = new URL(page.url()).origin;
  const elsewhere = await page.request.post("/api/queues/e2e-payments-dlq/replay", {
    data: { all: true, target: { queue: "e2e-inventory", override: true } },
    headers: { origin },
  });
  expect(elsewhere.status()).toBe(403);
  expect(((await elsewhere.json()) as { error: { message: string } }).error.message).toContain(
    "e2e-inventory is not a source queue of e2e-payments-dlq",
  );
});

test("a message with masked fields can be replayed only unedited, and the detail says so", async ({ page }) => {
  await signIn(page, userByRole("operator"), "/dead-letters/e2e-payments-dlq");
  await page
    .getByRole("listbox", { name: "Dead letters" })
    .getByRole("option")
    .filter({ hasText: "ord-masked" })
    .click();
  const detail = page.getByRole("region", { name: /^Message / });
  await expect(detail.getByRole("button", { name: "Edit and replay…" })).toBeDisabled();
  await expect(detail.getByRole("note").filter({ hasText: "can be replayed only unedited" })).toBeVisible();
});

test("an admin may choose another queue, only after confirming it is not a source", async ({ page }) => {
  await signIn(page, userByRole("admin"), "/dead-letters/e2e-payments-dlq");
  await expect(page.getByRole("region", { name: "Messages" })).toBeVisible();
  await page.getByRole("button", { name: "Redrive all…" }).click();
  const form = page.getByRole("form", { name: "Redrive all dead letters" });
  await form.getByLabel("To").selectOption({ label: "Another standard queue (admin)…" });
  await form.getByLabel("Queue name").fill("e2e-inventory");
  const start = form.getByRole("button", { name: "Start the redrive" });
  await expect(start).toBeDisabled();
  await form.getByLabel("Send these dead letters to a queue that is not a source of this DLQ").check();
  await expect(start).toBeEnabled();
  await form.getByRole("button", { name: "Cancel" }).click();

  const origin = new URL(page.url()).origin;
  const unconfirmed = await page.request.post("/api/queues/e2e-payments-dlq/replay", {
    data: { all: true, target: "e2e-inventory" },
    headers: { origin },
  });
  expect(unconfirmed.status()).toBe(422);
  expect(((await unconfirmed.json()) as { error: { message: string } }).error.message).toContain("override: true");
});
