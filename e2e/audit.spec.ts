import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { signIn, userByRole } from "./helpers";

test("the audit log filters by part of an actor's name and an action from the list, and its address keeps them", async ({
  page,
  browser,
}) => {
  // Two people have signed in: the filters must tell them apart.
  const other = await (await browser.newContext()).newPage();
  await signIn(other, userByRole("viewer"));
  await other.context().close();
  await signIn(page, userByRole("operator"), "/audit");
  const rows = page.locator("tbody tr");
  await expect(rows.filter({ hasText: "vera" }).first()).toBeVisible();

  // The action list opens from the keyboard; its checkboxes are labelled with the action names.
  const picker = page.locator("summary", { hasText: "any" });
  await picker.focus();
  await page.keyboard.press("Enter");
  await page.getByRole("checkbox", { name: "auth.sign-in" }).press("Space");
  await expect(page).toHaveURL(/[?&]action=auth\.sign-in(&|$)/);
  await page.keyboard.press("Escape");
  await expect(page.getByRole("checkbox", { name: "auth.sign-in" })).toBeHidden();
  await page.getByLabel("Actor contains").fill("TT");
  await expect(page).toHaveURL(/[?&]actor=TT(&|$)/);

  const onlyOttoSigningIn = async () => {
    await expect(rows.first()).toContainText("otto");
    await expect(rows.filter({ hasText: "vera" })).toHaveCount(0);
    for (const row of await rows.all()) {
      await expect(row).toContainText("auth.sign-in");
      await expect(row).toContainText("otto");
    }
  };
  await onlyOttoSigningIn();

  // A reload, and leaving and coming back, keep the filters, in the fields and in the rows.
  await page.reload();
  await expect(page.getByLabel("Actor contains")).toHaveValue("TT");
  await expect(page.locator("summary", { hasText: "auth.sign-in" })).toBeVisible();
  await onlyOttoSigningIn();
  await page.getByRole("navigation", { name: "Console sections" }).getByRole("link", { name: "Traces" }).click();
  await expect(page).toHaveURL(/\/traces/);
  await page.goBack();
  await expect(page.getByLabel("Actor contains")).toHaveValue("TT");
  await onlyOttoSigningIn();

  // A time preset and an outcome; with no match, the empty state names the filters.
  await page.getByLabel("Time").selectOption({ label: "last 1 h" });
  await expect(page).toHaveURL(/[?&]range=1h(&|$)/);
  await onlyOttoSigningIn();
  await page.getByLabel("Outcome").selectOption("pending");
  await expect(page).toHaveURL(/[?&]outcome=pending(&|$)/);
  const empty = page.locator(".state-empty");
  await expect(empty).toContainText("No entries match these filters");
  await expect(empty).toContainText("action auth.sign-in");
  await expect(empty).toContainText("actor contains “TT”");
  await expect(empty).toContainText("outcome pending");
  await expect(empty).toContainText("last 1 h");
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);

  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.getByLabel("Actor contains")).toHaveValue("");
  await expect(rows.filter({ hasText: "vera" }).first()).toBeVisible();
});

test("the audit API refuses an unknown action or a range that ends before it starts, naming the field", async ({
  page,
}) => {
  await signIn(page, userByRole("viewer"));
  const unknown = await page.request.get("/api/audit?action=auth.sign-in,auth.sign-out");
  expect(unknown.status()).toBe(422);
  expect((await unknown.json()).error.issues).toEqual([
    { path: "action", message: expect.stringContaining('unknown action "auth.sign-out"') },
  ]);
  const backwards = await page.request.get("/api/audit?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z");
  expect(backwards.status()).toBe(422);
  expect((await backwards.json()).error.issues).toEqual([{ path: "from", message: "must not be later than to" }]);
  const repeated = await page.request.get("/api/audit?action=auth.sign-in&action=request.refused&actor=vera");
  expect(repeated.status()).toBe(200);
  const { entries } = (await repeated.json()) as { entries: Array<{ action: string; actor: string }> };
  expect(entries.length).toBeGreaterThan(0);
  expect(entries.every((e) => e.actor === "vera" && ["auth.sign-in", "request.refused"].includes(e.action))).toBe(true);
});

test("each audit entry says where it was done, and the log filters by environment, region and account", async ({
  page,
  browser,
  baseURL,
}) => {
  // A viewer's refused changes are entries of the environment each was asked in: production (the
  // default, unscoped) and staging (account 222222222222, eu-west-1).
  const viewer = await (await browser.newContext()).newPage();
  await signIn(viewer, userByRole("viewer"));
  for (const path of ["/api/redrive-jobs/none/pause", "/api/e/staging/eu-west-1/redrive-jobs/none/pause"]) {
    expect((await viewer.request.post(path, { headers: { origin: baseURL! } })).status()).toBe(403);
  }
  await viewer.context().close();

  await signIn(page, userByRole("operator"), "/audit");
  const rows = page.locator("tbody tr");
  const refusals = rows.filter({ hasText: "request.refused" }).filter({ hasText: "vera" });
  await expect(refusals.filter({ hasText: "production" }).first()).toContainText("us-east-1");
  await expect(refusals.filter({ hasText: "staging" }).first()).toContainText("eu-west-1");
  await expect(refusals.filter({ hasText: "staging" }).first()).toContainText("222222222222");
  // A sign-in belongs to no environment.
  await expect(rows.filter({ hasText: "auth.sign-in" }).first()).toContainText("(console)");

  const environment = page.getByRole("combobox", { name: "Environment" });
  await environment.selectOption("staging");
  await expect(page).toHaveURL(/[?&]environment=staging(&|$)/);
  await expect(refusals.first()).toContainText("staging");
  await expect(rows.filter({ hasText: "production" })).toHaveCount(0);
  await expect(rows.filter({ hasText: "auth.sign-in" })).toHaveCount(0);
  await page.getByRole("combobox", { name: "Region" }).selectOption("eu-west-1");
  await expect(page).toHaveURL(/[?&]region=eu-west-1(&|$)/);
  await expect(refusals.first()).toBeVisible();

  // An account reaches the address only once it has its 12 digits.
  const account = page.getByLabel("Account");
  await account.fill("2222");
  await expect(account).toHaveAttribute("aria-invalid", "true");
  await account.fill("222222222222");
  await expect(page).toHaveURL(/[?&]account=222222222222(&|$)/);
  await expect(refusals.first()).toBeVisible();
  await account.fill("999999999999");
  await expect(page).toHaveURL(/[?&]account=999999999999(&|$)/);
  const empty = page.locator(".state-empty");
  await expect(empty).toContainText("environment staging");
  await expect(empty).toContainText("region eu-west-1");
  await expect(empty).toContainText("account 999999999999");

  // Under a scope the log starts at that environment's entries, and can show every environment.
  await page.goto("/e/staging/eu-west-1/audit");
  await expect(environment).toHaveValue("staging");
  await expect(refusals.first()).toContainText("staging");
  await expect(rows.filter({ hasText: "auth.sign-in" })).toHaveCount(0);
  await environment.selectOption({ label: "every environment" });
  await expect(page).toHaveURL(/\/e\/staging\/eu-west-1\/audit\?environment=\*$/);
  await expect(rows.filter({ hasText: "auth.sign-in" }).first()).toBeVisible();

  // The export carries where each entry was done.
  const exported = await page.request.get("/api/audit?environment=staging&format=jsonl");
  const lines = (await exported.text())
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines.length).toBeGreaterThan(0);
  for (const entry of lines)
    expect(entry).toMatchObject({ environment: "staging", region: "eu-west-1", account: "222222222222" });
});
