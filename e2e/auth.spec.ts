import { expect, test } from "@playwright/test";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { signIn, submitLogin, userByName, userByRole } from "./helpers";
import { e2eUsers, usersFileContent } from "./users";

test.describe("signing in", () => {
  // One user per role; the contractor and the team member, whose roles depend on where they act, have tests of their own
  // (environments.spec.ts, bindings.spec.ts).
  for (const user of e2eUsers.filter((u) => u.username !== "temp" && !("roles" in u) && !("bindings" in u))) {
    test(`the ${user.role} signs in and sees their name and role`, async ({ page }) => {
      await signIn(page, user);
      await expect(page).toHaveURL(/\/topology$/);
      await expect(page.getByTestId("signed-in-user")).toContainText(user.role);
      await expect(page.getByRole("navigation", { name: "Console sections" })).toBeVisible();
    });
  }

  test("a wrong password is refused and the user stays on the login page", async ({ page }) => {
    await page.goto("/login");
    await submitLogin(page, "ada", "not-her-password");
    await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong username or password.");
    await expect(page).toHaveURL(/\/login/);
    const session = await page.request.get("/api/auth/session");
    expect(await session.json()).toEqual({});
  });

  test("an unknown user is refused with the same message", async ({ page }) => {
    await page.goto("/login");
    await submitLogin(page, "mallory", "whatever");
    await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong username or password.");
  });

  test("a console page without a session goes to login and back to that page after", async ({ page }) => {
    await signIn(page, userByRole("viewer"), "/dead-letters");
    await expect(page).toHaveURL(/\/dead-letters$/);
    await expect(page.getByRole("link", { name: "Dead letters" })).toHaveAttribute("aria-current", "page");
  });

  test("a callback to another site is not followed", async ({ page }) => {
    await page.goto("/login?callbackUrl=https%3A%2F%2Fevil.example.com%2F");
    await submitLogin(page, "vera", "vera-password-1");
    await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/incidents$/);
  });

  test("signing out ends the session", async ({ page }) => {
    await signIn(page, userByRole("operator"));
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto("/topology");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Ftopology/);
  });

  test("signing out ends the session on the server: a copy of the cookie taken before stops working", async ({
    page,
    browser,
  }) => {
    await signIn(page, userByRole("operator"));
    const copy = await browser.newContext({ baseURL: new URL(page.url()).origin });
    await copy.addCookies(await page.context().cookies());
    expect((await copy.request.get("/api/topics")).status()).toBe(200);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    expect((await copy.request.get("/api/topics")).status()).toBe(401);
    await copy.close();
  });

  test("a callback that only looks like a path is not followed off the site", async ({ page }) => {
    await page.goto("/login?callbackUrl=%2F%5Cevil.example.com");
    await submitLogin(page, "vera", "vera-password-1");
    await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/incidents$/);
  });
});

test.describe("the shell", () => {
  test("shows the environment, live health and every section", async ({ page }) => {
    await signIn(page, userByRole("viewer"));
    await expect(page.getByTestId("environment-badge")).toHaveText(/^local · moto at 127\.0\.0\.1:\d+$/);
    for (const service of ["sns", "sqs", "cloudwatch", "xray", "lambda"]) {
      await expect(page.locator(".health-ok", { hasText: service })).toBeVisible();
    }
    const nav = page.getByRole("navigation", { name: "Console sections" });
    for (const section of [
      "Incidents",
      "Topology",
      "Filter policies",
      "Dead letters",
      "Dashboards",
      "Traces",
      "Audit",
      "API tokens",
    ]) {
      await nav.getByRole("link", { name: section }).click();
      await expect(page.getByRole("heading", { level: 1, name: section })).toBeVisible();
    }
  });
});

test.describe("roles are read on every request", () => {
  const usersFile = () => path.join(process.env.FANOUT_E2E_DATA_DIR!, "users.json");

  test.afterEach(() => {
    writeFileSync(usersFile(), usersFileContent());
  });

  test("a user removed from the users file loses access at once", async ({ page }) => {
    await signIn(page, userByName("temp"));
    expect((await page.request.get("/api/topics")).status()).toBe(200);

    writeFileSync(usersFile(), usersFileContent(e2eUsers.filter((u) => u.username !== "temp")));
    expect((await page.request.get("/api/topics")).status()).toBe(401);
    // The open page's own polling may send it to the login page first; either way it ends there.
    await page.reload().catch(() => undefined);
    await expect(page).toHaveURL(/\/login/);
  });

  test("a role change shows on the next page load", async ({ page }) => {
    await signIn(page, userByName("temp"));
    await expect(page.getByTestId("signed-in-user")).toContainText("viewer");
    writeFileSync(
      usersFile(),
      usersFileContent(e2eUsers.map((u) => (u.username === "temp" ? { ...u, role: "admin" as never } : u))),
    );
    await page.reload();
    await expect(page.getByTestId("signed-in-user")).toContainText("admin");
  });
});
