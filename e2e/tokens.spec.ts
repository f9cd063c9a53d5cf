import { expect, test } from "@playwright/test";
import { signIn, userByRole } from "./helpers";

// API tokens: made on their page, shown once, used without a session by a client that is not a
// browser, and revoked there.
test("a token made on its page acts as its owner, capped at the chosen role, until it is revoked", async ({ page }) => {
  const otto = userByRole("operator");
  await signIn(page, otto, "/incidents");
  await page.getByRole("navigation", { name: "Console sections" }).getByRole("link", { name: "API tokens" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "API tokens" })).toBeVisible();
  const origin = new URL(page.url()).origin;

  await page.getByRole("button", { name: "New token" }).click();
  const name = `ci-${Date.now().toString(36)}`;
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Expires after").fill("7");
  await page.getByLabel("At most the role").selectOption("viewer");
  await page.getByRole("button", { name: "Make token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  expect(token).toMatch(/^fanout_[a-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
  if (process.env.FANOUT_E2E_SCREENSHOTS) await page.screenshot({ path: ".test-output/screens/api-token-made.png" });
  await page.getByRole("button", { name: "Done" }).click();
  const row = page.locator("tbody tr", { hasText: name });
  await expect(row).toContainText("viewer");
  await expect(row).toContainText("active");
  await expect(page.getByTestId("new-token")).toHaveCount(0);

  // A client without cookies or an Origin header: a CI job, the command line.
  const call = (path: string, init: RequestInit = {}, auth = `Bearer ${token}`) =>
    fetch(`${origin}${path}`, { ...init, headers: { authorization: auth, ...init.headers } });
  expect((await call("/api/dlqs")).status).toBe(200);
  const read = await call("/api/queues/e2e-payments-dlq/messages?max=1");
  expect(read.status).toBe(200);
  const { leaseId } = (await read.json()) as { leaseId: string };
  expect((await call("/api/queues/e2e-payments-dlq/lease/release", { method: "POST" })).status).toBe(200);
  // Audited as otto, with the token's id.
  const audit = (await (await call(`/api/audit?action=dead-letters.read&actor=${otto.username}`)).json()) as {
    entries: { actor: string; tokenId?: string; after: { leaseId?: string } }[];
  };
  expect(audit.entries.find((e) => e.after.leaseId === leaseId)).toMatchObject({
    actor: otto.username,
    tokenId: token.slice(7, 23),
  });
  // Capped at viewer, whatever otto may do; no token is made with a token.
  expect((await call("/api/queues/e2e-payments-dlq/replay", { method: "POST", body: "{}" })).status).toBe(403);
  const minted = await call("/api/tokens", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "minted", expiresInDays: 1 }),
  });
  expect(minted.status).toBe(403);
  // A session cookie beside the token, a malformed token, another scheme: refused, naming no user.
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  expect((await call("/api/dlqs", { headers: { cookie } })).status).toBe(401);
  expect((await call("/api/dlqs", {}, "Bearer fanout_nope")).status).toBe(401);
  expect((await call("/api/dlqs", {}, `Basic ${token}`)).status).toBe(401);

  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  const dialog = page.getByRole("dialog", { name: `Revoke “${name}”?` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText(`revoked by ${otto.username}`);
  // The list, read again after the revocation, says when the token was last used.
  await expect(row.locator("td").nth(5)).not.toHaveText("never");
  expect((await call("/api/dlqs")).status).toBe(401);
});

test("a viewer makes personal tokens but is offered no service token, and sees only their own", async ({ page }) => {
  await signIn(page, userByRole("viewer"), "/tokens");
  await expect(page.getByRole("heading", { level: 1, name: "API tokens" })).toBeVisible();
  await page.getByRole("button", { name: "New token" }).click();
  await expect(page.getByLabel("Service name")).toHaveCount(0);
  await expect(page.getByLabel("At most the role").locator("option")).toHaveText(["viewer (yours)"]);
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.locator("tbody tr", { hasText: "ci-" })).toHaveCount(0);
});
