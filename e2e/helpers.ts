import { expect, type Page } from "@playwright/test";
import type { FaultMode } from "../test/fault-proxy";
import { e2eUsers } from "./users";

export type E2eUser = (typeof e2eUsers)[number];

export const userByRole = (role: E2eUser["role"]): E2eUser => e2eUsers.find((u) => u.role === role)!;
export const userByName = (name: E2eUser["username"]): E2eUser => e2eUsers.find((u) => u.username === name)!;

/** Fills in and submits the login form on the current page. */
export async function submitLogin(page: Page, username: string, password: string) {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Signs in through the login form, as a person would, and waits for the console shell. */
export async function signIn(page: Page, user: E2eUser, path = "/topology") {
  await page.goto(path);
  await expect(page).toHaveURL(/\/login/);
  await submitLogin(page, user.username, user.password);
  await expect(page.getByTestId("signed-in-user")).toContainText(user.username);
}

/**
 * Drops the session. The open page is left first: a console page that gets a 401 sends itself to the login page,
 * and that navigation would race (and abort) the test's next one.
 */
export async function forgetSession(page: Page) {
  await page.goto("about:blank");
  await page.context().clearCookies();
}

/** Tells the fault proxy between the console and moto how to behave. */
export async function setAwsFault(fault: FaultMode) {
  const res = await fetch(process.env.FANOUT_E2E_FAULT_URL!, { method: "POST", body: JSON.stringify(fault) });
  expect(res.status).toBe(204);
}
